import { describe, expect, it } from 'vitest';
import { quoteNegotiation, QuoteError, type QuoteFacts } from '../../../src/shared/domain/collections';
import { DEMO_POLICIES } from '../../../src/server/collections/policies';

const facts: QuoteFacts = {
  product: 'Libranza',
  currency: 'COP',
  balanceMinor: 3_000_000,
  principalMinor: 2_400_000,
  dpd: 45,
  preferredPaymentDay: 15,
};
const policy = DEMO_POLICIES.negotiationPolicy;

describe('quoteNegotiation (composition of the shared rules)', () => {
  it('a plan within authority: down payment first, then installments on the preferred day, summing to the total', () => {
    const q = quoteNegotiation(policy, facts, {
      kind: 'plan',
      installments: 4,
      downPaymentMinor: 600_000,
      monthlyInterestPct: null,
      startDate: '2026-11-25',
    });
    expect(q.authority.decision).toBe('within_agent');
    expect(q.schedule[0]).toEqual({ dueDate: '2026-11-25', amountMinor: 600_000 });
    expect(q.schedule.slice(1).map((i) => i.dueDate)).toEqual(['2026-12-15', '2027-01-15', '2027-02-15', '2027-03-15']);
    expect(q.schedule.reduce((t, i) => t + i.amountMinor, 0)).toBe(q.totalMinor);
    expect(q.totalMinor).toBe(3_000_000);
  });

  it('beyond the agent: needs approval, with the rule ids', () => {
    const q = quoteNegotiation(policy, facts, {
      kind: 'plan',
      installments: 12,
      downPaymentMinor: 150_000,
      monthlyInterestPct: null,
      startDate: '2026-11-25',
    });
    expect(q.authority.decision).toBe('needs_approval');
    expect(q.authority.reasons.map((r) => r.ruleId).sort()).toEqual(['plan.down_payment.under_agent', 'plan.installments.over_agent']);
  });

  it('a settlement discounts interest (the balance above principal) and stays one payment', () => {
    const q = quoteNegotiation(policy, facts, {
      kind: 'settlement',
      discounts: { principalPct: 0, interestPct: 50, feesPct: 0 },
      payDate: '2026-11-30',
    });
    expect(q.discountMinor).toBe(300_000);
    expect(q.schedule).toEqual([{ dueDate: '2026-11-30', amountMinor: 2_700_000 }]);
    expect(q.authority.decision).toBe('needs_approval');
  });

  it('no policy: a clear error naming the field', () => {
    expect(() =>
      quoteNegotiation(null, facts, {
        kind: 'plan',
        installments: 2,
        downPaymentMinor: 0,
        monthlyInterestPct: null,
        startDate: '2026-11-25',
      }),
    ).toThrow(QuoteError);
  });
});
