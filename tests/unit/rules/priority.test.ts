import { describe, expect, it } from 'vitest';
import { baseScore, prioritize, type PriorityInput } from '../../../src/shared/rules/priority';

const NOW = new Date('2026-11-25T15:00:00Z'); // 10:00 in Bogotá, Wednesday
const base: PriorityInput = {
  dpd: 45,
  balanceMinor: 2_000_000,
  currency: 'COP',
  segment: 'medium',
  status: 'active',
  callbackAt: null,
  lastContactAt: null,
  timeZone: 'America/Bogota',
  promises: [],
};
const inst = (dueDate: string, status: PriorityInput['promises'][number]['status'], amountMinor = 500_000, paidMinor = 0) => ({
  dueDate,
  amountMinor,
  paidMinor,
  status,
});
const promise = (status: PriorityInput['promises'][number]['status'], ...installments: ReturnType<typeof inst>[]) => ({
  status,
  installments,
});

/** Expected queue order, top first; each line: name, input, expected reason code. */
const ORDER: Array<[string, PriorityInput, string]> = [
  ['callback due 2 h ago', { ...base, callbackAt: '2026-11-25T13:00:00Z' }, 'callback_due'],
  ['callback due now', { ...base, callbackAt: NOW.toISOString(), segment: 'high', balanceMinor: 900_000_000 }, 'callback_due'],
  [
    'broken promise, big high-risk',
    { ...base, segment: 'high', balanceMinor: 50_000_000, promises: [promise('broken', inst('2026-11-20', 'broken'))] },
    'promise_broken',
  ],
  [
    'broken promise, small low-risk',
    { ...base, segment: 'low', balanceMinor: 100_000, promises: [promise('broken', inst('2026-11-24', 'broken'))] },
    'promise_broken',
  ],
  ['promise due today (local date)', { ...base, promises: [promise('pending', inst('2026-11-25', 'pending'))] }, 'promise_due_today'],
  ['high risk, 75 DPD, USD 5,000', { ...base, segment: 'high', dpd: 75, currency: 'USD', balanceMinor: 500_000 }, 'risk'],
  ['high risk, 75 DPD, COP 2,000,000', { ...base, segment: 'high', dpd: 75 }, 'risk'],
  ['medium risk, 75 DPD, COP 2,000,000', { ...base, dpd: 75 }, 'risk'],
  ['medium risk, 45 DPD', { ...base }, 'risk'],
  ['medium risk, 200 DPD (recoverability falls)', { ...base, dpd: 200 }, 'risk'],
  ['low risk, 15 DPD', { ...base, segment: 'low', dpd: 15 }, 'risk'],
  [
    'broken long ago (> 30 days) falls back to risk',
    { ...base, segment: 'low', dpd: 5, balanceMinor: 50_000, promises: [promise('broken', inst('2026-09-01', 'broken'))] },
    'risk',
  ],
  [
    'contacted 2 h ago, huge balance',
    { ...base, segment: 'high', balanceMinor: 900_000_000, lastContactAt: '2026-11-25T13:00:00Z' },
    'recently_contacted',
  ],
  ['open promise not yet due', { ...base, promises: [promise('pending', inst('2026-12-01', 'pending'))] }, 'promise_open'],
  ['callback later today', { ...base, segment: 'low', callbackAt: '2026-11-25T20:00:00Z' }, 'callback_today'],
  ['callback tomorrow', { ...base, segment: 'low', balanceMinor: 10_000, callbackAt: '2026-11-26T15:00:00Z' }, 'callback_scheduled'],
  ['dispute (leaves the queue)', { ...base, status: 'dispute', callbackAt: '2026-11-25T13:00:00Z' }, 'status.dispute'],
  ['hardship (leaves the queue)', { ...base, status: 'hardship', segment: 'low' }, 'status.hardship'],
  ['do not contact', { ...base, status: 'do_not_contact', segment: 'low', balanceMinor: 1 }, 'status.do_not_contact'],
];

describe('prioritize: queue order', () => {
  const scored = ORDER.map(([name, input, code]) => ({ name, code, p: prioritize(input, NOW) }));

  it.each(scored.map((s) => [s.name, s] as const))('%s → its reason code', (_n, s) => {
    expect(s.p.reason.code).toBe(s.code);
  });

  it('sorts in the documented order', () => {
    const sorted = [...scored].sort((a, b) => b.p.score - a.p.score).map((s) => s.name);
    expect(sorted).toEqual(ORDER.map(([n]) => n));
  });

  it('accounts out of the queue score negative, the others positive', () => {
    for (const s of scored) expect(s.p.score < 0).toBe(s.code.startsWith('status.'));
  });
});

describe('prioritize: details', () => {
  it("uses the debtor's date: 23:30 in Bogotá is already tomorrow in UTC", () => {
    const now = new Date('2026-11-26T04:30:00Z');
    const p = prioritize({ ...base, promises: [promise('pending', inst('2026-11-25', 'pending'))] }, now);
    expect(p.reason.code).toBe('promise_due_today');
    const inTokyo = prioritize({ ...base, timeZone: 'Asia/Tokyo', promises: [promise('pending', inst('2026-11-25', 'pending'))] }, now);
    expect(inTokyo.reason.code).not.toBe('promise_due_today');
  });

  it('a fully paid installment due today is not "due today"', () => {
    const p = prioritize({ ...base, promises: [promise('pending', inst('2026-11-25', 'pending', 500_000, 500_000))] }, NOW);
    expect(p.reason.code).toBe('risk');
  });

  it('a cancelled promise is ignored', () => {
    const p = prioritize({ ...base, promises: [promise('cancelled', inst('2026-11-25', 'pending'))] }, NOW);
    expect(p.reason.code).toBe('risk');
  });

  it('reason params carry what the UI shows', () => {
    expect(prioritize({ ...base, dpd: 75 }, NOW).reason).toEqual({ code: 'risk', params: { segment: 'medium', bucket: '61-90', dpd: 75 } });
    expect(
      prioritize({ ...base, promises: [promise('pending', inst('2026-11-25', 'partially_kept', 500_000, 200_000))] }, NOW).reason,
    ).toEqual({ code: 'promise_due_today', params: { amountMinor: 300_000 } });
  });

  it('balances in different currencies meet on one scale', () => {
    // ≈ USD 500 each: COP 2,000,000 · CLP 475,000 · MXN 9,000.00 · PEN 1,850.00 · USD 500.00
    const scores = [
      baseScore({ ...base, currency: 'COP', balanceMinor: 2_000_000 }),
      baseScore({ ...base, currency: 'CLP', balanceMinor: 475_000 }),
      baseScore({ ...base, currency: 'MXN', balanceMinor: 900_000 }),
      baseScore({ ...base, currency: 'PEN', balanceMinor: 185_000 }),
      baseScore({ ...base, currency: 'USD', balanceMinor: 50_000 }),
    ];
    expect(Math.max(...scores) - Math.min(...scores)).toBeLessThanOrEqual(1);
    expect(baseScore({ ...base, currency: 'COP', balanceMinor: 20_000_000 })).toBeGreaterThan(scores[0]!);
  });

  it('an invalid time zone does not throw', () => {
    expect(() => prioritize({ ...base, timeZone: 'Mars/Olympus' }, NOW)).not.toThrow();
  });
});
