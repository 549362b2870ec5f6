import { NUMERIC_FEATURES, PRODUCT_PREFIX, PROTECTED_ATTRIBUTES, type RiskModel } from '../../shared/risk/score';
import type { ModelCard, ProtectedCheck } from '../../shared/risk/card';

export type { ModelCard, ProtectedCheck } from '../../shared/risk/card';

/**
 * What the feature SQL reads (src/server/risk/features-sql.ts). No debtor column at all: a
 * national id can encode sex and birth date (Mexico's CURP does), a name hints at sex, the
 * country at nationality — so none of them is read, and nothing derived from them can proxy them.
 */
export const FEATURE_SOURCE_COLUMNS = [
  'accounts.product',
  'accounts.currency',
  'accounts.principal_minor',
  'accounts.balance_minor',
  'accounts.due_date',
  'accounts.created_at',
  'payments.paid_at',
  'payments.amount_minor',
  'payments.applied_minor',
  'payments.reversed_at',
  'promises.created_at',
  'promises.status',
  'promise_installments.due_date',
  'activities.channel',
  'activities.direction',
  'activities.disposition',
  'activities.started_at',
  'inbound_messages.received_at',
  'risk_account_days.dpd',
  'risk_account_days.balance_minor',
] as const;

const norm = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

export function protectedCheck(features: readonly string[], sourceColumns: readonly string[] = FEATURE_SOURCE_COLUMNS): ProtectedCheck {
  const found: string[] = [];
  for (const name of [...features, ...sourceColumns]) {
    const n = norm(name);
    if (n.startsWith('debtors.')) found.push(name);
    else if (PROTECTED_ATTRIBUTES.some((w) => n.split(/[^a-z]+/).includes(w))) found.push(name);
  }
  return { attributes: [...PROTECTED_ATTRIBUTES], sourceColumns: [...sourceColumns], found, passed: found.length === 0 };
}

/** The model's features: the numeric ones and one indicator per product seen in training. */
export function featureNames(products: readonly string[]): string[] {
  return [...NUMERIC_FEATURES, ...products.map((p) => PRODUCT_PREFIX + p)];
}

/**
 * The promotion rule: a candidate replaces the model in use only if its AUC on the time-split
 * hold-out is higher than the incumbent's on the very same rows, and it passed the protected
 * check. With no model in use, a candidate that beats chance (AUC > 0.5) is promoted.
 */
export function promotionDecision(
  candidateAuc: number,
  incumbentAuc: number | null,
  check: Pick<ProtectedCheck, 'passed'>,
): { promote: boolean; why: string } {
  if (!check.passed) return { promote: false, why: 'protected_attribute' };
  if (!Number.isFinite(candidateAuc)) return { promote: false, why: 'holdout_single_class' };
  if (incumbentAuc === null)
    return candidateAuc > 0.5 ? { promote: true, why: 'first_model' } : { promote: false, why: 'no_better_than_chance' };
  return candidateAuc > incumbentAuc ? { promote: true, why: 'beats_incumbent' } : { promote: false, why: 'incumbent_better' };
}

export function cardFeatures(model: RiskModel): ModelCard['features'] {
  return model.features.map((name, j) => ({ name, coefficient: model.coefficients[j + 1]!, mean: model.means[j]!, sd: model.sds[j]! }));
}
