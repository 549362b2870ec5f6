import { z } from 'zod';
import { Id, IsoDate, IsoInstant } from './entities';
import { dpdBucket } from './enums';
import { CurrencyCode, MinorAmount } from './money';
import type { ServerErrorCode } from '../errors/codes';
import {
  balanceBreakdown,
  buildPlanSchedule,
  checkAuthority,
  NegotiationPolicy,
  quoteSettlement,
  selectNegotiationRule,
  type AuthorityDecision,
  NegotiationRule,
} from '../rules/negotiation';
import { PromisePolicy } from '../rules/promises';

/**
 * Collections core wiring: the organisation's policies as they travel to clients, a negotiation
 * proposal, its quote (composed only from src/shared/rules — no rule is written here), and an
 * approval request as the agent and the team lead see it.
 */

export const CollectionPolicies = z.object({
  promisePolicies: z.array(PromisePolicy).default([]),
  negotiationPolicy: NegotiationPolicy.nullable().default(null),
});
export type CollectionPolicies = z.infer<typeof CollectionPolicies>;

/**
 * The same schema with every default removed and every object strict: what a client sends to
 * replace the policies. Defaults are right for reading stored settings, wrong for a write — `{}`
 * would otherwise parse as "no policies at all" and a forgotten `minAmountMinor` as 0. Nested
 * schemas keep their own checks (ranges, agent authority within policy) by piping into them.
 */
function strictRequired(s: z.ZodType): z.ZodType {
  if (s instanceof z.ZodDefault) return strictRequired(s.unwrap() as z.ZodType);
  if (s instanceof z.ZodNullable) return strictRequired(s.unwrap() as z.ZodType).nullable();
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    return z.strictObject(Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, strictRequired(v)])));
  }
  return s;
}

export const CollectionPoliciesReplacement = z
  .strictObject({
    promisePolicies: z
      .array(strictRequired(PromisePolicy).pipe(PromisePolicy))
      .min(1, 'at least one promise policy (the default one has product null)'),
    /** null only when sent as null: the organisation negotiates nothing. */
    negotiationPolicy: z
      .strictObject({
        rules: z.array(strictRequired(NegotiationRule).pipe(NegotiationRule)).min(1, 'at least one negotiation rule'),
      })
      .nullable(),
  })
  .superRefine((p, ctx) => {
    const products = p.promisePolicies.map((x) => x.product);
    products.forEach((product, i) => {
      if (products.indexOf(product) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['promisePolicies', i, 'product'],
          message: `a second policy for product ${product ?? 'null'}`,
        });
    });
  });
export type CollectionPoliciesReplacement = z.infer<typeof CollectionPoliciesReplacement>;

const Pct = z.number().min(0).max(100);

export const NegotiationProposal = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('settlement'),
    discounts: z.object({ principalPct: Pct, interestPct: Pct, feesPct: Pct }),
    /** The day the debtor pays the settlement. */
    payDate: IsoDate,
  }),
  z.object({
    kind: z.literal('plan'),
    installments: z.number().int().min(1).max(250),
    downPaymentMinor: MinorAmount.default(0),
    /** null = the policy's rate. */
    monthlyInterestPct: z.number().min(0).max(10).nullable().default(null),
    /** The day the plan is agreed; the down payment falls due on it. */
    startDate: IsoDate,
  }),
]);
export type NegotiationProposal = z.infer<typeof NegotiationProposal>;
export type NegotiationProposalInput = z.input<typeof NegotiationProposal>;

export const QuotedInstallment = z.object({ dueDate: IsoDate, amountMinor: MinorAmount.positive() });

export const NegotiationQuote = z.object({
  currency: CurrencyCode,
  balanceMinor: MinorAmount,
  /** The promise series this proposal becomes (down payment first, if any). */
  schedule: z.array(QuotedInstallment).min(1),
  totalMinor: MinorAmount,
  discountMinor: MinorAmount,
  interestMinor: MinorAmount,
  authority: z.object({
    decision: z.enum(['within_agent', 'needs_approval', 'outside_policy']),
    reasons: z.array(z.object({ ruleId: z.string(), es: z.string(), en: z.string() })),
  }),
  /** The negotiation rule applied (policy and agent limits), so a team lead sees them. */
  rule: z.unknown(),
});
export type NegotiationQuote = z.infer<typeof NegotiationQuote>;

export interface QuoteFacts {
  product: string;
  currency: CurrencyCode;
  balanceMinor: number;
  principalMinor: number;
  dpd: number;
  preferredPaymentDay: number | null;
}

/** The codes a quote fails with: the negotiation.* entries of src/shared/errors/codes.ts. */
export type QuoteErrorCode = Extract<ServerErrorCode, `negotiation.${string}`>;

export class QuoteError extends Error {
  constructor(
    readonly code: QuoteErrorCode,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'QuoteError';
  }
}

/**
 * The schedule, totals and authority verdict of a proposal under the organisation's negotiation
 * policy. The balance splits into principal and interest as balanceBreakdown says (the account
 * screen shows the same split).
 */
export function quoteNegotiation(policy: NegotiationPolicy | null, facts: QuoteFacts, proposal: NegotiationProposal): NegotiationQuote {
  const rule: NegotiationRule | null = policy ? selectNegotiationRule(policy, facts.product, dpdBucket(facts.dpd)) : null;
  if (!rule) throw new QuoteError('negotiation.no_policy', `no negotiation policy covers product ${facts.product}`, 'proposal');
  if (proposal.kind === 'settlement') {
    const q = quoteSettlement(balanceBreakdown(facts), proposal.discounts, facts.currency);
    if (q.totalMinor <= 0) throw new QuoteError('negotiation.empty', 'the settlement leaves nothing to pay', 'proposal.discounts');
    return {
      currency: facts.currency,
      balanceMinor: facts.balanceMinor,
      schedule: [{ dueDate: proposal.payDate, amountMinor: q.totalMinor }],
      totalMinor: q.totalMinor,
      discountMinor: q.discountMinor,
      interestMinor: 0,
      authority: checkAuthority(rule, { kind: 'settlement', discounts: proposal.discounts }) as AuthorityDecision,
      rule,
    };
  }
  const rate = proposal.monthlyInterestPct ?? rule.plan.monthlyInterestPct;
  if (proposal.downPaymentMinor > facts.balanceMinor) {
    throw new QuoteError('negotiation.down_payment', 'the down payment exceeds the balance', 'proposal.downPaymentMinor');
  }
  let plan;
  try {
    plan = buildPlanSchedule(
      {
        balanceMinor: facts.balanceMinor,
        downPaymentMinor: proposal.downPaymentMinor,
        installments: proposal.installments,
        monthlyInterestPct: rate,
        startDate: proposal.startDate,
        preferredPaymentDay: facts.preferredPaymentDay,
        roundingUnitMinor: rule.plan.roundingUnitMinor,
      },
      facts.currency,
    );
  } catch (e) {
    throw new QuoteError('negotiation.schedule', e instanceof Error ? e.message : String(e), 'proposal.installments');
  }
  const schedule = [
    ...(plan.downPayment ? [plan.downPayment] : []),
    ...plan.installments.map((i) => ({ dueDate: i.dueDate, amountMinor: i.amountMinor })),
  ];
  return {
    currency: facts.currency,
    balanceMinor: facts.balanceMinor,
    schedule,
    totalMinor: plan.totalMinor,
    discountMinor: 0,
    interestMinor: plan.interestMinor,
    authority: checkAuthority(rule, {
      kind: 'plan',
      installments: proposal.installments,
      downPaymentMinor: proposal.downPaymentMinor,
      balanceMinor: facts.balanceMinor,
      monthlyInterestPct: rate,
    }),
    rule,
  };
}

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'countered']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

export const ApprovalRequest = z.object({
  id: Id,
  accountId: Id,
  agentId: Id,
  agentName: z.string(),
  debtorName: z.string(),
  externalRef: z.string(),
  currency: CurrencyCode,
  balanceMinor: MinorAmount,
  proposal: NegotiationProposal,
  quote: NegotiationQuote,
  justification: z.string().default(''),
  status: ApprovalStatus,
  decidedBy: Id.nullable(),
  decidedAt: IsoInstant.nullable(),
  decisionReason: z.string().nullable(),
  counterOffer: NegotiationProposal.nullable(),
  promiseId: Id.nullable(),
  createdAt: IsoInstant,
  version: z.string(),
});
export type ApprovalRequest = z.infer<typeof ApprovalRequest>;

export const ApprovalDecision = z
  .object({
    decision: z.enum(['approve', 'reject', 'counter']),
    reason: z.string().trim().min(1).max(1000),
    counterOffer: NegotiationProposal.nullable().default(null),
  })
  .refine((d) => d.decision !== 'counter' || d.counterOffer !== null, {
    path: ['counterOffer'],
    message: 'a counter-offer needs new terms',
  });
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

export const MissedCallback = z.object({
  accountId: Id,
  externalRef: z.string(),
  debtorName: z.string(),
  agentId: Id.nullable(),
  agentName: z.string().nullable(),
  callbackAt: IsoInstant,
  callbackNote: z.string().nullable(),
  /** The debtor's zone: the callback time is shown in it. */
  timeZone: z.string(),
});
export type MissedCallback = z.infer<typeof MissedCallback>;

/** A callback is missed when this long passes after it with no activity on the account. */
export const MISSED_CALLBACK_MINUTES = 15;

export const APPROVAL_JUSTIFICATION_MAX = 2000;

export const ApprovalRequestArgs = z.object({
  id: Id,
  accountId: Id,
  createdAt: IsoInstant,
  proposal: NegotiationProposal,
  /**
   * Why the agent asks (the debtor's situation, what was tried): the lead decides on it. The
   * workstation requires it; '' only from requests queued offline by a workstation older than the field.
   */
  justification: z.string().trim().max(APPROVAL_JUSTIFICATION_MAX).default(''),
});
