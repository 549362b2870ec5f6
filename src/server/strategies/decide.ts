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
import { ACTION_CHANNEL, stepWindow } from '../../shared/rules/strategy';
import { firstBestInstant } from '../../shared/rules/contact-habits';
import { addDays, zonedTimeToUtc } from '../../shared/domain/time';

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

/** How far ahead a send may move to reach the debtor's best hour (and never past the step's window). */
export const BEST_HOUR_HORIZON_MS = 3 * 86_400_000;

/**
 * When a planned contact goes: a step that may go now (or once compliance frees it) goes instead
 * at the debtor's first best hour (contact_habits, docs/contact-habits.md) before the end of the
 * step's window and within BEST_HOUR_HORIZON_MS, when there is one; the run is judged again by
 * compliance at that instant. A hand-over and a letter keep their time.
 */
export function preferredSendAt(f: AccountFacts, plan: StepPlan, now: Date): string {
  const d = plan.decision;
  const base = d.kind === 'wait' ? Date.parse(d.until) : now.getTime();
  if (
    (d.kind !== 'send' && d.kind !== 'wait') ||
    f.bestHours.length === 0 ||
    !ACTION_CHANNEL[plan.step.action] ||
    plan.step.action === 'letter'
  )
    return new Date(base).toISOString();
  const windowEnd = zonedTimeToUtc(addDays(stepWindow(plan.step, plan.occurrence.anchorDate).to, 1), '00:00', f.debtor.timeZone).getTime();
  const best = firstBestInstant(f.bestHours, base, Math.min(windowEnd, base + BEST_HOUR_HORIZON_MS), f.debtor.timeZone);
  return new Date(best ?? base).toISOString();
}
