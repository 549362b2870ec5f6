import type { ComplianceDecision } from '../api/contract';
import { CHANNEL_FACTS } from '../domain/channels';
import type { AccountStatus, Channel, ContactKind, Segment } from '../domain/enums';
import type { StepAction, StepAnchor, StrategyDef, StrategyScope, StrategyStep } from '../domain/strategy';
import { addDays, daysBetween } from '../domain/time';
import { localDateFast } from './clock';
import { checkContact, type ComplianceInput } from './compliance';

/**
 * Deciding a strategy step for one account at one instant: pure, shared by the engine, the
 * simulation and the tests. Every contact goes through the same checkContact as an agent's.
 */

export interface StepReason {
  code: string;
  es: string;
  en: string;
}

export type StepDecision =
  /** Its day has not come yet in the debtor's calendar. */
  | { kind: 'not_due'; from: string }
  /** Go now, through this contact point (null for a call task's queue entry or a hand-over). */
  | { kind: 'send'; contactPointId: string | null }
  /** Compliance holds it now; it may go at `until`, still inside the step's window. */
  | { kind: 'wait'; until: string; reasons: StepReason[] }
  /** Never for this occurrence: a stop, a hard compliance refusal, or the window ran out. */
  | { kind: 'skip'; reason: StepReason; reasons: StepReason[] };

/** The channel whose rules an action obeys; null: no contact (a hand-over to a third party). */
export const ACTION_CHANNEL: Record<StepAction, Channel | null> = {
  email: 'email',
  sms: 'sms',
  whatsapp: 'whatsapp',
  call_task: 'call',
  letter: 'letter',
  handover: null,
};

export interface StrategyAccount {
  id: string;
  status: AccountStatus;
  balanceMinor: number;
  segment: Segment;
  product: string;
  country: string;
  /** The account's due date (oldest unpaid instalment), 'YYYY-MM-DD'. */
  dueDate: string | null;
  /** Reassigned to a legal stage (lawyers): every strategy step stops. */
  legalStage: boolean;
  /** A promise is open (pending or partially kept): the due-date ladder waits until it breaks. */
  promiseOpen: boolean;
}

export interface StrategyContactPoint {
  id: string;
  kind: ContactKind;
  value: string;
  invalid: boolean;
  doNotContact: boolean;
}

export interface DecideStepInput {
  step: Pick<StrategyStep, 'action' | 'anchor' | 'day' | 'validDays' | 'conditions'>;
  /** The anchor's date (due date, instalment due date, broken instalment's due date). */
  anchorDate: string;
  account: StrategyAccount;
  contactPoints: ReadonlyArray<StrategyContactPoint>;
  /** Everything checkContact needs except the channel, the contact point and the instant. */
  compliance: Omit<ComplianceInput, 'channel' | 'contactPoint' | 'at' | 'account'>;
  at: Date;
}

const R = (code: string, es: string, en: string): StepReason => ({ code, es, en });

const STATUS_STOP: Partial<Record<AccountStatus, StepReason>> = {
  dispute: R('stop.dispute', 'Cuenta en disputa', 'Account disputed'),
  hardship: R('stop.hardship', 'Cuenta en dificultad económica', 'Account in hardship'),
  do_not_contact: R('stop.do_not_contact', 'El deudor pidió no ser contactado', 'The debtor asked not to be contacted'),
  deceased: R('stop.deceased', 'Deudor fallecido', 'Debtor deceased'),
  bankrupt: R('stop.bankrupt', 'Deudor en quiebra', 'Debtor bankrupt'),
  closed: R('stop.closed', 'Cuenta cerrada', 'Account closed'),
};

/** A stop that holds every step of the account, or null. Paid first: a paid account needs nothing else. */
export function accountStop(account: StrategyAccount, anchor: StepAnchor): StepReason | null {
  if (account.balanceMinor <= 0) return R('stop.paid', 'Cuenta pagada', 'Account paid');
  const status = STATUS_STOP[account.status];
  if (status) return status;
  if (account.legalStage) return R('stop.legal', 'Cuenta en etapa judicial', 'Account in the legal stage');
  // the promise is the debtor's plan now: only its own reminders run until it breaks
  if (account.promiseOpen && anchor === 'due_date') return R('stop.promised', 'Promesa de pago vigente', 'A promise to pay is running');
  return null;
}

/** The step's window, in the debtor's calendar: [from, to] inclusive. */
export function stepWindow(step: Pick<StrategyStep, 'day' | 'validDays'>, anchorDate: string): { from: string; to: string } {
  const from = addDays(anchorDate, step.day);
  return { from, to: addDays(from, step.validDays) };
}

const fromCompliance = (d: ComplianceDecision): StepReason[] => d.reasons.map((r) => ({ code: r.ruleId, es: r.es, en: r.en }));

/** The debtor's calendar day at an instant (their zone; UTC when the zone is unknown). */
export function debtorToday(at: Date, timeZone: string): string {
  try {
    return localDateFast(at.getTime(), timeZone);
  } catch {
    return localDateFast(at.getTime(), 'UTC');
  }
}

export function decideStep(input: DecideStepInput): StepDecision {
  const { step, account, at } = input;
  const zone = input.compliance.debtor.timeZone;
  const today = debtorToday(at, zone);
  const window = stepWindow(step, input.anchorDate);
  if (today < window.from) return { kind: 'not_due', from: window.from };
  const skip = (reason: StepReason, reasons: StepReason[] = [reason]): StepDecision => ({ kind: 'skip', reason, reasons });
  if (today > window.to) return skip(R('window.passed', 'Pasó la ventana del paso', "The step's window has passed"));

  const stop = accountStop(account, step.anchor);
  if (stop) return skip(stop);
  const { minBalanceMinor, segments } = step.conditions;
  if (minBalanceMinor !== null && account.balanceMinor < minBalanceMinor)
    return skip(R('condition.balance', 'Saldo por debajo del mínimo del paso', "Balance below the step's minimum"));
  if (segments.length > 0 && !segments.includes(account.segment))
    return skip(R('condition.segment', 'Segmento fuera de las condiciones del paso', "Segment outside the step's conditions"));

  const channel = ACTION_CHANNEL[step.action];
  if (channel === null) return { kind: 'send', contactPointId: null };

  const usable = input.contactPoints.filter((c) => CHANNEL_FACTS[channel].kinds.includes(c.kind));
  if (usable.length === 0 && step.action !== 'call_task')
    return skip(
      R('no_contact_point', 'El deudor no tiene un dato de contacto para este canal', 'The debtor has no contact point for this channel'),
    );
  // a call task names no number: the agent picks one; it still waits for a moment the debtor may be called
  const candidates: Array<StrategyContactPoint | null> = usable.length ? usable : [null];
  let best: { cp: StrategyContactPoint | null; decision: ComplianceDecision } | null = null;
  let firstRefusal: ComplianceDecision | null = null;
  for (const cp of candidates) {
    const decision = checkContact({ ...input.compliance, channel, contactPoint: cp, account, at });
    if (decision.allowed) return { kind: 'send', contactPointId: step.action === 'call_task' ? null : (cp?.id ?? null) };
    firstRefusal ??= decision;
    if (decision.nextAllowedAt && (!best?.decision.nextAllowedAt || decision.nextAllowedAt < best.decision.nextAllowedAt)) {
      best = { cp, decision };
    }
  }
  if (!best?.decision.nextAllowedAt) {
    const reasons = fromCompliance(firstRefusal!);
    return skip(reasons[0] ?? R('compliance', 'Cumplimiento no lo permite', 'Compliance does not allow it'), reasons);
  }
  const next = new Date(best.decision.nextAllowedAt);
  const reasons = fromCompliance(best.decision);
  if (debtorToday(next, zone) > window.to) {
    return skip(
      R(
        'window.compliance',
        'Cumplimiento no lo permite dentro de la ventana del paso',
        "Compliance does not allow it inside the step's window",
      ),
      reasons,
    );
  }
  return { kind: 'wait', until: next.toISOString(), reasons };
}

export interface ScopeFacts {
  segment: Segment;
  product: string;
  country: string;
  /** Days past due on the planning day; negative before the due date. */
  dpd: number;
}

export function inScope(scope: StrategyScope, a: ScopeFacts): boolean {
  if (scope.segments.length && !scope.segments.includes(a.segment)) return false;
  if (scope.products.length && !scope.products.includes(a.product)) return false;
  if (scope.countries.length && !scope.countries.includes(a.country)) return false;
  if (scope.dpdMin !== null && a.dpd < scope.dpdMin) return false;
  if (scope.dpdMax !== null && a.dpd > scope.dpdMax) return false;
  return true;
}

/** Signed days past due: negative before the due date (so preventive strategies can scope on it). */
export function signedDpd(dueDate: string | null, today: string): number {
  return dueDate ? daysBetween(dueDate, today) : 0;
}

/** FNV-1a, 32 bits: a stable hash the same in every runtime, so an account's variant never flips. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export type Variant = 'champion' | 'challenger';

/** Which ladder an account follows: a stable share of accounts by hash of (strategy, account). */
export function variantFor(strategyId: string, accountId: string, challenger: StrategyDef['challenger']): Variant {
  if (!challenger) return 'champion';
  return stableHash(`${strategyId}:${accountId}`) % 100 < challenger.sharePercent ? 'challenger' : 'champion';
}

export const ladderFor = (s: Pick<StrategyDef, 'steps' | 'challenger'>, v: Variant): StrategyStep[] =>
  v === 'challenger' && s.challenger ? s.challenger.steps : s.steps;

/** The strategy an account follows: the first active one in rank order whose scope holds it. */
export function pickStrategy<S extends Pick<StrategyDef, 'active' | 'rank' | 'scope'> & { id: string }>(
  strategies: ReadonlyArray<S>,
  facts: ScopeFacts,
): S | null {
  return (
    [...strategies].filter((s) => s.active && inScope(s.scope, facts)).sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id))[0] ??
    null
  );
}

export interface PromiseFacts {
  id: string;
  status: 'pending' | 'kept' | 'partially_kept' | 'broken' | 'cancelled';
  installments: ReadonlyArray<{ seq: number; dueDate: string; amountMinor: number; paidMinor: number }>;
}

export interface Occurrence {
  /** Part of the run ledger's unique key: a step runs once per account and occurrence. */
  key: string;
  anchorDate: string;
}

/** The occurrences of a step's anchor for an account: its due date, each unpaid instalment, each broken promise. */
export function occurrences(anchor: StepAnchor, dueDate: string | null, promises: ReadonlyArray<PromiseFacts>): Occurrence[] {
  if (anchor === 'due_date') return dueDate ? [{ key: `due:${dueDate}`, anchorDate: dueDate }] : [];
  if (anchor === 'installment') {
    return promises
      .filter((p) => p.status === 'pending' || p.status === 'partially_kept')
      .flatMap((p) =>
        p.installments.filter((i) => i.paidMinor < i.amountMinor).map((i) => ({ key: `inst:${p.id}:${i.seq}`, anchorDate: i.dueDate })),
      );
  }
  return promises
    .filter((p) => p.status === 'broken')
    .flatMap((p) => {
      const first = p.installments.filter((i) => i.paidMinor < i.amountMinor).sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];
      return first ? [{ key: `broken:${p.id}`, anchorDate: first.dueDate }] : [];
    });
}
