import type { Db } from '../db';
import { localDateFast } from '../../shared/rules/clock';
import { addDays } from '../../shared/domain/time';
import { probability, RiskModel, vectorOf } from '../../shared/risk/score';
import { cardFeatures, featureNames, promotionDecision, protectedCheck, type ModelCard } from './card';
import { forEachFeaturePage, writeAccountDays, type FeatureResult } from './features-sql';
import { auc, deciles } from './metrics';
import { trainLogistic } from './train';
import { scoreOrg } from './scoring';
import { scheduleSharedJob } from '../jobs/schedule';

export type Target = 'pay_30' | 'roll_30';
export const TARGETS: readonly Target[] = ['pay_30', 'roll_30'];

export interface TrainConfig {
  /** days between two as-of days of training rows */
  stepDays: number;
  /** how many as-of days: the newest is the hold-out, the others train */
  steps: number;
  /** products with fewer training rows than this get no indicator of their own */
  minProductRows: number;
}
export const DEFAULT_TRAIN: TrainConfig = { stepDays: 14, steps: 7, minProductRows: 50 };

const labelOf = (r: FeatureResult, target: Target): 0 | 1 => ((target === 'pay_30' ? r.paidNext30 : r.rolledNext30) ? 1 : 0);

/**
 * The as-of days of a training run, newest first: the newest is 30 days before today (its outcome
 * window has closed) and is the hold-out; the older ones train. Training rows thus never see the
 * hold-out's days as features, and the hold-out is the model's "next month".
 */
export function asOfDays(today: string, cfg: TrainConfig): string[] {
  return Array.from({ length: cfg.steps }, (_, k) => addDays(today, -30 - k * cfg.stepDays));
}

export interface TrainOutcome {
  target: Target;
  modelId: string | null;
  promoted: boolean;
  why: string;
  holdoutAuc: number;
  incumbentAuc: number | null;
}

async function incumbent(db: Db, orgId: string, target: Target): Promise<{ id: string; model: RiskModel } | null> {
  const [row] = await db.query<{ id: string; model: unknown }>(
    `SELECT id, model FROM risk_models WHERE org_id = $1 AND target = $2 AND status = 'promoted'`,
    [orgId, target],
  );
  return row ? { id: row.id, model: RiskModel.parse(row.model) } : null;
}

/** Trains both targets for one organisation on its own history and applies the promotion rule. */
export async function trainOrg(db: Db, orgId: string, today: string, cfg: TrainConfig = DEFAULT_TRAIN): Promise<TrainOutcome[]> {
  const days = asOfDays(today, cfg);
  const [holdoutDay, ...trainDays] = days;
  // a page of accounts per statement: a whole large portfolio in one would outlast statement_timeout
  const readDay = async (day: string) => {
    const out: FeatureResult[] = [];
    await forEachFeaturePage(db, orgId, day, async (rows) => void out.push(...rows), { labels: true });
    return out;
  };
  const holdout = await readDay(holdoutDay!);
  const train: FeatureResult[] = [];
  for (const d of trainDays) train.push(...(await readDay(d)));
  const counts = new Map<string, number>();
  for (const r of train) counts.set(r.product, (counts.get(r.product) ?? 0) + 1);
  // the most frequent product is the reference level (no indicator), like R's treatment contrasts
  const products = [...counts.entries()]
    .filter(([, n]) => n >= cfg.minProductRows)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(1, 9)
    .map(([p]) => p)
    .sort();
  const names = featureNames(products);
  const check = protectedCheck(names);
  const out: TrainOutcome[] = [];
  for (const target of TARGETS) {
    const y = train.map((r) => labelOf(r, target));
    const yh = holdout.map((r) => labelOf(r, target));
    const positives = y.reduce<number>((t, v) => t + v, 0);
    if (train.length === 0 || positives === 0 || positives === train.length) {
      out.push({ target, modelId: null, promoted: false, why: 'training_single_class', holdoutAuc: NaN, incumbentAuc: null });
      continue;
    }
    const fitted = trainLogistic(
      names,
      train.map((r) => vectorOf({ features: names }, r.features, r.product)),
      y,
    );
    const model: RiskModel = { features: fitted.features, means: fitted.means, sds: fitted.sds, coefficients: fitted.coefficients };
    const scores = holdout.map((r) => probability(model, vectorOf(model, r.features, r.product)));
    const holdoutAuc = auc(scores, yh);
    const inc = await incumbent(db, orgId, target);
    const incumbentAuc = inc
      ? auc(
          holdout.map((r) => probability(inc.model, vectorOf(inc.model, r.features, r.product))),
          yh,
        )
      : null;
    const decision = promotionDecision(holdoutAuc, incumbentAuc !== null && Number.isFinite(incumbentAuc) ? incumbentAuc : null, check);
    const rate = (v: readonly number[]) => v.reduce((t, x) => t + x, 0) / Math.max(1, v.length);
    const card: ModelCard = {
      target,
      window: {
        trainFrom: trainDays[trainDays.length - 1] ?? holdoutDay!,
        trainTo: trainDays[0] ?? holdoutDay!,
        holdout: holdoutDay!,
        asOfDays: days,
      },
      rows: { train: train.length, holdout: holdout.length, trainPositiveRate: rate(y), holdoutPositiveRate: rate(yh) },
      features: cardFeatures(model),
      holdoutAuc,
      incumbentAuc,
      deciles: deciles(scores, yh),
      protectedCheck: check,
      promoted: decision.promote,
      why: decision.why,
    };
    const modelId = await db.transaction(async (tx) => {
      if (decision.promote)
        await tx.query(
          `UPDATE risk_models SET status = 'retired', retired_at = now() WHERE org_id = $1 AND target = $2 AND status = 'promoted'`,
          [orgId, target],
        );
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO risk_models (org_id, target, status, model, card, holdout_auc, incumbent_auc, promoted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $3 = 'promoted' THEN now() END) RETURNING id`,
        [
          orgId,
          target,
          decision.promote ? 'promoted' : 'rejected',
          JSON.stringify(model),
          JSON.stringify(card),
          Number.isFinite(holdoutAuc) ? holdoutAuc : 0,
          incumbentAuc !== null && Number.isFinite(incumbentAuc) ? incumbentAuc : null,
        ],
      );
      return row!.id;
    });
    out.push({ target, modelId, promoted: decision.promote, why: decision.why, holdoutAuc, incumbentAuc });
  }
  return out;
}

/** The organisation's calendar day now, in its own zone. */
export async function orgToday(db: Db, orgId: string, now: Date): Promise<string> {
  const [o] = await db.query<{ tz: string }>('SELECT time_zone AS tz FROM organizations WHERE id = $1', [orgId]);
  return localDateFast(now.getTime(), o?.tz ?? 'UTC');
}

/**
 * One run for one organisation: snapshot today's DPD and balance, train and maybe promote, score
 * every account with the models in use.
 */
export async function runRiskForOrg(
  db: Db,
  orgId: string,
  now: Date,
  cfg: TrainConfig = DEFAULT_TRAIN,
): Promise<{ trained: TrainOutcome[]; scored: number; changed: number }> {
  const today = await orgToday(db, orgId, now);
  await forEachFeaturePage(db, orgId, today, (rows) => writeAccountDays(db, orgId, today, rows), { forScoring: true });
  const trained = await trainOrg(db, orgId, today, cfg);
  const { scored, changed } = await scoreOrg(db, orgId, today);
  return { trained, scored, changed };
}

/** Daily across all instances (jobs/schedule.ts): every organisation in turn. */
export function scheduleRiskJob(db: Db, intervalMs: number, log: (msg: string) => void = () => {}): () => Promise<void> {
  return scheduleSharedJob(db, {
    name: 'risk-train-score',
    intervalMs,
    log,
    async run() {
      const orgs = await db.query<{ id: string }>('SELECT id FROM organizations ORDER BY id');
      const parts: string[] = [];
      for (const o of orgs) {
        const r = await runRiskForOrg(db, o.id, new Date());
        parts.push(
          `${o.id}: ${r.scored} scored, ${r.trained.map((t) => `${t.target} ${t.why} auc ${t.holdoutAuc.toFixed(3)}`).join(', ')}`,
        );
      }
      return parts.join('; ') || 'no organisations';
    },
  });
}
