import { describe, expect, it } from 'vitest';
import { checkContact, complianceZones, isContactableToday } from '../../../src/shared/rules/compliance';
import { CASES } from './compliance-cases';
import { inputOf } from './compliance-fixtures';

const iso = (s: string | null) => (s === null ? null : new Date(s).toISOString());

describe('checkContact: dated table', () => {
  it('has at least 60 cases across CO, MX, PE, CL and US', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    for (const c of ['CO', 'MX', 'PE', 'CL', 'US']) expect(CASES.filter((x) => x.country === c).length).toBeGreaterThanOrEqual(5);
  });

  it.each(CASES.map((c) => [`${c.name} [${c.rule}]`, c] as const))('%s', (_name, c) => {
    const d = checkContact(inputOf(c));
    expect({ allowed: d.allowed, reasons: d.reasons.map((r) => r.ruleId).sort(), next: d.nextAllowedAt }).toEqual({
      allowed: c.allowed,
      reasons: [...c.reasons].sort(),
      next: iso(c.next),
    });
    for (const r of d.reasons) {
      expect(r.es.length).toBeGreaterThan(5);
      expect(r.en.length).toBeGreaterThan(5);
    }
  });
});

describe('isContactableToday', () => {
  const base = CASES.find((c) => c.name === 'CO Mon 06:59')!;
  it('true before opening on an open day (allowed later today)', () => {
    expect(isContactableToday(inputOf(base))).toBe(true);
  });
  it('false after closing time', () => {
    expect(isContactableToday(inputOf({ ...base, at: '2026-12-07T19:00:00-05:00' }))).toBe(false);
  });
  it('false on a holiday', () => {
    expect(isContactableToday(inputOf({ ...base, at: '2026-12-08T09:00:00-05:00' }))).toBe(false);
  });
  it('false when the daily cap is used up', () => {
    expect(isContactableToday(inputOf({ ...base, at: '2026-11-25T10:00:00-05:00', history: [{ at: '2026-11-25T08:00:00-05:00' }] }))).toBe(
      false,
    );
  });
  it('false under a hard stop', () => {
    expect(isContactableToday(inputOf({ ...base, at: '2026-11-25T10:00:00-05:00', status: 'hardship' }))).toBe(false);
  });
  it("uses the debtor's day, not the agent's: Madrid is already on Thursday", () => {
    expect(isContactableToday(inputOf({ ...base, at: '2026-11-26T00:30:00+01:00' }))).toBe(true);
  });
});

describe('bad input names the field', () => {
  const base = CASES.find((c) => c.name === 'CO Mon 07:00')!;
  it('an override with a malformed hour', () => {
    const input = inputOf({ ...base, org: { overrides: { closedDates: ['25/11/2026'] } } });
    expect(() => checkContact(input)).toThrow(/org\.overrides\.closedDates\.0/);
  });
  it('an override hour rule that closes before it opens', () => {
    const closed = null;
    const week = [closed, { from: '18:00', to: '08:00' }, closed, closed, closed, closed, closed];
    const input = inputOf({
      ...base,
      org: {
        overrides: { hourRules: [{ id: 'org.h', source: 's', es: 'e', en: 'e', channels: ['call'], week, closedOnHolidays: false }] },
      },
    });
    expect(() => checkContact(input)).toThrow(/org\.overrides\.hourRules\.0\.week\.1\.to/);
  });
  it('a history entry without a valid instant', () => {
    const input = inputOf({ ...base, history: [{ at: 'yesterday' }] });
    expect(() => checkContact(input)).toThrow(/history\[0\]\.at/);
  });
  it('an invalid Date', () => {
    expect(() => checkContact({ ...inputOf(base), at: new Date('nope') })).toThrow(/\bat\b/);
  });
});

describe('complianceZones: whose clock', () => {
  const base = CASES.find((c) => c.name === 'CO Mon 07:00')!;
  it.each([
    ['the debtor zone when valid', { zone: 'America/Bogota' }, { zones: ['America/Bogota'], source: 'debtor' }],
    ['an invalid debtor zone falls back to the phone country', { zone: 'Bogota/Colombia' }, { zones: ['America/Bogota'], source: 'phone' }],
    [
      'a Chilean number gives every Chilean zone',
      { zone: '', country: 'CL', phone: '+56912345678' },
      { zones: ['America/Santiago', 'America/Punta_Arenas', 'Pacific/Easter'], source: 'phone' },
    ],
    [
      'no zone, no phone: the organisation zone',
      { zone: '', phone: null, org: { timeZone: 'America/Lima' } },
      { zones: ['America/Lima'], source: 'org' },
    ],
    [
      "no zone, no phone, no org zone: the debtor country's zones",
      { zone: '', phone: null },
      { zones: ['America/Bogota'], source: 'country' },
    ],
  ] as const)('%s', (_n, patch, expected) => {
    expect(complianceZones(inputOf({ ...base, ...patch } as typeof base))).toEqual(expected);
  });
});
