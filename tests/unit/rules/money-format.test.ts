import { describe, expect, it } from 'vitest';
import { formatMoney, formatMoneyCode, formatMoneyTotals, sumByCurrency } from '../../../src/shared/domain/money';
import { balanceBreakdown, NegotiationPolicy, quoteSettlement } from '../../../src/shared/rules/negotiation';
import { quoteNegotiation } from '../../../src/shared/domain/collections';

const plain = (s: string) => s.replace(/\u00a0|\u202f/g, ' ');

describe('money with its currency code', () => {
  it('writes each currency in its own country format, with the ISO code instead of "$"', () => {
    expect(formatMoneyCode(65_385_830, 'COP', 'es')).toBe('COP 65.385.830');
    expect(formatMoneyCode(500_050, 'MXN', 'es')).toBe('MXN 5,000.50');
    expect(formatMoneyCode(1_000, 'CLP', 'es')).toBe('CLP 1.000');
    expect(formatMoneyCode(65_385_830, 'COP', 'en')).toBe('COP 65,385,830');
    // the symbol form is unchanged where one account's currency is shown alone
    expect(plain(formatMoney(65_385_830, 'COP', 'es'))).toBe('$ 65.385.830');
  });

  it('sums within a currency and never across: COP plus MXN is two amounts', () => {
    const amounts = [
      { currency: 'COP' as const, amountMinor: 65_000_000 },
      { currency: 'MXN' as const, amountMinor: 500_050 },
      { currency: 'COP' as const, amountMinor: 385_830 },
    ];
    expect(sumByCurrency(amounts)).toEqual([
      { currency: 'COP', amountMinor: 65_385_830 },
      { currency: 'MXN', amountMinor: 500_050 },
    ]);
    expect(formatMoneyTotals(amounts, 'es')).toBe('COP 65.385.830 · MXN 5,000.50');
    expect(formatMoneyTotals([{ currency: 'PEN', amountMinor: 1250 }], 'es')).toBe('PEN 12.50');
    expect(formatMoneyTotals([], 'es')).toBe('');
  });
});

describe('capital vs saldo', () => {
  it("splits today's balance into outstanding principal and interest, principal never above the balance", () => {
    // "Capital $ 3.382.100" lent, "Saldo $ 1.409.400" owed: all of what is owed is principal
    expect(balanceBreakdown({ principalMinor: 3_382_100, balanceMinor: 1_409_400 })).toEqual({
      principalMinor: 1_409_400,
      interestMinor: 0,
      feesMinor: 0,
    });
    expect(balanceBreakdown({ principalMinor: 1_000_000, balanceMinor: 1_250_000 })).toEqual({
      principalMinor: 1_000_000,
      interestMinor: 250_000,
      feesMinor: 0,
    });
  });

  it('is the split the settlement quote discounts', () => {
    const facts = {
      product: 'tarjeta',
      currency: 'COP' as const,
      balanceMinor: 1_250_000,
      principalMinor: 1_000_000,
      dpd: 90,
      preferredPaymentDay: null,
    };
    const policy = NegotiationPolicy.parse({
      rules: [{ settlement: { maxDiscountInterestPct: 100, agentDiscountInterestPct: 100 } }],
    });
    const discounts = { principalPct: 0, interestPct: 100, feesPct: 0 };
    const q = quoteNegotiation(policy, facts, { kind: 'settlement', discounts, payDate: '2026-12-10' });
    const direct = quoteSettlement(balanceBreakdown(facts), discounts, 'COP');
    expect(direct.totalMinor).toBe(1_000_000);
    expect(q.totalMinor).toBe(direct.totalMinor);
    expect(q.discountMinor).toBe(250_000);
  });
});
