import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { probability, reasonCodes, RiskModel, vectorOf, type ReasonCode } from '../../shared/risk/score';
import { forEachFeaturePage, type FeatureResult } from './features-sql';

export interface ScoreRow {
  accountId: string;
  payProbability: number;
  rollProbability: number | null;
  reasons: ReasonCode[];
}

/** Four decimals: a score that moved less than that is not worth a sync to every workstation. */
const round4 = (p: number) => Math.round(p * 10_000) / 10_000;

export function scoreRows(pay: RiskModel, roll: RiskModel | null, rows: readonly FeatureResult[]): ScoreRow[] {
  return rows.map((r) => {
    const x = vectorOf(pay, r.features, r.product);
    return {
      accountId: r.accountId,
      payProbability: round4(probability(pay, x)),
      rollProbability: roll ? round4(probability(roll, vectorOf(roll, r.features, r.product))) : null,
      reasons: reasonCodes(pay, x, r.features, r.product),
    };
  });
}

async function inUse(db: Db, orgId: string): Promise<{ pay?: { id: string; model: RiskModel }; roll?: { id: string; model: RiskModel } }> {
  const rows = await db.query<{ id: string; target: string; model: unknown }>(
    `SELECT id, target, model FROM risk_models WHERE org_id = $1 AND status = 'promoted'`,
    [orgId],
  );
  const out: { pay?: { id: string; model: RiskModel }; roll?: { id: string; model: RiskModel } } = {};
  for (const r of rows) out[r.target === 'pay_30' ? 'pay' : 'roll'] = { id: r.id, model: RiskModel.parse(r.model) };
  return out;
}

/**
 * Scores every account with the promoted models and upserts account_scores in short write
 * transactions of CHUNK rows (sync writers of the organisation wait at most one chunk). A row whose
 * probabilities and reasons did not change keeps its version, so workstations download only what
 * moved.
 */
export const CHUNK = 5000;
export async function scoreAccounts(
  db: Db,
  orgId: string,
  asOf: string,
  rows: readonly FeatureResult[],
): Promise<{ scored: number; changed: number }> {
  const models = await inUse(db, orgId);
  if (!models.pay) return { scored: 0, changed: 0 };
  const scores = scoreRows(models.pay.model, models.roll?.model ?? null, rows);
  let changed = 0;
  for (let i = 0; i < scores.length; i += CHUNK) {
    const chunk = scores.slice(i, i + CHUNK);
    const r = await writeTransaction(db, orgId, (tx) =>
      tx.query<{ n: number }>(
        `WITH up AS (
           INSERT INTO account_scores AS s (account_id, org_id, pay_model_id, roll_model_id, pay_probability, roll_probability, reasons, as_of)
           SELECT u.id, $1, $2, $3, u.pay, u.roll, u.reasons, $4::date
           FROM unnest($5::uuid[], $6::float8[], $7::float8[], $8::jsonb[]) AS u(id, pay, roll, reasons)
           ON CONFLICT (account_id) DO UPDATE SET pay_model_id = EXCLUDED.pay_model_id, roll_model_id = EXCLUDED.roll_model_id,
             pay_probability = EXCLUDED.pay_probability, roll_probability = EXCLUDED.roll_probability,
             reasons = EXCLUDED.reasons, as_of = EXCLUDED.as_of, scored_at = now()
           WHERE (s.pay_model_id, s.roll_model_id, s.pay_probability, s.roll_probability, s.reasons)
             IS DISTINCT FROM (EXCLUDED.pay_model_id, EXCLUDED.roll_model_id, EXCLUDED.pay_probability, EXCLUDED.roll_probability, EXCLUDED.reasons)
           RETURNING 1)
         SELECT count(*)::int AS n FROM up`,
        [
          orgId,
          models.pay!.id,
          models.roll?.id ?? null,
          asOf,
          chunk.map((s) => s.accountId),
          chunk.map((s) => s.payProbability),
          chunk.map((s) => s.rollProbability),
          chunk.map((s) => JSON.stringify(s.reasons)),
        ],
      ),
    );
    changed += r[0]!.n;
  }
  return { scored: scores.length, changed };
}

/** Scores every account of the organisation as of `day`, a page of accounts at a time. */
export async function scoreOrg(db: Db, orgId: string, day: string): Promise<{ scored: number; changed: number }> {
  let scored = 0;
  let changed = 0;
  await forEachFeaturePage(
    db,
    orgId,
    day,
    async (rows) => {
      const r = await scoreAccounts(db, orgId, day, rows);
      scored += r.scored;
      changed += r.changed;
    },
    { forScoring: true },
  );
  return { scored, changed };
}
