import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localParts } from '../../../src/shared/domain/time';
import { localClock, localToUtc } from '../../../src/shared/rules/clock';

const ZONES = [
  'America/Bogota',
  'America/New_York',
  'America/Los_Angeles',
  'America/Santiago',
  'America/Mexico_City',
  'Pacific/Easter',
  'Europe/Madrid',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];

describe('rules clock (memoised offsets)', () => {
  it('reads the same local date, weekday, hour and minute as Intl, around DST changes too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2028-12-31T00:00:00Z') }),
        (zone, t) => {
          const p = localParts(t, zone);
          expect(localClock(t, zone)).toEqual({ date: p.date, weekday: p.weekday, hour: p.hour, minute: p.minute });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is exact on both sides of transitions', () => {
    for (const [zone, iso] of [
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['America/Santiago', '2026-09-06T04:00:00Z'],
      ['America/Santiago', '2026-04-05T03:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ] as const) {
      const t = Date.parse(iso);
      for (const d of [-60_000, -1000, 0, 1000, 60_000]) {
        const p = localParts(t + d, zone);
        expect(localClock(t + d, zone), `${zone} ${iso} ${d}`).toEqual({
          date: p.date,
          weekday: p.weekday,
          hour: p.hour,
          minute: p.minute,
        });
      }
    }
  });

  const cases: Array<[string, string, string, string]> = [
    ['Bogotá 07:00', 'America/Bogota', '2026-12-07 07:00', '2026-12-07T12:00:00.000Z'],
    ['New York 08:00 on spring-forward Sunday (EDT)', 'America/New_York', '2026-03-08 08:00', '2026-03-08T12:00:00.000Z'],
    ['New York 02:30 does not exist → 03:00 EDT', 'America/New_York', '2026-03-08 02:30', '2026-03-08T07:00:00.000Z'],
    ['New York 01:30 happens twice → the first (EDT)', 'America/New_York', '2026-11-01 01:30', '2026-11-01T05:30:00.000Z'],
    ['Santiago 00:00 on spring-forward day → 01:00 -03', 'America/Santiago', '2026-09-06 00:00', '2026-09-06T04:00:00.000Z'],
    ['Santiago 23:30 on fall-back eve (twice) → the first', 'America/Santiago', '2026-04-04 23:30', '2026-04-05T02:30:00.000Z'],
    ['Kathmandu (+05:45)', 'Asia/Kathmandu', '2026-11-25 08:00', '2026-11-25T02:15:00.000Z'],
  ];
  it.each(cases)('localToUtc: %s', (_n, zone, local, expected) => {
    const [date, hhmm] = local.split(' ') as [string, string];
    expect(new Date(localToUtc(date, hhmm, zone)).toISOString()).toBe(expected);
  });
});
