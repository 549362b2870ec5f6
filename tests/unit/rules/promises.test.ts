import { describe, expect, it } from 'vitest';
import {
  allocatePayments,
  PromisePolicy,
  promiseStatus,
  selectPromisePolicy,
  validatePromise,
  type PaymentForAllocation,
  type PromiseForAllocation,
  type ProposedInstallment,
} from '../../../src/shared/rules/promises';

const policy = PromisePolicy.parse({
  product: null,
  minAmountMinor: 100_000,
  minPercentOfBalance: 10,
  maxDaysToFirstPayment: 15,
  maxInstallments: 6,
  minLaterPaymentMinor: 50_000,
  graceDays: 2,
  keptThresholdPercent: 95,
});
const TODAY = '2026-11-25';
const BAL = { balanceMinor: 2_000_000 };
const i = (dueDate: string, amountMinor: number): ProposedInstallment => ({ dueDate, amountMinor });

describe('PromisePolicy schema', () => {
  it('refuses more than 250 installments and names the field', () => {
    const r = PromisePolicy.safeParse({ maxInstallments: 251 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['maxInstallments']);
  });
  it('picks the product policy, else the default', () => {
    const card = PromisePolicy.parse({ product: 'tarjeta', maxInstallments: 12 });
    expect(selectPromisePolicy([policy, card], 'tarjeta')).toBe(card);
    expect(selectPromisePolicy([policy, card], 'libranza')).toBe(policy);
    expect(selectPromisePolicy([card], 'libranza')).toBeNull();
  });
});

describe('validatePromise', () => {
  const cases: Array<[string, ProposedInstallment[], { balanceMinor: number }, string[]]> = [
    ['single payment within policy', [i('2026-12-01', 300_000)], BAL, []],
    ['first payment today', [i(TODAY, 300_000)], BAL, []],
    ['first payment on the last allowed day (15 days)', [i('2026-12-10', 300_000)], BAL, []],
    ['first payment one day too far', [i('2026-12-11', 300_000)], BAL, ['promise.first_due_too_far']],
    ['first payment in the past', [i('2026-11-24', 300_000)], BAL, ['promise.first_due_past']],
    ['below absolute minimum and % of balance', [i('2026-12-01', 90_000)], BAL, ['promise.min_amount', 'promise.min_percent']],
    ['meets absolute minimum, not 10 % of balance', [i('2026-12-01', 150_000)], BAL, ['promise.min_percent']],
    ['small balance: the whole balance is enough', [i('2026-12-01', 60_000)], { balanceMinor: 60_000 }, []],
    ['exceeds the balance', [i('2026-12-01', 2_000_001)], BAL, ['promise.exceeds_balance']],
    [
      'later payment under the minimum',
      [i('2026-12-01', 200_000), i('2027-01-01', 40_000), i('2027-02-01', 100_000)],
      BAL,
      ['promise.min_later_payment'],
    ],
    [
      'last payment under the minimum settles the balance',
      [i('2026-12-01', 1_000_000), i('2027-01-01', 990_000), i('2027-02-01', 10_000)],
      BAL,
      [],
    ],
    ['dates must increase', [i('2026-12-01', 200_000), i('2026-12-01', 100_000)], BAL, ['promise.dates_order']],
    [
      'too many installments (7 > 6)',
      Array.from({ length: 7 }, (_, k) => i(`2026-12-${String(k + 1).padStart(2, '0')}`, 60_000)),
      BAL,
      ['promise.max_installments'],
    ],
    ['zero amount', [i('2026-12-01', 0), i('2026-12-05', 300_000)], BAL, ['promise.amount_positive']],
    ['empty', [], BAL, ['promise.empty']],
    ['malformed date', [i('01/12/2026', 300_000)], BAL, ['promise.invalid']],
  ];
  it.each(cases)('%s', (_name, insts, account, expected) => {
    const r = validatePromise(policy, account, insts, TODAY);
    const ids = r.ok ? [] : r.errors.map((e) => e.ruleId);
    expect(ids.sort()).toEqual([...expected].sort());
    if (!r.ok)
      for (const e of r.errors) {
        expect(e.field).toMatch(/^installments/);
        expect(e.es).toBeTruthy();
        expect(e.en).toBeTruthy();
      }
  });
  it('names the installment at fault', () => {
    const r = validatePromise(policy, BAL, [i('2026-12-01', 200_000), i('2027-01-01', 40_000), i('2027-02-01', 100_000)], TODAY);
    expect(r.ok ? null : r.errors[0]!.field).toBe('installments[1].amountMinor');
    const bad = validatePromise(policy, BAL, [i('01/12/2026', 300_000)], TODAY);
    expect(bad.ok ? null : bad.errors[0]!.field).toBe('installments[0].dueDate');
  });
  it('accepts a series of 250 under a policy that allows it', () => {
    const big = PromisePolicy.parse({ maxInstallments: 250, maxDaysToFirstPayment: 30 });
    const series = Array.from({ length: 250 }, (_, k) => i(new Date(Date.UTC(2026, 11, 1 + k)).toISOString().slice(0, 10), 1_000));
    expect(validatePromise(big, { balanceMinor: 250_000 }, series, TODAY)).toEqual({ ok: true });
  });
});

const P = (id: string, installments: Array<[string, number]>, extra: Partial<PromiseForAllocation> = {}): PromiseForAllocation => ({
  id,
  status: 'pending',
  installments: installments.map(([dueDate, amountMinor], k) => ({ seq: k + 1, dueDate, amountMinor })),
  ...extra,
});
const pay = (id: string, amountMinor: number, paidAt: string, reversedAt: string | null = null): PaymentForAllocation => ({
  id,
  amountMinor,
  paidAt,
  reversedAt,
});
const paid = (a: ReturnType<typeof allocatePayments>) => a.installments.map((x) => `${x.promiseId}#${x.seq}:${x.paidMinor}`);

describe('allocatePayments (FIFO)', () => {
  const plan = P('p1', [
    ['2026-12-01', 100],
    ['2027-01-01', 100],
    ['2027-02-01', 100],
  ]);
  const cases: Array<[string, PromiseForAllocation[], PaymentForAllocation[], string[], number]> = [
    ['exact payment fills the first', [plan], [pay('a', 100, '2026-12-01T15:00:00Z')], ['p1#1:100', 'p1#2:0', 'p1#3:0'], 0],
    ['partial payment', [plan], [pay('a', 40, '2026-12-01T15:00:00Z')], ['p1#1:40', 'p1#2:0', 'p1#3:0'], 0],
    ['one payment spills into the next installment', [plan], [pay('a', 150, '2026-11-28T15:00:00Z')], ['p1#1:100', 'p1#2:50', 'p1#3:0'], 0],
    [
      'over-payment leaves the excess unallocated',
      [plan],
      [pay('a', 350, '2026-11-28T15:00:00Z')],
      ['p1#1:100', 'p1#2:100', 'p1#3:100'],
      50,
    ],
    [
      'payments in time order, not list order',
      [plan],
      [pay('late', 100, '2027-01-01T15:00:00Z'), pay('early', 60, '2026-12-01T15:00:00Z')],
      ['p1#1:100', 'p1#2:60', 'p1#3:0'],
      0,
    ],
    [
      'reversed payment contributes nothing',
      [plan],
      [pay('a', 100, '2026-12-01T15:00:00Z', '2026-12-03T10:00:00Z'), pay('b', 30, '2026-12-04T10:00:00Z')],
      ['p1#1:30', 'p1#2:0', 'p1#3:0'],
      0,
    ],
    [
      'across promises: oldest due first',
      [P('p2', [['2027-01-15', 100]]), P('p1', [['2026-12-10', 100]])],
      [pay('a', 150, '2026-12-01T15:00:00Z')],
      ['p1#1:100', 'p2#1:50'],
      0,
    ],
    [
      'cancelled promise takes nothing',
      [P('p1', [['2026-12-01', 100]], { status: 'cancelled' }), P('p2', [['2026-12-20', 100]])],
      [pay('a', 100, '2026-12-01T15:00:00Z')],
      ['p2#1:100'],
      0,
    ],
    [
      'payment before the promise existed does not count for it',
      [P('p1', [['2026-12-20', 100]], { createdAt: '2026-12-05T00:00:00Z' })],
      [pay('a', 100, '2026-12-01T15:00:00Z')],
      ['p1#1:0'],
      100,
    ],
  ];
  it.each(cases)('%s', (_n, promises, payments, expected, unallocated) => {
    const a = allocatePayments(promises, payments);
    expect(paid(a)).toEqual(expected);
    expect(a.unallocated.reduce((s, u) => s + u.amountMinor, 0)).toBe(unallocated);
    const total = payments.filter((p) => !p.reversedAt).reduce((s, p) => s + p.amountMinor, 0);
    expect(a.installments.reduce((s, x) => s + x.paidMinor, 0) + a.unallocated.reduce((s, u) => s + u.amountMinor, 0)).toBe(total);
  });
  it('reversal undoes exactly that payment: same result as never having had it', () => {
    const payments = [pay('a', 120, '2026-11-30T15:00:00Z'), pay('b', 90, '2026-12-15T15:00:00Z'), pay('c', 50, '2027-01-02T15:00:00Z')];
    const reversed = payments.map((p) => (p.id === 'b' ? { ...p, reversedAt: '2026-12-20T00:00:00Z' } : p));
    expect(allocatePayments([plan], reversed)).toEqual(
      allocatePayments(
        [plan],
        payments.filter((p) => p.id !== 'b'),
      ),
    );
  });
});

describe('promiseStatus: kept / broken with grace days in the debtor zone', () => {
  const grace = { graceDays: 2, keptThresholdPercent: 95 };
  const one = [P('p1', [['2026-12-01', 100_000]])];
  // Due 2026-12-01 + 2 grace days → late from 2026-12-04 00:00 local.
  const cases: Array<[string, string, PaymentForAllocation[], Date, string, { graceDays: number; keptThresholdPercent: number }?]> = [
    ['Bogotá: 23:59 on the last grace day, nothing paid → pending', 'America/Bogota', [], new Date('2026-12-03T23:59:00-05:00'), 'pending'],
    ['Bogotá: 00:00 after grace, nothing paid → broken', 'America/Bogota', [], new Date('2026-12-04T00:00:00-05:00'), 'broken'],
    [
      'Bogotá: same instant is already Dec 4 in Madrid, but Bogotá rules',
      'America/Bogota',
      [],
      new Date('2026-12-04T00:30:00+01:00'),
      'pending',
    ],
    ['Madrid debtor at that instant → broken', 'Europe/Madrid', [], new Date('2026-12-04T00:30:00+01:00'), 'broken'],
    [
      'Santiago (-03:00): 23:59 local on Dec 3 is 02:59Z on Dec 4 → pending',
      'America/Santiago',
      [],
      new Date('2026-12-04T02:59:00Z'),
      'pending',
    ],
    ['Santiago: 00:00 local → broken', 'America/Santiago', [], new Date('2026-12-04T03:00:00Z'), 'broken'],
    [
      'paid 95 % on time → kept (threshold)',
      'America/Bogota',
      [pay('a', 95_000, '2026-12-03T23:00:00-05:00')],
      new Date('2026-12-10T12:00:00Z'),
      'kept',
    ],
    [
      'paid 94 % on time → partially kept after grace',
      'America/Bogota',
      [pay('a', 94_000, '2026-12-02T10:00:00-05:00')],
      new Date('2026-12-10T12:00:00Z'),
      'partially_kept',
    ],
    [
      'paid 94 % while still in grace → pending',
      'America/Bogota',
      [pay('a', 94_000, '2026-12-02T10:00:00-05:00')],
      new Date('2026-12-03T12:00:00-05:00'),
      'pending',
    ],
    [
      'paid in full at 00:00 after grace → late, broken',
      'America/Bogota',
      [pay('a', 100_000, '2026-12-04T00:00:00-05:00')],
      new Date('2026-12-10T12:00:00Z'),
      'broken',
    ],
    [
      'paid before the due date → kept early',
      'America/Bogota',
      [pay('a', 100_000, '2026-11-26T10:00:00-05:00')],
      new Date('2026-11-27T12:00:00Z'),
      'kept',
    ],
    [
      'reversed payment → broken again',
      'America/Bogota',
      [pay('a', 100_000, '2026-11-26T10:00:00-05:00', '2026-12-05T00:00:00Z')],
      new Date('2026-12-10T12:00:00Z'),
      'broken',
    ],
    [
      'no grace: late from 00:00 the day after the due date',
      'America/New_York',
      [],
      new Date('2026-12-02T00:00:00-05:00'),
      'broken',
      { graceDays: 0, keptThresholdPercent: 100 },
    ],
    [
      'no grace: 23:59 on the due date → pending',
      'America/New_York',
      [],
      new Date('2026-12-01T23:59:00-05:00'),
      'pending',
      { graceDays: 0, keptThresholdPercent: 100 },
    ],
  ];
  it.each(cases)('%s', (_n, zone, payments, now, expected, pol) => {
    const r = promiseStatus(one, payments, pol ?? grace, now, zone);
    expect(r.promises[0]!.installments[0]!.status).toBe(expected);
    expect(r.promises[0]!.status).toBe(expected);
  });

  it('series: promise broken when one installment is, kept when all are, partially kept otherwise', () => {
    const series = [
      P('s', [
        ['2026-12-01', 100],
        ['2027-01-01', 100],
      ]),
    ];
    const z = 'America/Lima';
    const now = new Date('2027-01-10T12:00:00Z');
    const at = (payments: PaymentForAllocation[]) => promiseStatus(series, payments, grace, now, z).promises[0]!;
    expect(at([pay('a', 100, '2026-12-01T12:00:00Z'), pay('b', 100, '2027-01-02T12:00:00Z')]).status).toBe('kept');
    const broken = at([pay('a', 100, '2026-12-01T12:00:00Z')]);
    expect(broken.installments.map((x) => x.status)).toEqual(['kept', 'broken']);
    expect(broken.status).toBe('broken');
    expect(at([pay('a', 100, '2026-12-01T12:00:00Z'), pay('b', 50, '2027-01-02T12:00:00Z')]).status).toBe('partially_kept');
    const pendingSecond = promiseStatus(series, [pay('a', 100, '2026-12-01T12:00:00Z')], grace, new Date('2026-12-20T12:00:00Z'), z)
      .promises[0]!;
    expect(pendingSecond.status).toBe('pending');
  });

  it('a late FIFO payment tops up the older installment first', () => {
    const series = [
      P('s', [
        ['2026-12-01', 100],
        ['2027-01-01', 100],
      ]),
    ];
    const r = promiseStatus(series, [pay('a', 100, '2027-01-01T12:00:00Z')], grace, new Date('2027-01-10T12:00:00Z'), 'America/Lima')
      .promises[0]!;
    expect(r.installments.map((x) => [x.paidMinor, x.onTimeMinor, x.status])).toEqual([
      [100, 0, 'broken'],
      [0, 0, 'broken'],
    ]);
  });
});
