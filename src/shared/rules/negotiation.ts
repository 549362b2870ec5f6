import { z } from 'zod';
import { IsoDate } from '../domain/entities';
import { DpdBucket } from '../domain/enums';
import { MinorAmount, type CurrencyCode } from '../domain/money';
import { addDays, daysBetween } from '../domain/time';

/**
 * Negotiation ("negociación"): what an agent may offer — a settlement in full with discounts, or a
 * payment plan — per product and DPD bucket, and who must approve it. Amounts are integer minor
 * units of the account's currency (COP and CLP have none, so their minor unit is one peso).
 */

const Pct = z.number().min(0).max(100);

export const NegotiationRule = z
  .object({
    /** null = any product. */
    product: z.string().min(1).nullable().default(null),
    /** null = any bucket. */
    bucket: DpdBucket.nullable().default(null),
    settlement: z
      .object({
        /** Policy limits on discounts, percent of each component; beyond them nobody may approve. */
        maxDiscountPrincipalPct: Pct.default(0),
        maxDiscountInterestPct: Pct.default(0),
        maxDiscountFeesPct: Pct.default(0),
        /** The agent's own authority; between these and the policy limits a team lead approves. */
        agentDiscountPrincipalPct: Pct.default(0),
        agentDiscountInterestPct: Pct.default(0),
        agentDiscountFeesPct: Pct.default(0),
      })
      .default({
        maxDiscountPrincipalPct: 0,
        maxDiscountInterestPct: 0,
        maxDiscountFeesPct: 0,
        agentDiscountPrincipalPct: 0,
        agentDiscountInterestPct: 0,
        agentDiscountFeesPct: 0,
      }),
    plan: z
      .object({
        maxInstallments: z.number().int().min(1).max(250).default(12),
        agentMaxInstallments: z.number().int().min(1).max(250).default(6),
        /** Down payment as percent of the balance: below the policy minimum nobody may approve… */
        minDownPaymentPct: Pct.default(0),
        /** …and below the agent's minimum a team lead approves. */
        agentMinDownPaymentPct: Pct.default(0),
        /** Monthly interest on the financed amount, percent (1.5 = 1.5 % a month). */
        monthlyInterestPct: z.number().min(0).max(10).default(0),
        /** Installments are rounded to this many minor units (e.g. 100 pesos); the last absorbs the rest. */
        roundingUnitMinor: z.number().int().min(1).default(1),
      })
      .default({
        maxInstallments: 12,
        agentMaxInstallments: 6,
        minDownPaymentPct: 0,
        agentMinDownPaymentPct: 0,
        monthlyInterestPct: 0,
        roundingUnitMinor: 1,
      }),
  })
  .superRefine((r, ctx) => {
    const s = r.settlement;
    for (const k of ['Principal', 'Interest', 'Fees'] as const) {
      if (s[`agentDiscount${k}Pct`] > s[`maxDiscount${k}Pct`]) {
        ctx.addIssue({
          code: 'custom',
          path: ['settlement', `agentDiscount${k}Pct`],
          message: 'agent authority cannot exceed the policy limit',
        });
      }
    }
    if (r.plan.agentMaxInstallments > r.plan.maxInstallments) {
      ctx.addIssue({ code: 'custom', path: ['plan', 'agentMaxInstallments'], message: 'agent authority cannot exceed the policy limit' });
    }
    if (r.plan.agentMinDownPaymentPct < r.plan.minDownPaymentPct) {
      ctx.addIssue({
        code: 'custom',
        path: ['plan', 'agentMinDownPaymentPct'],
        message: "the agent's minimum down payment cannot be below the policy's",
      });
    }
  });
export type NegotiationRule = z.infer<typeof NegotiationRule>;
export type NegotiationRuleInput = z.input<typeof NegotiationRule>;

export const NegotiationPolicy = z.object({ rules: z.array(NegotiationRule).min(1) });
export type NegotiationPolicy = z.infer<typeof NegotiationPolicy>;

/** The most specific rule: product and bucket, then product, then bucket, then the catch-all. */
export function selectNegotiationRule(policy: NegotiationPolicy, product: string, bucket: DpdBucket): NegotiationRule | null {
  const rank = (r: NegotiationRule) => (r.product === product ? 2 : 0) + (r.bucket === bucket ? 1 : 0);
  const fits = policy.rules.filter((r) => (r.product === null || r.product === product) && (r.bucket === null || r.bucket === bucket));
  return fits.sort((a, b) => rank(b) - rank(a))[0] ?? null;
}

// ── Settlement in full ─────────────────────────────────────────────────────

export const BalanceBreakdown = z.object({ principalMinor: MinorAmount, interestMinor: MinorAmount, feesMinor: MinorAmount });
export type BalanceBreakdown = z.infer<typeof BalanceBreakdown>;

/**
 * How today's balance splits into the parts a settlement discounts, from what an account carries:
 * its current balance and the principal originally lent. The principal still owed is at most the
 * balance (payments go to principal first once the balance is below it); the rest of the balance is
 * interest. Accounts carry no separate fees, so fees are 0. The account screen shows this split and
 * the settlement quote discounts it: one definition for both.
 */
export function balanceBreakdown(account: { balanceMinor: number; principalMinor: number }): BalanceBreakdown {
  const principalMinor = Math.max(0, Math.min(account.principalMinor, account.balanceMinor));
  return { principalMinor, interestMinor: Math.max(0, account.balanceMinor - principalMinor), feesMinor: 0 };
}

export interface Discounts {
  principalPct: number;
  interestPct: number;
  feesPct: number;
}

export interface SettlementQuote {
  currency: CurrencyCode;
  balanceMinor: number;
  /** What the debtor pays per component, after discount. */
  payPrincipalMinor: number;
  payInterestMinor: number;
  payFeesMinor: number;
  discountMinor: number;
  totalMinor: number;
}

/**
 * Discounts are rounded down to the minor unit (the debtor's amount up), so a quote never gives
 * away more than the percentage approved.
 */
export function quoteSettlement(breakdown: BalanceBreakdown, discounts: Discounts, currency: CurrencyCode): SettlementQuote {
  const b = BalanceBreakdown.parse(breakdown);
  for (const [k, v] of Object.entries(discounts)) {
    if (!(v >= 0 && v <= 100)) throw new Error(`quoteSettlement: discounts.${k}: must be a percentage between 0 and 100`);
  }
  const pay = (amount: number, pct: number) => amount - Math.floor((amount * pct) / 100);
  const payPrincipalMinor = pay(b.principalMinor, discounts.principalPct);
  const payInterestMinor = pay(b.interestMinor, discounts.interestPct);
  const payFeesMinor = pay(b.feesMinor, discounts.feesPct);
  const balanceMinor = b.principalMinor + b.interestMinor + b.feesMinor;
  const totalMinor = payPrincipalMinor + payInterestMinor + payFeesMinor;
  return {
    currency,
    balanceMinor,
    payPrincipalMinor,
    payInterestMinor,
    payFeesMinor,
    discountMinor: balanceMinor - totalMinor,
    totalMinor,
  };
}

// ── Payment plan ───────────────────────────────────────────────────────────

export const PlanRequest = z
  .object({
    balanceMinor: MinorAmount,
    downPaymentMinor: MinorAmount.default(0),
    installments: z.number().int().min(1).max(250),
    monthlyInterestPct: z.number().min(0).max(10).default(0),
    /** The day the plan is agreed; the down payment falls due on it. */
    startDate: IsoDate,
    /** Debtor's preferred day of the month (Debtor.contactPrefs.preferredPaymentDay). */
    preferredPaymentDay: z.number().int().min(1).max(31).nullable().default(null),
    /** With a preferred day, the first installment is at least this many days after the start. */
    minDaysToFirst: z.number().int().min(0).max(60).default(7),
    roundingUnitMinor: z.number().int().min(1).default(1),
  })
  .refine((r) => r.downPaymentMinor <= r.balanceMinor, { path: ['downPaymentMinor'], message: 'down payment exceeds the balance' });
export type PlanRequest = z.input<typeof PlanRequest>;

export interface PlanSchedule {
  currency: CurrencyCode;
  downPayment: { dueDate: string; amountMinor: number } | null;
  installments: Array<{ seq: number; dueDate: string; amountMinor: number; interestMinor: number; principalMinor: number }>;
  financedMinor: number;
  interestMinor: number;
  /** Down payment + every installment: exactly the balance plus interest. */
  totalMinor: number;
}

function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** `day` of the month `monthsAhead` months after `date`'s month, clamped to the month's last day. */
function monthDay(date: string, monthsAhead: number, day: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + monthsAhead;
  const year = y + Math.floor(m / 12);
  const month1 = (((m % 12) + 12) % 12) + 1;
  const d = Math.min(day, daysInMonth(year, month1));
  return `${year}-${String(month1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Due dates: monthly from the start (same day, clamped), or on the preferred day of the month. */
export function planDueDates(startDate: string, n: number, preferredDay: number | null, minDaysToFirst: number): string[] {
  if (preferredDay === null) {
    const day = Number(startDate.slice(8, 10));
    return Array.from({ length: n }, (_, k) => monthDay(startDate, k + 1, day));
  }
  let first = 0;
  while (daysBetween(startDate, monthDay(startDate, first, preferredDay)) < Math.max(1, minDaysToFirst)) first++;
  return Array.from({ length: n }, (_, k) => monthDay(startDate, first + k, preferredDay));
}

/**
 * Equal installments (French amortisation) on the financed amount at the monthly rate, rounded
 * to the rounding unit; each month's interest is rounded to the minor unit and the last
 * installment pays whatever remains, so the schedule sums exactly to financed + interest.
 */
export function buildPlanSchedule(request: PlanRequest, currency: CurrencyCode): PlanSchedule {
  const r = PlanRequest.parse(request);
  const financed = r.balanceMinor - r.downPaymentMinor;
  const rate = r.monthlyInterestPct / 100;
  const n = r.installments;
  const raw = rate === 0 ? financed / n : (financed * rate) / (1 - (1 + rate) ** -n);
  const unit = r.roundingUnitMinor;
  const dates = planDueDates(r.startDate, n, r.preferredPaymentDay, r.minDaysToFirst);
  const amortise = (level: number) => {
    let remaining = financed;
    let interestTotal = 0;
    const rows: PlanSchedule['installments'] = [];
    for (let k = 0; k < n; k++) {
      const interest = Math.round(remaining * rate);
      const amount = k === n - 1 ? remaining + interest : Math.max(interest, Math.min(level, remaining + interest));
      remaining -= amount - interest;
      interestTotal += interest;
      rows.push({ seq: k + 1, dueDate: dates[k]!, amountMinor: amount, interestMinor: interest, principalMinor: amount - interest });
    }
    return { rows, interestTotal };
  };
  // Nearest rounding first; if rounding up empties the tail, round down (the last installment
  // then absorbs the difference, and is never below the exact level payment).
  let plan = amortise(Math.max(unit, Math.round(raw / unit) * unit));
  if (plan.rows.some((i) => i.amountMinor <= 0)) plan = amortise(Math.max(unit, Math.floor(raw / unit) * unit));
  const installments = plan.rows;
  const interestTotal = plan.interestTotal;
  if (installments.some((i) => i.amountMinor <= 0)) {
    throw new Error(
      `buildPlanSchedule: installments: ${n} installments leave some empty for ${financed} minor units financed (rounding unit ${unit}); offer fewer installments or a settlement`,
    );
  }
  const downPayment = r.downPaymentMinor > 0 ? { dueDate: r.startDate, amountMinor: r.downPaymentMinor } : null;
  const totalMinor = r.downPaymentMinor + installments.reduce((s, i) => s + i.amountMinor, 0);
  return { currency, downPayment, installments, financedMinor: financed, interestMinor: interestTotal, totalMinor };
}

// ── Authority ──────────────────────────────────────────────────────────────

export type Proposal =
  | { kind: 'settlement'; discounts: Discounts }
  | { kind: 'plan'; installments: number; downPaymentMinor: number; balanceMinor: number; monthlyInterestPct: number };

export interface AuthorityReason {
  ruleId: string;
  es: string;
  en: string;
}
export interface AuthorityDecision {
  decision: 'within_agent' | 'needs_approval' | 'outside_policy';
  /** Every limit exceeded: policy limits make it outside_policy, agent limits need a team lead. */
  reasons: AuthorityReason[];
}

const COMPONENT_ES = { Principal: 'capital', Interest: 'intereses', Fees: 'comisiones y gastos' } as const;
const COMPONENT_EN = { Principal: 'principal', Interest: 'interest', Fees: 'fees' } as const;

export function checkAuthority(rule: NegotiationRule, proposal: Proposal): AuthorityDecision {
  const outside: AuthorityReason[] = [];
  const approval: AuthorityReason[] = [];
  if (proposal.kind === 'settlement') {
    const s = rule.settlement;
    for (const k of ['Principal', 'Interest', 'Fees'] as const) {
      const asked = proposal.discounts[`${k.toLowerCase() as 'principal' | 'interest' | 'fees'}Pct`];
      const max = s[`maxDiscount${k}Pct`];
      const agent = s[`agentDiscount${k}Pct`];
      const id = k.toLowerCase();
      if (asked > max) {
        outside.push({
          ruleId: `settlement.${id}.over_policy`,
          es: `Descuento de ${COMPONENT_ES[k]} ${asked} % supera el máximo de la política (${max} %)`,
          en: `${COMPONENT_EN[k]} discount ${asked}% exceeds the policy maximum (${max}%)`,
        });
      } else if (asked > agent) {
        approval.push({
          ruleId: `settlement.${id}.over_agent`,
          es: `Descuento de ${COMPONENT_ES[k]} ${asked} % supera la facultad del asesor (${agent} %): requiere aprobación del jefe de equipo`,
          en: `${COMPONENT_EN[k]} discount ${asked}% exceeds the agent's authority (${agent}%): needs team lead approval`,
        });
      }
    }
  } else {
    const p = rule.plan;
    if (proposal.installments > p.maxInstallments) {
      outside.push({
        ruleId: 'plan.installments.over_policy',
        es: `${proposal.installments} cuotas superan el máximo de la política (${p.maxInstallments})`,
        en: `${proposal.installments} installments exceed the policy maximum (${p.maxInstallments})`,
      });
    } else if (proposal.installments > p.agentMaxInstallments) {
      approval.push({
        ruleId: 'plan.installments.over_agent',
        es: `${proposal.installments} cuotas superan la facultad del asesor (${p.agentMaxInstallments}): requiere aprobación`,
        en: `${proposal.installments} installments exceed the agent's authority (${p.agentMaxInstallments}): needs approval`,
      });
    }
    const downPct = proposal.balanceMinor === 0 ? 100 : (proposal.downPaymentMinor * 100) / proposal.balanceMinor;
    if (downPct < p.minDownPaymentPct) {
      outside.push({
        ruleId: 'plan.down_payment.under_policy',
        es: `Cuota inicial del ${downPct.toFixed(1).replace('.', ',')} %, por debajo del mínimo de la política (${p.minDownPaymentPct} %)`,
        en: `Down payment ${downPct.toFixed(1)}% is below the policy minimum (${p.minDownPaymentPct}%)`,
      });
    } else if (downPct < p.agentMinDownPaymentPct) {
      approval.push({
        ruleId: 'plan.down_payment.under_agent',
        es: `Cuota inicial del ${downPct.toFixed(1).replace('.', ',')} %, por debajo de lo que el asesor puede aceptar (${p.agentMinDownPaymentPct} %): requiere aprobación`,
        en: `Down payment ${downPct.toFixed(1)}% is below what the agent may accept (${p.agentMinDownPaymentPct}%): needs approval`,
      });
    }
    if (proposal.monthlyInterestPct < p.monthlyInterestPct) {
      approval.push({
        ruleId: 'plan.interest.reduced',
        es: `Interés mensual ${proposal.monthlyInterestPct} % menor al de la política (${p.monthlyInterestPct} %): requiere aprobación`,
        en: `Monthly interest ${proposal.monthlyInterestPct}% below the policy's (${p.monthlyInterestPct}%): needs approval`,
      });
    }
  }
  if (outside.length > 0) return { decision: 'outside_policy', reasons: [...outside, ...approval] };
  if (approval.length > 0) return { decision: 'needs_approval', reasons: approval };
  return { decision: 'within_agent', reasons: [] };
}
