import { z } from 'zod';
import { IsoDate } from '../domain/entities';
import type { PromiseStatus } from '../domain/enums';
import { formatMoney, MinorAmount, type CurrencyCode } from '../domain/money';
import { addDays, daysBetween, formatDay } from '../domain/time';
import { localToUtc } from './clock';

/**
 * Promises to pay ("promesas de pago"): the organisation's policy, validation of a new promise,
 * FIFO allocation of payments and the kept / broken decision. docs/promises.md has the rules.
 */

/** Absolute ceiling on installments in one promise (a series of up to 250, as Latitude allows). */
export const MAX_INSTALLMENTS = 250;

export const PromisePolicy = z.object({
  /** Product this policy is for; null = the organisation's default. */
  product: z.string().min(1).nullable().default(null),
  /** The promise's total must reach this much (or the whole balance, if smaller). */
  minAmountMinor: MinorAmount.default(0),
  /** … and this share of the balance, in percent. */
  minPercentOfBalance: z.number().min(0).max(100).default(0),
  /** The first payment may be at most this many days after today (0 = today). */
  maxDaysToFirstPayment: z.number().int().min(0).max(366).default(30),
  maxInstallments: z.number().int().min(1).max(MAX_INSTALLMENTS).default(1),
  /** Every payment after the first must be at least this much (the last may be less if it settles the balance). */
  minLaterPaymentMinor: MinorAmount.default(0),
  /** Days after a due date before an unpaid installment is broken. */
  graceDays: z.number().int().min(0).max(60).default(0),
  /** An installment is kept when payments on time reach this percent of it. */
  keptThresholdPercent: z.number().gt(0).max(100).default(100),
});
export type PromisePolicy = z.infer<typeof PromisePolicy>;
export type PromisePolicyInput = z.input<typeof PromisePolicy>;

/** The product's own policy, else the organisation's default (product null), else null. */
export function selectPromisePolicy(policies: ReadonlyArray<PromisePolicy>, product: string): PromisePolicy | null {
  return policies.find((p) => p.product === product) ?? policies.find((p) => p.product === null) ?? null;
}

export const ProposedInstallment = z.object({ dueDate: IsoDate, amountMinor: MinorAmount });
export type ProposedInstallment = z.infer<typeof ProposedInstallment>;

export interface PromiseRuleBroken {
  ruleId: string;
  field: string;
  es: string;
  en: string;
}
export type PromiseValidation = { ok: true } | { ok: false; errors: PromiseRuleBroken[] };

const pctOf = (minor: number, pct: number) => Math.ceil((minor * pct) / 100);

/** A count with its noun in the right number: "1 día", "3 días" (these texts are built here, not by i18next). */
const counted = (n: number, one: string, other: string) => `${n} ${n === 1 ? one : other}`;

/** The least total a promise on this balance may promise under the policy (shown before the agent types). */
export function promiseMinimumMinor(policy: PromisePolicy, balanceMinor: number): number {
  return Math.max(Math.min(policy.minAmountMinor, balanceMinor), pctOf(balanceMinor, policy.minPercentOfBalance));
}

/**
 * Checks a proposed promise against the policy. Returns every broken rule, each naming the field
 * at fault, so the agent (or the debtor's self-service page) can fix them all at once.
 */
export function validatePromise(
  policy: PromisePolicy,
  account: { balanceMinor: number; currency?: CurrencyCode },
  installments: ReadonlyArray<ProposedInstallment>,
  today: string,
): PromiseValidation {
  const errors: PromiseRuleBroken[] = [];
  // the agent reads these: amounts in the account's currency, days as the debtor writes them
  const money = (minor: number, lang: 'es' | 'en') =>
    account.currency ? formatMoney(minor, account.currency, lang) : `${minor} (${lang === 'es' ? 'unidades menores' : 'minor units'})`;
  const day = (d: string, lang: 'es' | 'en') => formatDay(d, lang);
  const err = (ruleId: string, field: string, es: string, en: string) => errors.push({ ruleId, field, es, en });
  if (installments.length === 0) {
    err('promise.empty', 'installments', 'La promesa no tiene pagos', 'The promise has no payments');
    return { ok: false, errors };
  }
  const limit = Math.min(policy.maxInstallments, MAX_INSTALLMENTS);
  if (installments.length > limit) {
    err(
      'promise.max_installments',
      'installments',
      `Máximo ${counted(limit, 'pago', 'pagos')} por promesa (hay ${installments.length})`,
      `At most ${counted(limit, 'payment', 'payments')} per promise (got ${installments.length})`,
    );
  }
  installments.forEach((inst, i) => {
    const parsed = ProposedInstallment.safeParse(inst);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      err(
        'promise.invalid',
        `installments[${i}].${issue?.path.join('.') ?? ''}`,
        `Pago ${i + 1}: ${issue?.message ?? 'inválido'}`,
        `Payment ${i + 1}: ${issue?.message ?? 'invalid'}`,
      );
    } else if (inst.amountMinor <= 0) {
      err(
        'promise.amount_positive',
        `installments[${i}].amountMinor`,
        `Pago ${i + 1}: el monto debe ser mayor que cero`,
        `Payment ${i + 1}: the amount must be greater than zero`,
      );
    }
  });
  if (errors.some((e) => e.ruleId === 'promise.invalid')) return { ok: false, errors };

  const first = installments[0]!;
  if (first.dueDate < today) {
    err(
      'promise.first_due_past',
      'installments[0].dueDate',
      'El primer pago no puede tener fecha pasada',
      'The first payment cannot be dated in the past',
    );
  } else if (daysBetween(today, first.dueDate) > policy.maxDaysToFirstPayment) {
    err(
      'promise.first_due_too_far',
      'installments[0].dueDate',
      `El primer pago debe ser a más tardar el ${day(addDays(today, policy.maxDaysToFirstPayment), 'es')} (${counted(policy.maxDaysToFirstPayment, 'día', 'días')})`,
      `The first payment must be no later than ${day(addDays(today, policy.maxDaysToFirstPayment), 'en')} (${counted(policy.maxDaysToFirstPayment, 'day', 'days')})`,
    );
  }
  for (let i = 1; i < installments.length; i++) {
    if (installments[i]!.dueDate <= installments[i - 1]!.dueDate) {
      err(
        'promise.dates_order',
        `installments[${i}].dueDate`,
        `Pago ${i + 1}: la fecha debe ser posterior a la del pago ${i}`,
        `Payment ${i + 1}: the date must be after payment ${i}'s`,
      );
    }
  }
  const total = installments.reduce((s, x) => s + x.amountMinor, 0);
  if (total > account.balanceMinor) {
    err('promise.exceeds_balance', 'installments', 'La promesa supera el saldo de la cuenta', 'The promise exceeds the account balance');
  }
  const minAbs = Math.min(policy.minAmountMinor, account.balanceMinor);
  if (total < minAbs) {
    err(
      'promise.min_amount',
      'installments',
      `El total prometido debe ser al menos ${money(minAbs, 'es')}`,
      `The promised total must be at least ${money(minAbs, 'en')}`,
    );
  }
  const minPct = pctOf(account.balanceMinor, policy.minPercentOfBalance);
  if (total < minPct) {
    err(
      'promise.min_percent',
      'installments',
      `El total prometido debe ser al menos el ${policy.minPercentOfBalance} % del saldo (${money(minPct, 'es')})`,
      `The promised total must be at least ${policy.minPercentOfBalance}% of the balance (${money(minPct, 'en')})`,
    );
  }
  installments.forEach((inst, i) => {
    if (i === 0 || inst.amountMinor >= policy.minLaterPaymentMinor) return;
    const settlesLast = i === installments.length - 1 && total === account.balanceMinor;
    if (!settlesLast) {
      err(
        'promise.min_later_payment',
        `installments[${i}].amountMinor`,
        `Pago ${i + 1}: mínimo ${money(policy.minLaterPaymentMinor, 'es')}`,
        `Payment ${i + 1}: at least ${money(policy.minLaterPaymentMinor, 'en')}`,
      );
    }
  });
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

// ── Allocation ─────────────────────────────────────────────────────────────

export interface PromiseForAllocation {
  id: string;
  status: PromiseStatus;
  /** Payments made before the promise existed do not count towards it; absent = all count. */
  createdAt?: string;
  installments: ReadonlyArray<{ seq: number; dueDate: string; amountMinor: number }>;
}
export interface PaymentForAllocation {
  id: string;
  amountMinor: number;
  paidAt: string;
  reversedAt: string | null;
}
export interface InstallmentAllocation {
  promiseId: string;
  seq: number;
  dueDate: string;
  amountMinor: number;
  paidMinor: number;
  allocations: Array<{ paymentId: string; amountMinor: number; paidAt: string }>;
}
export interface Allocation {
  installments: InstallmentAllocation[];
  /** Money not applied to any installment (over-payment, or paid before every open promise). */
  unallocated: Array<{ paymentId: string; amountMinor: number }>;
}

/**
 * Applies payments first-in-first-out: in the order they were paid, each fills the open
 * installment due earliest (across every promise of the account). Reversed payments are left
 * out and the whole allocation is recomputed, which undoes a reversed payment's share exactly.
 * A payment made before an installment's due date counts for it.
 */
export function allocatePayments(promises: ReadonlyArray<PromiseForAllocation>, payments: ReadonlyArray<PaymentForAllocation>): Allocation {
  const slots: Array<InstallmentAllocation & { createdAt: number }> = promises
    .filter((p) => p.status !== 'cancelled')
    .flatMap((p) =>
      p.installments.map((i) => ({
        promiseId: p.id,
        seq: i.seq,
        dueDate: i.dueDate,
        amountMinor: i.amountMinor,
        paidMinor: 0,
        allocations: [],
        createdAt: p.createdAt ? Date.parse(p.createdAt) : -Infinity,
      })),
    )
    .sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a.createdAt - b.createdAt || a.promiseId.localeCompare(b.promiseId) || a.seq - b.seq,
    );
  const unallocated: Allocation['unallocated'] = [];
  const live = payments
    .filter((p) => p.reversedAt === null)
    .sort((a, b) => Date.parse(a.paidAt) - Date.parse(b.paidAt) || a.id.localeCompare(b.id));
  for (const pay of live) {
    let left = pay.amountMinor;
    const paidAt = Date.parse(pay.paidAt);
    for (const slot of slots) {
      if (left === 0) break;
      if (slot.createdAt > paidAt) continue;
      const take = Math.min(left, slot.amountMinor - slot.paidMinor);
      if (take <= 0) continue;
      slot.paidMinor += take;
      slot.allocations.push({ paymentId: pay.id, amountMinor: take, paidAt: pay.paidAt });
      left -= take;
    }
    if (left > 0) unallocated.push({ paymentId: pay.id, amountMinor: left });
  }
  return { installments: slots.map(({ createdAt: _c, ...s }) => s), unallocated };
}

// ── Kept / broken ──────────────────────────────────────────────────────────

export interface InstallmentStatus extends InstallmentAllocation {
  /** Paid by the deadline (due date + grace days, end of that day in the debtor's zone). */
  onTimeMinor: number;
  /** First instant the installment is late: 00:00 of the day after due date + grace days. */
  deadline: string;
  status: PromiseStatus;
}
export interface PromiseStatusResult {
  promiseId: string;
  status: PromiseStatus;
  installments: InstallmentStatus[];
}

/**
 * Status of each installment and promise at `now`. An installment is kept once payments made by
 * its deadline reach the kept threshold; when the deadline passes short of it, it is partially
 * kept if something was paid on time, broken if nothing was. A promise is broken if any
 * installment is, kept when all are, partially kept if any is (and none broken), else pending.
 */
export function promiseStatus(
  promises: ReadonlyArray<PromiseForAllocation>,
  payments: ReadonlyArray<PaymentForAllocation>,
  policy: Pick<PromisePolicy, 'graceDays' | 'keptThresholdPercent'>,
  now: Date,
  timeZone: string,
): { promises: PromiseStatusResult[]; unallocated: Allocation['unallocated'] } {
  const alloc = allocatePayments(promises, payments);
  const nowMs = now.getTime();
  const results = promises.map((p): PromiseStatusResult => {
    const mine = alloc.installments.filter((i) => i.promiseId === p.id).sort((a, b) => a.seq - b.seq);
    if (p.status === 'cancelled') {
      return {
        promiseId: p.id,
        status: 'cancelled',
        installments: p.installments.map((i) => ({
          promiseId: p.id,
          seq: i.seq,
          dueDate: i.dueDate,
          amountMinor: i.amountMinor,
          paidMinor: 0,
          allocations: [],
          onTimeMinor: 0,
          deadline: new Date(localToUtc(addDays(i.dueDate, policy.graceDays + 1), '00:00', timeZone)).toISOString(),
          status: 'cancelled',
        })),
      };
    }
    const installments = mine.map((i): InstallmentStatus => {
      const deadlineMs = localToUtc(addDays(i.dueDate, policy.graceDays + 1), '00:00', timeZone);
      const onTimeMinor = i.allocations.filter((a) => Date.parse(a.paidAt) < deadlineMs).reduce((s, a) => s + a.amountMinor, 0);
      const threshold = pctOf(i.amountMinor, policy.keptThresholdPercent);
      let status: PromiseStatus;
      if (onTimeMinor >= threshold) status = 'kept';
      else if (nowMs < deadlineMs) status = 'pending';
      else status = onTimeMinor > 0 ? 'partially_kept' : 'broken';
      return { ...i, onTimeMinor, deadline: new Date(deadlineMs).toISOString(), status };
    });
    const st = installments.map((i) => i.status);
    const status: PromiseStatus = st.includes('broken')
      ? 'broken'
      : st.every((s) => s === 'kept')
        ? 'kept'
        : st.includes('partially_kept')
          ? 'partially_kept'
          : 'pending';
    return { promiseId: p.id, status, installments };
  });
  return { promises: results, unallocated: alloc.unallocated };
}
