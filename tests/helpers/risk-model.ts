import type { Db } from '../../src/server/db';
import { featuresAsOf } from '../../src/server/risk/features-sql';
import { orgToday } from '../../src/server/risk/job';
import { scoreAccounts } from '../../src/server/risk/scoring';
import { protectedCheck } from '../../src/server/risk/card';
import type { ModelCard } from '../../src/shared/risk/card';
import type { RiskModel } from '../../src/shared/risk/score';

/**
 * A fixed model put in use and every account scored with it: for screens that show scores on a
 * portfolio too young to train on (the demo's month of history). Training itself is proven in
 * tests/integration/risk/job.test.ts.
 */
export const FIXED_MODEL: RiskModel = {
  features: ['dpd', 'balance_share', 'rpc_30', 'promises_broken_180', 'tenure_days'],
  means: [40, 0.6, 0.5, 0.2, 60],
  sds: [25, 0.25, 1, 0.5, 30],
  coefficients: [-0.4, -0.7, -0.5, 0.6, -0.8, 0.2],
};

export async function scoreWithFixedModel(db: Db, orgId: string, now = new Date()): Promise<{ modelId: string; scored: number }> {
  const today = await orgToday(db, orgId, now);
  const card: ModelCard = {
    target: 'pay_30',
    window: { trainFrom: today, trainTo: today, holdout: today, asOfDays: [today] },
    rows: { train: 0, holdout: 0, trainPositiveRate: 0, holdoutPositiveRate: 0 },
    features: FIXED_MODEL.features.map((name, j) => ({
      name,
      coefficient: FIXED_MODEL.coefficients[j + 1]!,
      mean: FIXED_MODEL.means[j]!,
      sd: FIXED_MODEL.sds[j]!,
    })),
    holdoutAuc: 0.71,
    incumbentAuc: null,
    deciles: [],
    protectedCheck: protectedCheck(FIXED_MODEL.features),
    promoted: true,
    why: 'first_model',
  };
  const [m] = await db.query<{ id: string }>(
    `INSERT INTO risk_models (org_id, target, status, model, card, holdout_auc, promoted_at) VALUES ($1, 'pay_30', 'promoted', $2, $3, 0.71, now()) RETURNING id`,
    [orgId, JSON.stringify(FIXED_MODEL), JSON.stringify(card)],
  );
  const rows = await featuresAsOf(db, orgId, today, { forScoring: true });
  const { scored } = await scoreAccounts(db, orgId, today, rows);
  return { modelId: m!.id, scored };
}
