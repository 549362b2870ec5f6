import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { runRiskForOrg } from '../../../src/server/risk/job';
import { ReasonCode } from '../../../src/shared/risk/score';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { seedRiskPortfolio } from '../../helpers/risk-portfolio';

/**
 * docs/risk.md, "Training and promotion": on a portfolio whose debtors have a hidden propensity,
 * the job learns it (hold-out AUC well above chance), promotes the first model with its card,
 * refuses a second one that does no better on the same hold-out, and scores every account with
 * three reasons.
 */
describe('the risk job', () => {
  let db: Db;
  let pg: TestDatabase;
  let orgId: string;
  const now = new Date();
  beforeAll(async () => {
    pg = await createTestDatabase('riskjob');
    db = await openDb({ url: pg.url });
    await migrate(db);
    ({ orgId } = await seedRiskPortfolio(db, { accounts: 1500 }));
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  it('trains, promotes the first model with its card, and scores every account with three reasons', async () => {
    const r = await runRiskForOrg(db, orgId, now);
    const pay = r.trained.find((t) => t.target === 'pay_30')!;
    expect(pay).toMatchObject({ promoted: true, why: 'first_model', incumbentAuc: null });
    expect(pay.holdoutAuc).toBeGreaterThan(0.65);
    expect(r.scored).toBe(1500);
    expect(r.changed).toBe(1500);
    const [card] = await db.query<{ card: any; status: string }>(`SELECT card, status FROM risk_models WHERE id = $1`, [pay.modelId]);
    expect(card!.status).toBe('promoted');
    expect(card!.card.protectedCheck.passed).toBe(true);
    expect(card!.card.deciles).toHaveLength(10);
    // the top decile pays more often than the bottom one
    expect(card!.card.deciles[0].observedRate).toBeGreaterThan(card!.card.deciles[9].observedRate);
    expect(card!.card.window.trainTo < card!.card.window.holdout).toBe(true);
    const scores = await db.query<{ p: number; reasons: unknown[] }>(
      `SELECT pay_probability AS p, reasons FROM account_scores WHERE org_id = $1`,
      [orgId],
    );
    expect(scores).toHaveLength(1500);
    for (const s of scores.slice(0, 50)) {
      expect(s.reasons).toHaveLength(3);
      for (const reason of s.reasons) ReasonCode.parse(reason);
    }
    // today's DPD and balance were recorded for the next trainings
    const [days] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM risk_account_days WHERE org_id = $1`, [orgId]);
    expect(days!.n).toBe(1500);
  }, 60_000);

  it('a second run on the same history does not beat the model in use: rejected, scores unchanged', async () => {
    const [before] = await db.query<{ v: number }>(`SELECT max(version)::int AS v FROM account_scores WHERE org_id = $1`, [orgId]);
    const r = await runRiskForOrg(db, orgId, now);
    const pay = r.trained.find((t) => t.target === 'pay_30')!;
    expect(pay).toMatchObject({ promoted: false, why: 'incumbent_better' });
    expect(pay.incumbentAuc).toBeCloseTo(pay.holdoutAuc, 6);
    const models = await db.query<{ status: string }>(
      `SELECT status FROM risk_models WHERE org_id = $1 AND target = 'pay_30' ORDER BY trained_at`,
      [orgId],
    );
    expect(models.map((m) => m.status)).toEqual(['promoted', 'rejected']);
    expect(r.changed).toBe(0);
    const [after] = await db.query<{ v: number }>(`SELECT max(version)::int AS v FROM account_scores WHERE org_id = $1`, [orgId]);
    expect(after!.v).toBe(before!.v);
  }, 60_000);
});
