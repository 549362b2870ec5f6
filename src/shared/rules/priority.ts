import type { QueueReason } from '../api/contract';
import { dpdBucket, type AccountStatus, type DpdBucket, type PromiseStatus, type Segment } from '../domain/enums';
import { currencyDigits, type CurrencyCode } from '../domain/money';
import { daysBetween } from '../domain/time';
import { localDateFast } from './clock';
import { hourOfWeek, inBestHour } from './contact-habits';

/**
 * Queue priority ("análisis de momentos"): a pure function used by the client store (offline) and
 * the server alike. docs/priority.md explains the tiers, the weights and every reason code.
 */
export interface PriorityInput {
  dpd: number;
  balanceMinor: number;
  currency: CurrencyCode;
  segment: Segment;
  status: AccountStatus;
  callbackAt: string | null;
  lastContactAt: string | null;
  timeZone: string;
  promises: ReadonlyArray<{
    status: PromiseStatus;
    installments: ReadonlyArray<{ dueDate: string; amountMinor: number; paidMinor: number; status: PromiseStatus }>;
  }>;
  /**
   * The debtor's best hour-of-week cells (contact_habits, docs/contact-habits.md), in their zone.
   * Absent or empty: nothing learned, the account competes on risk alone.
   */
  bestHours?: ReadonlyArray<number>;
  /**
   * The learned propensity to pay in the next 30 days (docs/risk.md), when the account has a
   * score: it replaces the file's segment as the risk weight.
   */
  propensity?: number | null;
}

export interface Priority {
  /** Higher first. Negative: the account leaves the working queue. */
  score: number;
  reason: QueueReason;
}

/** Scores are tier × TIER + a within-tier score below TIER, so a tier always beats the ones below. */
export const TIER = 1_000_000;
export const TIERS = {
  callback_due: 6,
  promise_broken: 5,
  promise_due_today: 4,
  /** Nothing more pressing, and now is one of the debtor's best hours to answer. */
  best_hour: 3,
  risk: 2,
  /** Worked recently, promise running, or callback later: stays visible at the bottom. */
  sunk: 1,
  /** dispute, hardship, do-not-contact, deceased, bankrupt, closed: out of the queue. */
  out: -1,
} as const;

export const RISK_WEIGHT: Record<Segment, number> = { high: 3, medium: 2, low: 1 };

/**
 * Recoverability by DPD bucket: it rises as accounts roll into 61–90 (the last bucket before most
 * portfolios charge off or go to agencies) and falls after; current accounts get preventive weight.
 */
export const BUCKET_WEIGHT: Record<DpdBucket, number> = {
  current: 0.3,
  '1-30': 1.0,
  '31-60': 1.4,
  '61-90': 1.8,
  '91-120': 1.6,
  '121-180': 1.2,
  '180+': 0.8,
};

/**
 * Rough units of each currency per US dollar (late 2026 order of magnitude), only to put balances
 * of different currencies on one scale. Precision does not matter: the balance enters through a
 * logarithm, so a 10 % rate error moves a score by well under 1 %.
 */
export const ROUGH_UNITS_PER_USD: Record<CurrencyCode, number> = { USD: 1, MXN: 18, PEN: 3.7, CLP: 950, COP: 4000 };

/** A broken promise stays at the top for this many days after the installment's due date. */
export const BROKEN_PROMISE_DAYS = 30;
/** Accounts contacted within this many hours sink. */
export const RECENT_CONTACT_HOURS = 24;

export function balanceUsd(balanceMinor: number, currency: CurrencyCode): number {
  return balanceMinor / 10 ** currencyDigits(currency) / ROUGH_UNITS_PER_USD[currency];
}

/**
 * The risk weight of a learned propensity p: 1 + 2p, the same 1–3 range as the segments, so the
 * expected collection (likelier to pay × larger balance) ranks first and scored accounts mix
 * fairly with unscored ones.
 */
export function propensityWeight(p: number): number {
  return 1 + 2 * Math.min(1, Math.max(0, p));
}

/** risk × log-balance × bucket weight, as an integer below TIER. */
export function baseScore(input: Pick<PriorityInput, 'dpd' | 'balanceMinor' | 'currency' | 'segment' | 'propensity'>): number {
  const balanceWeight = Math.log10(1 + Math.max(0, balanceUsd(input.balanceMinor, input.currency)));
  const risk = input.propensity != null ? propensityWeight(input.propensity) : RISK_WEIGHT[input.segment];
  const s = risk * balanceWeight * BUCKET_WEIGHT[dpdBucket(input.dpd)] * 1000;
  return Math.min(TIER - 1, Math.max(0, Math.round(s)));
}

function safeLocalDate(now: Date, timeZone: string): string {
  try {
    return localDateFast(now.getTime(), timeZone);
  } catch {
    return localDateFast(now.getTime(), 'UTC');
  }
}

const OPEN: ReadonlySet<PromiseStatus> = new Set(['pending', 'partially_kept']);

export function prioritize(input: PriorityInput, now: Date): Priority {
  const base = baseScore(input);
  const at = (tier: number, within: number, code: string, params: QueueReason['params'] = {}): Priority => ({
    score: tier * TIER + within,
    reason: { code, params },
  });

  if (input.status !== 'active') return at(TIERS.out, base, `status.${input.status}`);

  const nowMs = now.getTime();
  const callbackMs = input.callbackAt ? Date.parse(input.callbackAt) : NaN;
  if (callbackMs <= nowMs) {
    // Among due callbacks the longest-waiting first.
    const overdueMin = Math.min(TIER - 1, Math.floor((nowMs - callbackMs) / 60_000));
    return at(TIERS.callback_due, overdueMin, 'callback_due', { callbackAt: input.callbackAt! });
  }

  const lastContactMs = input.lastContactAt ? Date.parse(input.lastContactAt) : NaN;
  const recentlyContacted = nowMs - lastContactMs < RECENT_CONTACT_HOURS * 3_600_000;
  const today = safeLocalDate(now, input.timeZone);
  const params = { segment: input.segment, bucket: dpdBucket(input.dpd), dpd: input.dpd };

  const installments = input.promises
    .filter((p) => p.status !== 'cancelled')
    .flatMap((p) => p.installments.map((i) => ({ ...i, promiseStatus: p.status })));
  const unpaid = (i: (typeof installments)[number]) => i.paidMinor < i.amountMinor;
  const broken = installments
    .filter(
      (i) =>
        (i.status === 'broken' || (i.promiseStatus === 'broken' && unpaid(i) && i.dueDate < today)) &&
        daysBetween(i.dueDate, today) <= BROKEN_PROMISE_DAYS &&
        i.dueDate <= today,
    )
    .sort((a, b) => b.dueDate.localeCompare(a.dueDate))[0];
  const dueToday = installments.find((i) => i.dueDate === today && unpaid(i) && OPEN.has(i.status));
  const openAhead = installments
    .filter((i) => i.dueDate > today && unpaid(i) && OPEN.has(i.status) && OPEN.has(i.promiseStatus))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate))[0];

  if (recentlyContacted) return at(TIERS.sunk, base, 'recently_contacted', { lastContactAt: input.lastContactAt! });
  if (broken)
    return at(TIERS.promise_broken, base, 'promise_broken', {
      dueDate: broken.dueDate,
      amountMinor: broken.amountMinor - broken.paidMinor,
    });
  if (dueToday) return at(TIERS.promise_due_today, base, 'promise_due_today', { amountMinor: dueToday.amountMinor - dueToday.paidMinor });
  if (callbackMs > nowMs) {
    const code = safeLocalDate(new Date(callbackMs), input.timeZone) === today ? 'callback_today' : 'callback_scheduled';
    return at(TIERS.sunk, base, code, { callbackAt: input.callbackAt! });
  }
  if (openAhead) return at(TIERS.sunk, base, 'promise_open', { dueDate: openAhead.dueDate });
  if (input.bestHours && inBestHour(input.bestHours, nowMs, input.timeZone)) {
    const hour = hourOfWeek(nowMs, input.timeZone) % 24;
    return at(TIERS.best_hour, base, 'best_hour', { ...params, from: hour, to: hour + 1 });
  }
  if (input.propensity != null)
    return at(TIERS.risk, base, 'propensity', { percent: Math.round(input.propensity * 100), bucket: params.bucket, dpd: input.dpd });
  return at(TIERS.risk, base, 'risk', params);
}
