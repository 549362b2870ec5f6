import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPlanSchedule, quoteSettlement } from '../../../src/shared/rules/negotiation';
import { allocatePayments, type PaymentForAllocation, type PromiseForAllocation } from '../../../src/shared/rules/promises';

const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n)).toISOString().slice(0, 10);

describe('money rules: exact sums on random inputs', () => {
  it('allocation conserves money, never over-fills, and a reversal equals removal', () => {
    const promise = fc.record({
      id: fc.constantFrom('p1', 'p2', 'p3'),
      installments: fc.array(fc.record({ d: fc.integer({ min: 0, max: 200 }), a: fc.integer({ min: 1, max: 1_000_000 }) }), {
        minLength: 1,
        maxLength: 6,
      }),
    });
    const payment = fc.record({ a: fc.integer({ min: 1, max: 2_000_000 }), d: fc.integer({ min: 0, max: 200 }), reversed: fc.boolean() });
    fc.assert(
      fc.property(fc.uniqueArray(promise, { selector: (p) => p.id, minLength: 1 }), fc.array(payment, { maxLength: 8 }), (ps, pays) => {
        const promises: PromiseForAllocation[] = ps.map((p) => ({
          id: p.id,
          status: 'pending',
          installments: p.installments.map((x, k) => ({ seq: k + 1, dueDate: day(x.d), amountMinor: x.a })),
        }));
        const payments: PaymentForAllocation[] = pays.map((p, k) => ({
          id: `pay${k}`,
          amountMinor: p.a,
          paidAt: `${day(p.d)}T12:00:00Z`,
          reversedAt: p.reversed ? `${day(p.d + 1)}T12:00:00Z` : null,
        }));
        const a = allocatePayments(promises, payments);
        const live = payments.filter((p) => !p.reversedAt).reduce((s, p) => s + p.amountMinor, 0);
        const applied = a.installments.reduce((s, i) => s + i.paidMinor, 0);
        expect(applied + a.unallocated.reduce((s, u) => s + u.amountMinor, 0)).toBe(live);
        for (const i of a.installments) expect(i.paidMinor).toBeLessThanOrEqual(i.amountMinor);
        // FIFO: money is unallocated only when every installment is full.
        if (a.unallocated.length > 0) for (const i of a.installments) expect(i.paidMinor).toBe(i.amountMinor);
        expect(a).toEqual(
          allocatePayments(
            promises,
            payments.filter((p) => !p.reversedAt),
          ),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a plan schedule sums exactly to balance + interest, with integer installments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 1, max: 250 }),
        fc.constantFrom(0, 0.5, 1.5, 3),
        fc.constantFrom(1, 100, 1000),
        fc.option(fc.integer({ min: 1, max: 31 }), { nil: null }),
        (balance, downPct, n, rate, unit, day) => {
          const down = Math.floor((balance * downPct) / 100);
          const request = {
            balanceMinor: balance,
            downPaymentMinor: down,
            installments: n,
            monthlyInterestPct: rate,
            startDate: '2026-11-25',
            preferredPaymentDay: day,
            roundingUnitMinor: unit,
          };
          const financed = balance - down;
          if (financed < n * unit) {
            // Too little to spread over n installments of at least one rounding unit: either it
            // still works out, or it is refused naming the field — never an empty installment.
            try {
              buildPlanSchedule(request, 'COP');
            } catch (e) {
              expect(String(e)).toMatch(/installments/);
              return;
            }
          }
          const s = buildPlanSchedule(request, 'COP');
          expect(s.installments).toHaveLength(n);
          expect(s.totalMinor).toBe(balance + s.interestMinor);
          expect(down + s.installments.reduce((x, i) => x + i.amountMinor, 0)).toBe(s.totalMinor);
          for (const i of s.installments) {
            expect(Number.isSafeInteger(i.amountMinor)).toBe(true);
            expect(i.amountMinor).toBeGreaterThan(0);
          }
          const dates = s.installments.map((i) => i.dueDate);
          expect([...dates].sort()).toEqual(dates);
          expect(new Set(dates).size).toBe(n);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a settlement quote never discounts more than asked', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (p, i, f, dp, di, df) => {
          const q = quoteSettlement(
            { principalMinor: p, interestMinor: i, feesMinor: f },
            { principalPct: dp, interestPct: di, feesPct: df },
            'CLP',
          );
          expect(p - q.payPrincipalMinor).toBeLessThanOrEqual((p * dp) / 100);
          expect(i - q.payInterestMinor).toBeLessThanOrEqual((i * di) / 100);
          expect(f - q.payFeesMinor).toBeLessThanOrEqual((f * df) / 100);
          expect(q.totalMinor + q.discountMinor).toBe(p + i + f);
        },
      ),
      { numRuns: 300 },
    );
  });
});
