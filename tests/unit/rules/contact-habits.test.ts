import { describe, expect, it } from 'vitest';
import { recommendChannel } from '../../../src/shared/rules/channel-recommendation';
import {
  bestLegalHours,
  describeBestHours,
  firstBestInstant,
  hourOfWeek,
  legalHours,
  segmentPrior,
  shrink,
  smoothedRates,
} from '../../../src/shared/rules/contact-habits';
import { prioritize, TIERS, TIER, type PriorityInput } from '../../../src/shared/rules/priority';
import { evaluateSegment, SegmentRules, type SegmentFeatures } from '../../../src/shared/rules/segments';

const co = (prefs: Partial<{ authorizedChannels: string[]; windows: unknown[] }> = {}) => ({
  debtor: {
    id: '00000000-0000-4000-8000-000000000001',
    country: 'CO',
    timeZone: 'America/Bogota',
    contactPrefs: { authorizedChannels: ['call'], preferredChannel: null, windows: [], preferredPaymentDay: null, ...prefs } as never,
  },
});

describe('smoothing towards the segment (beta prior, M = 4)', () => {
  it('is the posterior mean: no data gives the prior, much data the debtor', () => {
    expect(shrink(0, 0, 0.3)).toBeCloseTo(0.3, 10);
    expect(shrink(2, 4, 0.5)).toBeCloseTo((2 + 4 * 0.5) / 8, 10);
    expect(shrink(90, 100, 0.1)).toBeGreaterThan(0.85);
  });

  it('a debtor with little history looks like the segment, one with a lot like themselves', () => {
    // segment: 18 h answers 50 %, 9 h answers 10 %, 40 attempts each hour
    const seg = [
      { how: 1 * 24 + 18, attempts: 40, rpc: 20 },
      { how: 1 * 24 + 9, attempts: 40, rpc: 4 },
    ];
    const prior = segmentPrior(seg);
    expect(prior[18]).toBeCloseTo((20 + 4 * 0.3) / 44, 10); // overall 24/80 = 0.3
    const thin = smoothedRates([{ how: 2 * 24 + 9, attempts: 1, rpc: 1 }], prior);
    // one lucky answer at 9 h does not beat the segment's 18 h
    expect(thin[2 * 24 + 18]!).toBeGreaterThan(thin[2 * 24 + 9]!);
    const thick = smoothedRates(
      [
        { how: 2 * 24 + 9, attempts: 20, rpc: 16 },
        { how: 2 * 24 + 18, attempts: 20, rpc: 1 },
      ],
      prior,
    );
    expect(thick[2 * 24 + 9]!).toBeGreaterThan(0.7);
    expect(thick[2 * 24 + 9]!).toBeGreaterThan(thick[2 * 24 + 18]! + 0.5);
  });
});

describe('legal-window clamp (the shared checkContact)', () => {
  it('Colombia: Mon–Fri 07–19, Sat 08–15, never Sunday; whole hours only', () => {
    const legal = legalHours(co());
    const open = (d: number) => legal.map((ok, how) => (ok && Math.floor(how / 24) === d ? how % 24 : -1)).filter((h) => h >= 0);
    expect(open(0)).toEqual([]);
    expect(open(3)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(open(6)).toEqual([8, 9, 10, 11, 12, 13, 14]);
  });

  it("a debtor's own window narrows it, and a channel not authorised leaves no hour at all", () => {
    const narrowed = legalHours(co({ windows: [{ days: [1, 2, 3, 4, 5], from: '18:00', to: '19:00' }] }));
    expect(narrowed.filter(Boolean).length).toBe(5);
    expect(legalHours(co({ authorizedChannels: ['sms'] })).some(Boolean)).toBe(false);
  });

  it('the best hours never include an illegal one however good its rate', () => {
    const rates = Array.from({ length: 168 }, (_, how) => (how % 24 === 21 ? 0.99 : how % 24 === 18 ? 0.6 : 0.1));
    const best = bestLegalHours(rates, legalHours(co()), 6);
    expect(best).toEqual([42, 66, 90, 114, 138, 31]);
    expect(best.every((h) => h % 24 !== 21)).toBe(true);
  });
});

describe('best hours in words and in time', () => {
  it('describes a block of days and hours', () => {
    expect(describeBestHours([2 * 24 + 18, 3 * 24 + 18, 4 * 24 + 18, 2 * 24 + 19, 3 * 24 + 19, 4 * 24 + 19], 'es')).toBe('mar–jue 18–20 h');
    expect(describeBestHours([1 * 24 + 9, 5 * 24 + 9], 'en')).toBe('Mon, Fri 9–10 h');
    expect(describeBestHours([], 'es')).toBe('');
  });

  it('finds the first best hour inside a window, in the debtor zone (Mexico City, UTC−6)', () => {
    const from = Date.parse('2026-11-25T14:20:00Z'); // Wed 08:20 in Mexico City
    const to = Date.parse('2026-11-26T02:00:00Z');
    expect(firstBestInstant([3 * 24 + 17], from, to, 'America/Mexico_City')).toBe(Date.parse('2026-11-25T23:00:00Z'));
    expect(firstBestInstant([3 * 24 + 8], from, to, 'America/Mexico_City')).toBe(from);
    expect(firstBestInstant([4 * 24 + 17], from, to, 'America/Mexico_City')).toBeNull();
    expect(hourOfWeek(Date.parse('2026-11-26T01:00:00Z'), 'America/Bogota')).toBe(3 * 24 + 20);
  });
});

describe('the queue: an account whose best hour is now rises, with its reason', () => {
  const NOW = new Date('2026-11-25T15:00:00Z'); // Wed 10:00 in Bogotá → cell 82
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

  it('orders: promise due today > best hour now > bigger risk at another hour > no habits', () => {
    const rows: Array<[string, PriorityInput]> = [
      ['risk high, best hour later', { ...base, segment: 'high', bestHours: [3 * 24 + 18] }],
      ['best hour now, low risk', { ...base, segment: 'low', bestHours: [3 * 24 + 10, 4 * 24 + 10] }],
      [
        'promise due today',
        {
          ...base,
          promises: [{ status: 'pending', installments: [{ dueDate: '2026-11-25', amountMinor: 1, paidMinor: 0, status: 'pending' }] }],
        },
      ],
      ['no habits, medium', { ...base }],
    ];
    const ranked = rows.map(([name, input]) => ({ name, ...prioritize(input, NOW) })).sort((a, b) => b.score - a.score);
    expect(ranked.map((r) => r.name)).toEqual([
      'promise due today',
      'best hour now, low risk',
      'risk high, best hour later',
      'no habits, medium',
    ]);
    const best = ranked[1]!;
    expect(Math.floor(best.score / TIER)).toBe(TIERS.best_hour);
    expect(best.reason).toEqual({ code: 'best_hour', params: { segment: 'low', bucket: '31-60', dpd: 45, from: 10, to: 11 } });
  });

  it('the best hour is the debtor zone: 10:00 in Bogotá is 09:00 in Mexico City', () => {
    const mx = prioritize({ ...base, timeZone: 'America/Mexico_City', bestHours: [3 * 24 + 10] }, NOW);
    expect(mx.reason.code).toBe('risk');
    expect(prioritize({ ...base, timeZone: 'America/Mexico_City', bestHours: [3 * 24 + 9] }, NOW).reason.code).toBe('best_hour');
  });
});

describe('segment rules (one schema and evaluator for client and server)', () => {
  const f: SegmentFeatures = {
    dpd: 75,
    balanceUsd: 1200,
    product: 'Tarjeta de crédito',
    country: 'CO',
    promisesBroken: 2,
    score: null,
    fileSegment: 'low',
  };

  it('the first rule whose conditions all hold decides; none: the file segment', () => {
    const rules = SegmentRules.parse([
      { name: 'Score bajo', segment: 'high', conditions: [{ field: 'score', max: 0.2 }] },
      {
        name: 'Incumplidores',
        segment: 'high',
        conditions: [
          { field: 'promisesBroken', min: 2 },
          { field: 'dpd', min: 60 },
        ],
      },
      { name: 'Tarjetas', segment: 'medium', conditions: [{ field: 'product', in: ['tarjeta de crédito'] }] },
    ]);
    // no score: the score band never holds, the next rule decides
    expect(evaluateSegment(rules, f)).toEqual({ segment: 'high', rule: 'Incumplidores' });
    expect(evaluateSegment(rules, { ...f, score: 0.1, promisesBroken: 0 })).toEqual({ segment: 'high', rule: 'Score bajo' });
    expect(evaluateSegment(rules, { ...f, promisesBroken: 0 })).toEqual({ segment: 'medium', rule: 'Tarjetas' });
    expect(evaluateSegment(rules, { ...f, promisesBroken: 0, product: 'Libranza' })).toEqual({ segment: 'low', rule: null });
  });

  it('names the field of a bad rule', () => {
    const bad = SegmentRules.safeParse([
      { name: 'A', segment: 'high', conditions: [{ field: 'balanceUsd' }] },
      { name: 'a', segment: 'low', conditions: [{ field: 'country', in: ['Colombia'] }] },
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.conditions.0.min', '1.conditions.0.in.0']));
  });
});

describe('channel recommendation', () => {
  it("the debtor's own answers decide once there are enough; otherwise the segment's, said so", () => {
    const seg = [
      { channel: 'call' as const, attempts: 100, responses: 20, payments: 2 },
      { channel: 'whatsapp' as const, attempts: 100, responses: 40, payments: 5 },
    ];
    expect(recommendChannel([], seg, ['sms', 'whatsapp', 'call'])).toMatchObject({ channel: 'whatsapp', reason: { code: 'segment' } });
    const own = [{ channel: 'call' as const, attempts: 6, responses: 5, payments: 1 }];
    expect(recommendChannel(own, seg, ['sms', 'whatsapp', 'call'])).toMatchObject({
      channel: 'call',
      reason: { code: 'own_payments', params: { responses: 5, attempts: 6, payments: 1 } },
    });
    expect(recommendChannel(own, seg, [])).toBeNull();
  });
});
