import type { OrgComplianceState } from '../../shared/domain/org-compliance';
import type { Strategy, StrategyStep } from '../../shared/domain/strategy';
import {
  accountStop,
  debtorToday,
  decideStep,
  ladderFor,
  occurrences,
  pickStrategy,
  signedDpd,
  variantFor,
  type Occurrence,
  type StepDecision,
  type Variant,
} from '../../shared/rules/strategy';
import type { AccountFacts } from './facts';

export interface StepPlan {
  strategy: Strategy;
  variant: Variant;
  step: StrategyStep;
  /** 1-based place in its ladder, for the agent's task text ("paso 3"). */
  index: number;
  occurrence: Occurrence;
  decision: StepDecision;
}

export const orgComplianceInput = (org: OrgComplianceState) => ({
  country: org.country,
  timeZone: org.timeZone,
  dncNumbers: org.rules.dncNumbers,
  overrides: org.rules.overrides,
});

/** Decides one step occurrence for an account at an instant (the shared rule over the server's facts). */
export function decideFor(f: AccountFacts, org: OrgComplianceState, step: StrategyStep, anchorDate: string, at: Date): StepDecision {
  return decideStep({
    step,
    anchorDate,
    account: f.account,
    contactPoints: f.contactPoints,
    compliance: { debtor: f.debtor, history: f.history, org: orgComplianceInput(org) },
    at,
  });
}

/**
 * Every step occurrence of the account's strategy that is due now and has no run yet, decided.
 * `done` holds the ledger keys already run (runKey).
 */
export function planAccount(
  f: AccountFacts,
  strategies: readonly Strategy[],
  org: OrgComplianceState,
  at: Date,
  done: ReadonlySet<string>,
): StepPlan[] {
  const today = debtorToday(at, f.debtor.timeZone);
  const strategy = pickStrategy(strategies, {
    segment: f.account.segment,
    product: f.account.product,
    country: f.account.country,
    dpd: signedDpd(f.account.dueDate, today),
  });
  if (!strategy) return [];
  const variant = variantFor(strategy.id, f.account.id, strategy.challenger);
  const out: StepPlan[] = [];
  ladderFor(strategy, variant).forEach((step, i) => {
    for (const occurrence of occurrences(step.anchor, f.account.dueDate, f.promises)) {
      if (done.has(runKey(f.account.id, strategy.id, step.key, occurrence.key))) continue;
      const decision = decideFor(f, org, step, occurrence.anchorDate, at);
      if (decision.kind === 'not_due') continue;
      out.push({ strategy, variant, step, index: i + 1, occurrence, decision });
    }
  });
  return out;
}

export const runKey = (accountId: string, strategyId: string, stepKey: string, occurrence: string) =>
  `${accountId}|${strategyId}|${stepKey}|${occurrence}`;

/** Why a run's occurrence no longer exists (paid instalment, moved due date): a stop when one holds, else gone. */
export function goneReason(f: AccountFacts, step: StrategyStep) {
  return (
    accountStop(f.account, step.anchor) ?? {
      code: 'occurrence.gone',
      es: 'El vencimiento o la cuota del paso ya no aplica',
      en: "The step's due date or instalment no longer applies",
    }
  );
}
