import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../src/shared/domain/enums';
import { checkContact, type ComplianceOverrideInput } from '../../../src/shared/rules/compliance';
import { ALL_CHANNELS, inputOf, type Case } from './compliance-fixtures';

const COUNTRIES = ['CO', 'MX', 'PE', 'CL', 'US', 'AR'] as const;
const ZONES = [
  'America/Bogota',
  'America/Mexico_City',
  'America/Lima',
  'America/Santiago',
  'America/New_York',
  'America/Los_Angeles',
  '',
] as const;
const START = Date.parse('2026-01-01T00:00:00Z');
const SPAN = 365 * 86_400_000;
const channel = fc.constantFrom<Channel>(...ALL_CHANNELS);
const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

/** A random contact situation: country, zone, instant (minute or second precision), prior attempts. */
const situation = fc
  .record({
    country: fc.constantFrom(...COUNTRIES),
    zone: fc.constantFrom(...ZONES),
    channel,
    atMs: fc.integer({ min: 0, max: SPAN }),
    history: fc.array(
      fc.record({
        back: fc.integer({ min: 0, max: 10 * 86_400_000 }),
        channel,
        conversation: fc.boolean(),
        other: fc.boolean(),
        inbound: fc.boolean(),
      }),
      { maxLength: 9 },
    ),
    windows: fc.option(
      fc.array(
        fc.record({
          days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
          from: hhmm,
          to: hhmm,
        }),
        { minLength: 1, maxLength: 2 },
      ),
      { nil: undefined },
    ),
  })
  .map((s): Case => {
    const at = START + s.atMs;
    return {
      name: 'prop',
      rule: 'prop',
      country: s.country,
      zone: s.zone,
      channel: s.channel,
      at: new Date(at).toISOString(),
      history: s.history.map((h) => ({
        at: new Date(at - h.back).toISOString(),
        channel: h.channel,
        conversation: h.conversation,
        accountId: h.other ? 'acct-2' : 'acct-1',
        direction: h.inbound ? ('inbound' as const) : ('outbound' as const),
      })),
      ...(s.windows ? { windows: s.windows } : {}),
      allowed: false,
      reasons: [],
      next: null,
    };
  });

const dayHours = fc.option(
  fc.tuple(hhmm, hhmm).map(([a, b]) => (a < b ? { from: a, to: b } : a > b ? { from: b, to: a } : { from: '00:00', to: '23:59' })),
  { nil: null },
);
const override: fc.Arbitrary<ComplianceOverrideInput> = fc.record({
  hourRules: fc.array(
    fc.record({
      id: fc.constant('org.hours'),
      source: fc.constant('test'),
      es: fc.constant('org'),
      en: fc.constant('org'),
      channels: fc.uniqueArray(channel, { minLength: 1 }),
      week: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
      closedOnHolidays: fc.boolean(),
    }),
    { maxLength: 1 },
  ),
  caps: fc.array(
    fc.record({
      kind: fc.constant('count' as const),
      id: fc.constant('org.cap'),
      source: fc.constant('test'),
      es: fc.constant('org'),
      en: fc.constant('org'),
      scope: fc.constantFrom('debtor' as const, 'account' as const),
      appliesTo: fc.uniqueArray(channel, { minLength: 1 }),
      counted: fc.uniqueArray(channel, { minLength: 1 }),
      counts: fc.constantFrom('attempts' as const, 'conversations' as const),
      windowDays: fc.integer({ min: 1, max: 14 }),
      blockAt: fc.integer({ min: 1, max: 5 }),
    }),
    { maxLength: 1 },
  ),
  closedDates: fc.array(
    fc.integer({ min: 0, max: 364 }).map((d) => new Date(START + d * 86_400_000).toISOString().slice(0, 10)),
    { maxLength: 3 },
  ),
  requireAuthorizedChannels: fc.boolean(),
  blockedChannels: fc.uniqueArray(channel, { maxLength: 2 }),
});

describe('checkContact properties', () => {
  it('allowed at t ⇒ nextAllowedAt is t; otherwise nextAllowedAt, when given, is later and itself allowed, and the minute before it is not', () => {
    fc.assert(
      fc.property(situation, (c) => {
        const input = inputOf(c);
        const d = checkContact(input);
        if (d.allowed) {
          expect(d.reasons).toEqual([]);
          expect(d.nextAllowedAt).toBe(input.at.toISOString());
          return;
        }
        expect(d.reasons.length).toBeGreaterThan(0);
        if (d.nextAllowedAt === null) return;
        const next = new Date(d.nextAllowedAt);
        expect(next.getTime()).toBeGreaterThan(input.at.getTime());
        expect(next.getTime()).toBeLessThanOrEqual(input.at.getTime() + 60 * 86_400_000);
        const there = checkContact({ ...input, at: next });
        expect(there.allowed, JSON.stringify(there.reasons)).toBe(true);
        const minuteBefore = new Date(next.getTime() - 60_000);
        if (minuteBefore.getTime() >= input.at.getTime()) expect(checkContact({ ...input, at: minuteBefore }).allowed).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('a stricter organisation override never allows more, nor sooner', () => {
    fc.assert(
      fc.property(situation, override, (c, o) => {
        const base = inputOf(c);
        const strict = { ...base, org: { overrides: o } };
        const a = checkContact(base);
        const b = checkContact(strict);
        if (b.allowed) expect(a.allowed).toBe(true);
        for (const r of a.reasons) expect(b.reasons.map((x) => x.ruleId)).toContain(r.ruleId);
        if (b.nextAllowedAt !== null) {
          expect(a.nextAllowedAt).not.toBeNull();
          expect(Date.parse(b.nextAllowedAt)).toBeGreaterThanOrEqual(Date.parse(a.nextAllowedAt!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a hard stop always has nextAllowedAt null', () => {
    fc.assert(
      fc.property(
        situation,
        fc.constantFrom('dispute', 'hardship', 'do_not_contact', 'deceased', 'bankrupt', 'closed') as fc.Arbitrary<Case['status']>,
        (c, status) => {
          const d = checkContact(inputOf({ ...c, status }));
          expect(d.allowed).toBe(false);
          expect(d.nextAllowedAt).toBeNull();
          expect(d.reasons.map((r) => r.ruleId)).toContain(`hard.status.${status}`);
        },
      ),
      { numRuns: 100 },
    );
  });
});
