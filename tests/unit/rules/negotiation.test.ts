import { describe, expect, it } from 'vitest';
import {
  buildPlanSchedule,
  checkAuthority,
  NegotiationPolicy,
  NegotiationRule,
  planDueDates,
  quoteSettlement,
  selectNegotiationRule,
  type PlanRequest,
  type Proposal,
} from '../../../src/shared/rules/negotiation';
import type { CurrencyCode } from '../../../src/shared/domain/money';

const rule = NegotiationRule.parse({
  settlement: {
    maxDiscountPrincipalPct: 30,
    agentDiscountPrincipalPct: 10,
    maxDiscountInterestPct: 100,
    agentDiscountInterestPct: 50,
    maxDiscountFeesPct: 100,
    agentDiscountFeesPct: 100,
  },
  plan: { maxInstallments: 24, agentMaxInstallments: 12, minDownPaymentPct: 10, agentMinDownPaymentPct: 20, monthlyInterestPct: 1.5 },
});

describe('NegotiationRule schema and selection', () => {
  it('refuses agent authority above the policy limit, naming the field', () => {
    const r = NegotiationRule.safeParse({ settlement: { maxDiscountPrincipalPct: 10, agentDiscountPrincipalPct: 20 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['settlement', 'agentDiscountPrincipalPct']);
    const p = NegotiationRule.safeParse({ plan: { maxInstallments: 6, agentMaxInstallments: 12 } });
    expect(p.error?.issues[0]?.path).toEqual(['plan', 'agentMaxInstallments']);
  });
  it('picks the most specific rule: product+bucket, product, bucket, catch-all', () => {
    const policy = NegotiationPolicy.parse({
      rules: [
        { plan: { maxInstallments: 1, agentMaxInstallments: 1 } },
        { bucket: '180+', plan: { maxInstallments: 2, agentMaxInstallments: 1 } },
        { product: 'tarjeta', plan: { maxInstallments: 3, agentMaxInstallments: 1 } },
        { product: 'tarjeta', bucket: '180+', plan: { maxInstallments: 4, agentMaxInstallments: 1 } },
      ],
    });
    const max = (product: string, bucket: Parameters<typeof selectNegotiationRule>[2]) =>
      selectNegotiationRule(policy, product, bucket)?.plan.maxInstallments;
    expect(max('tarjeta', '180+')).toBe(4);
    expect(max('tarjeta', '1-30')).toBe(3);
    expect(max('libranza', '180+')).toBe(2);
    expect(max('libranza', '1-30')).toBe(1);
  });
});

describe('quoteSettlement', () => {
  const cases: Array<[string, CurrencyCode, [number, number, number], [number, number, number], [number, number, number], number]> = [
    [
      'COP: 10 % off principal rounds the discount down',
      'COP',
      [1_000_001, 200_000, 50_000],
      [10, 0, 0],
      [900_001, 200_000, 50_000],
      100_000,
    ],
    ['CLP: interest and fees waived', 'CLP', [500_000, 80_000, 9_999], [0, 100, 100], [500_000, 0, 0], 89_999],
    ['MXN cents: 15 % of 1,234.57', 'MXN', [123_457, 0, 0], [15, 0, 0], [104_939, 0, 0], 18_518],
    ['USD no discount', 'USD', [100_000, 5_000, 1_000], [0, 0, 0], [100_000, 5_000, 1_000], 0],
  ];
  it.each(cases)('%s', (_n, currency, [principalMinor, interestMinor, feesMinor], [principalPct, interestPct, feesPct], pays, discount) => {
    const q = quoteSettlement({ principalMinor, interestMinor, feesMinor }, { principalPct, interestPct, feesPct }, currency);
    expect([q.payPrincipalMinor, q.payInterestMinor, q.payFeesMinor]).toEqual(pays);
    expect(q.discountMinor).toBe(discount);
    expect(q.totalMinor + q.discountMinor).toBe(principalMinor + interestMinor + feesMinor);
  });
  it('refuses a discount above 100 %, naming it', () => {
    expect(() =>
      quoteSettlement({ principalMinor: 1, interestMinor: 0, feesMinor: 0 }, { principalPct: 120, interestPct: 0, feesPct: 0 }, 'COP'),
    ).toThrow(/discounts\.principalPct/);
  });
});

describe('planDueDates', () => {
  const cases: Array<[string, string, number, number | null, number, string[]]> = [
    ['monthly from the start day', '2026-11-25', 3, null, 7, ['2026-12-25', '2027-01-25', '2027-02-25']],
    ['31st clamps to month ends', '2026-01-31', 4, null, 7, ['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']],
    ['preferred day 5, next month (10 days away)', '2026-11-25', 3, 5, 7, ['2026-12-05', '2027-01-05', '2027-02-05']],
    ['preferred day 28 too close (3 days) → next month', '2026-11-25', 2, 28, 7, ['2026-12-28', '2027-01-28']],
    ['preferred day 31 in Jan, clamped in Feb', '2026-01-20', 4, 31, 7, ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']],
    ['preferred day 29 in a leap February', '2028-01-31', 2, 29, 7, ['2028-02-29', '2028-03-29']],
  ];
  it.each(cases)('%s', (_n, start, n, day, minDays, expected) => {
    expect(planDueDates(start, n, day, minDays)).toEqual(expected);
  });
});

describe('buildPlanSchedule', () => {
  // Interest amounts cross-checked with an independent Python Decimal (ROUND_HALF_UP) amortisation.
  const cases: Array<[string, PlanRequest, CurrencyCode, number[], number]> = [
    [
      'COP 1,000,000 in 3, no interest: last absorbs',
      { balanceMinor: 1_000_000, installments: 3, startDate: '2026-11-25' },
      'COP',
      [333_333, 333_333, 333_334],
      1_000_000,
    ],
    [
      'COP rounded to 1,000 pesos',
      { balanceMinor: 1_000_000, installments: 3, startDate: '2026-11-25', roundingUnitMinor: 1_000 },
      'COP',
      [333_000, 333_000, 334_000],
      1_000_000,
    ],
    [
      'rounding up would empty the tail → rounds down, last absorbs',
      { balanceMinor: 17_500, installments: 7, startDate: '2026-11-25', roundingUnitMinor: 1_000 },
      'COP',
      [2_000, 2_000, 2_000, 2_000, 2_000, 2_000, 5_500],
      17_500,
    ],
    [
      'CLP 20 % down, 4 installments',
      { balanceMinor: 999_999, downPaymentMinor: 200_000, installments: 4, startDate: '2026-11-25' },
      'CLP',
      [200_000, 200_000, 200_000, 199_999],
      999_999,
    ],
    [
      'USD 1,000.00 in 12 at 1.5 % a month',
      { balanceMinor: 100_000, installments: 12, monthlyInterestPct: 1.5, startDate: '2026-11-25' },
      'USD',
      [9168, 9168, 9168, 9168, 9168, 9168, 9168, 9168, 9168, 9168, 9168, 9166],
      110_014,
    ],
    [
      'MXN 10,000.00 in 6 at 2 %',
      { balanceMinor: 1_000_000, installments: 6, monthlyInterestPct: 2, startDate: '2026-11-25' },
      'MXN',
      [178_526, 178_526, 178_526, 178_526, 178_526, 178_524],
      1_071_154,
    ],
  ];
  it.each(cases)('%s', (_n, req, currency, amounts, total) => {
    const s = buildPlanSchedule(req, currency);
    expect(s.installments.map((i) => i.amountMinor)).toEqual(amounts);
    expect(s.totalMinor).toBe(total);
    expect(s.totalMinor).toBe((req.downPaymentMinor ?? 0) + s.installments.reduce((a, i) => a + i.amountMinor, 0));
    expect(s.totalMinor).toBe(req.balanceMinor + s.interestMinor);
    expect(s.installments.reduce((a, i) => a + i.principalMinor, 0)).toBe(s.financedMinor);
    for (const i of s.installments) expect(Number.isInteger(i.amountMinor)).toBe(true);
  });
  it('down payment falls due on the start date; installments on the preferred day', () => {
    const s = buildPlanSchedule(
      { balanceMinor: 600_000, downPaymentMinor: 100_000, installments: 2, startDate: '2026-11-25', preferredPaymentDay: 15 },
      'COP',
    );
    expect(s.downPayment).toEqual({ dueDate: '2026-11-25', amountMinor: 100_000 });
    expect(s.installments.map((i) => i.dueDate)).toEqual(['2026-12-15', '2027-01-15']);
  });
  it('refuses a down payment above the balance, naming the field', () => {
    expect(() => buildPlanSchedule({ balanceMinor: 100, downPaymentMinor: 200, installments: 2, startDate: '2026-11-25' }, 'COP')).toThrow(
      /downPaymentMinor/,
    );
  });
  it('refuses a plan that would leave empty installments, naming the field', () => {
    expect(() =>
      buildPlanSchedule({ balanceMinor: 2_500, installments: 5, startDate: '2026-11-25', roundingUnitMinor: 1_000 }, 'COP'),
    ).toThrow(/installments/);
    expect(() => buildPlanSchedule({ balanceMinor: 100, downPaymentMinor: 100, installments: 1, startDate: '2026-11-25' }, 'COP')).toThrow(
      /installments/,
    );
  });
  it('refuses more than 250 installments', () => {
    expect(() => buildPlanSchedule({ balanceMinor: 100_000, installments: 251, startDate: '2026-11-25' }, 'COP')).toThrow(/installments/);
  });
});

describe('checkAuthority', () => {
  const S = (principalPct: number, interestPct = 0, feesPct = 0): Proposal => ({
    kind: 'settlement',
    discounts: { principalPct, interestPct, feesPct },
  });
  const P = (installments: number, downPct: number, monthlyInterestPct = 1.5): Proposal => ({
    kind: 'plan',
    installments,
    downPaymentMinor: downPct * 10_000,
    balanceMinor: 1_000_000,
    monthlyInterestPct,
  });
  const cases: Array<[string, Proposal, string, string[]]> = [
    ['settlement within the agent limits', S(10, 50, 100), 'within_agent', []],
    ['principal discount above the agent, within policy', S(15), 'needs_approval', ['settlement.principal.over_agent']],
    ['principal discount above policy', S(35), 'outside_policy', ['settlement.principal.over_policy']],
    ['two components need approval', S(15, 60), 'needs_approval', ['settlement.principal.over_agent', 'settlement.interest.over_agent']],
    [
      'outside policy lists every limit',
      S(35, 60),
      'outside_policy',
      ['settlement.principal.over_policy', 'settlement.interest.over_agent'],
    ],
    ['plan within the agent limits', P(12, 20), 'within_agent', []],
    ['plan with more installments than the agent may give', P(18, 20), 'needs_approval', ['plan.installments.over_agent']],
    ['plan beyond the policy maximum', P(30, 20), 'outside_policy', ['plan.installments.over_policy']],
    ['down payment below the agent minimum', P(12, 15), 'needs_approval', ['plan.down_payment.under_agent']],
    ['down payment below the policy minimum', P(12, 5), 'outside_policy', ['plan.down_payment.under_policy']],
    ['reduced interest needs approval', P(12, 20, 1), 'needs_approval', ['plan.interest.reduced']],
  ];
  it.each(cases)('%s', (_n, proposal, decision, reasons) => {
    const d = checkAuthority(rule, proposal);
    expect(d.decision).toBe(decision);
    expect(d.reasons.map((r) => r.ruleId)).toEqual(reasons);
    for (const r of d.reasons) {
      expect(r.es).toBeTruthy();
      expect(r.en).toBeTruthy();
    }
  });
});
