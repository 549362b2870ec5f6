import { z } from 'zod';

/**
 * The risk score's pure parts, shared by the server (scoring, training) and the workstation
 * (reading the synced score): the feature catalogue, the standardised logistic model and its
 * reason codes. docs/risk.md defines every feature.
 */

/** Numeric features computed in SQL (src/server/risk/features-sql.ts), in this order. */
export const NUMERIC_FEATURES = [
  'dpd',
  'dpd_change_30',
  'balance_share',
  'log_balance_usd',
  'payments_180',
  'days_since_payment',
  'months_paid_6',
  'promises_made_180',
  'promises_kept_180',
  'promises_broken_180',
  'call_attempts_30',
  'message_attempts_30',
  'rpc_30',
  'replies_30',
  'disputes_365',
  'tenure_days',
] as const;
export type NumericFeature = (typeof NUMERIC_FEATURES)[number];

/** A product indicator is named `product:<name>`; the model keeps the products it was trained on. */
export const PRODUCT_PREFIX = 'product:';

/**
 * Attributes a score must not use (nor a feature named after them): the model card checks the
 * feature list against these words. The feature SQL reads no debtor column but the account's own
 * (no name, national id, country of birth, sex or birth date), so no feature proxies them.
 */
export const PROTECTED_ATTRIBUTES = [
  'sex',
  'sexo',
  'gender',
  'genero',
  'female',
  'male',
  'mujer',
  'hombre',
  'age',
  'edad',
  'birth',
  'nacimiento',
  'nationality',
  'national',
  'nacionalidad',
  'country',
  'pais',
] as const;

export const RiskModel = z.object({
  features: z.array(z.string()).min(1),
  means: z.array(z.number()),
  sds: z.array(z.number()),
  /** intercept first, then one coefficient per standardised feature */
  coefficients: z.array(z.number()),
});
export type RiskModel = z.infer<typeof RiskModel>;

export type FeatureRow = Record<string, number>;

export const ReasonCode = z.object({
  feature: z.string(),
  /** 'up': raises the probability; 'down': lowers it. */
  direction: z.enum(['up', 'down']),
  /** Parameters of the reason's text (the feature's value and context). */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ReasonCode = z.infer<typeof ReasonCode>;

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** The feature vector of one row in the model's order (a product indicator is 1 or 0). */
export function vectorOf(model: Pick<RiskModel, 'features'>, row: FeatureRow, product?: string): number[] {
  return model.features.map((f) => (f.startsWith(PRODUCT_PREFIX) ? (f === PRODUCT_PREFIX + product ? 1 : 0) : (row[f] ?? 0)));
}

/** Each feature's contribution to the log-odds against the average account: coef × (x − mean) / sd. */
export function contributions(model: RiskModel, x: readonly number[]): number[] {
  return model.features.map((_, j) => (model.coefficients[j + 1]! * (x[j]! - model.means[j]!)) / (model.sds[j]! || 1));
}

export function probability(model: RiskModel, x: readonly number[]): number {
  let z = model.coefficients[0]!;
  for (const c of contributions(model, x)) z += c;
  // the intercept is fitted on standardised features, so it already holds the mean account's log-odds
  return sigmoid(z);
}

/**
 * The three features that moved this account's score most from the average account, largest
 * |contribution| first; ties break on the catalogue order so a fixed model always explains the
 * same account the same way.
 */
export function reasonCodes(model: RiskModel, x: readonly number[], row: FeatureRow, product: string, count = 3): ReasonCode[] {
  const c = contributions(model, x);
  return model.features
    .map((feature, j) => ({ feature, j, c: c[j]! }))
    .filter((r) => Math.abs(r.c) > 1e-9)
    .sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.j - b.j)
    .slice(0, count)
    .map(({ feature, c: cj }) => ({
      feature: feature.startsWith(PRODUCT_PREFIX) ? 'product' : feature,
      direction: cj > 0 ? ('up' as const) : ('down' as const),
      params: reasonParams(feature, row, product),
    }));
}

/** What the reason's sentence needs: the value, and for the regularity the window it counts. */
function reasonParams(feature: string, row: FeatureRow, product: string): Record<string, string | number> {
  if (feature.startsWith(PRODUCT_PREFIX)) return { product };
  const value = row[feature] ?? 0;
  const rounded = Number.isInteger(value) ? value : Math.round(value * 100) / 100;
  switch (feature) {
    case 'months_paid_6':
      return { count: rounded, of: 6 };
    case 'balance_share':
      return { percent: Math.round(value * 100) };
    case 'log_balance_usd':
      return { usd: Math.round(Math.expm1(value)) };
    default:
      return { count: rounded };
  }
}

/** An account's latest score as it syncs to the workstation (server table account_scores). */
export const AccountScore = z.object({
  accountId: z.string().uuid(),
  /** P(a payment in the next 30 days) */
  payProbability: z.number().min(0).max(1),
  /** P(rolling to the next DPD bucket in 30 days), when a roll model is in use */
  rollProbability: z.number().min(0).max(1).nullable(),
  reasons: z.array(ReasonCode).max(3),
  /** the organisation-zone day the features were computed as of */
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  version: z.string().regex(/^\d+$/),
});
export type AccountScore = z.infer<typeof AccountScore>;
