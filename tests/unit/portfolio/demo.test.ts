import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { dpdBucket } from '../../../src/shared/domain/enums';
import { PortfolioRow } from '../../../src/shared/domain/portfolio';
import { daysPastDue } from '../../../src/shared/domain/time';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import {
  curpCheckDigit,
  formatRut,
  isValidCurp,
  isValidRut,
  nitCheckDigit,
  rucCheckDigit,
  rutCheckDigit,
} from '../../../src/server/portfolio/national-id';
import { parsePortfolioCsv } from '../../../src/server/portfolio/parse';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';

const AS_OF = '2026-11-25';
const AGENTS = ['agente1', 'agente2', 'agente3'];
const rows = generateDemoPortfolio({ count: 3000, seed: 2026, agents: AGENTS, asOf: AS_OF });

describe('check digits', () => {
  it.each([
    [12_345_678, '5'],
    [11_111_111, '1'],
    [76_086_428, '5'],
    [60_803_000, 'K'], // the SII's own RUT
  ])('RUT %d-%s', (body, dv) => {
    expect(rutCheckDigit(body)).toBe(dv);
  });

  it('formats and validates RUTs', () => {
    expect(formatRut(12_345_678)).toBe('12.345.678-5');
    expect(isValidRut('12.345.678-5')).toBe(true);
    expect(isValidRut('12.345.678-4')).toBe(false);
  });

  it('NIT of the DIAN itself (800.197.268-4)', () => {
    expect(nitCheckDigit(800_197_268)).toBe(4);
  });

  it('RUC of SUNAT itself (20131312955)', () => {
    expect(rucCheckDigit('2013131295')).toBe(5);
  });

  it('CURP check digit of published samples', () => {
    // the sample on Wikipedia's CURP article
    expect(curpCheckDigit('HEGG560427MVZRRL0')).toBe('4');
    expect(isValidCurp('HEGG560427MVZRRL04')).toBe(true);
    expect(isValidCurp('HEGG560427MVZRRL05')).toBe(false);
    expect(isValidCurp('MAHJ280603MSPRRV09')).toBe(true);
  });
});

describe('generateDemoPortfolio', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const again = generateDemoPortfolio({ count: 3000, seed: 2026, agents: AGENTS, asOf: AS_OF });
    expect(again).toEqual(rows);
    const other = generateDemoPortfolio({ count: 50, seed: 2027, agents: AGENTS, asOf: AS_OF });
    expect(other.map((r) => r.name)).not.toEqual(rows.slice(0, 50).map((r) => r.name));
  });

  it('every row passes PortfolioRow; account refs are unique', () => {
    for (const r of rows) expect(() => PortfolioRow.parse(r)).not.toThrow();
    expect(new Set(rows.map((r) => r.accountRef)).size).toBe(rows.length);
  });

  it('every phone and WhatsApp number is a valid mobile of the debtor country', () => {
    for (const r of rows) {
      for (const p of [...r.phones, ...r.whatsapp]) {
        const parsed = parsePhoneNumberFromString(p);
        expect(parsed?.isValid(), p).toBe(true);
        expect(parsed?.country).toBe(r.country);
        expect(['MOBILE', 'FIXED_LINE_OR_MOBILE']).toContain(parsed?.getType());
      }
      expect(r.phones.length).toBeGreaterThan(0);
    }
  });

  it('national ids follow each country format with correct check digits', () => {
    for (const r of rows) {
      const id = r.nationalId;
      if (r.country === 'CL') expect(isValidRut(id), id).toBe(true);
      if (r.country === 'CO') {
        if (r.debtorType === 'company') {
          const [body, dv] = id.split('-');
          expect(nitCheckDigit(Number(body))).toBe(Number(dv));
        } else expect(id).toMatch(/^\d{8,10}$/);
      }
      if (r.country === 'PE') {
        if (r.debtorType === 'company') expect(rucCheckDigit(id.slice(0, 10))).toBe(Number(id[10]));
        else expect(id).toMatch(/^\d{8}$/);
      }
      if (r.country === 'MX') {
        if (r.debtorType === 'company') expect(id).toMatch(/^[A-Z]{3}\d{6}[A-Z\d]{3}$/);
        else expect(isValidCurp(id), id).toBe(true);
      }
    }
  });

  it('mixes countries, currencies and debtor types in realistic shares', () => {
    const share = (f: (r: PortfolioRow) => boolean) => rows.filter(f).length / rows.length;
    expect(share((r) => r.country === 'CO')).toBeGreaterThan(0.38);
    expect(share((r) => r.country === 'CO')).toBeLessThan(0.52);
    expect(share((r) => r.country === 'MX')).toBeGreaterThan(0.19);
    expect(share((r) => r.country === 'PE')).toBeGreaterThan(0.1);
    expect(share((r) => r.country === 'CL')).toBeGreaterThan(0.1);
    expect(share((r) => r.debtorType === 'company')).toBeGreaterThan(0.06);
    expect(share((r) => r.debtorType === 'company')).toBeLessThan(0.14);
    const currencyOf = { CO: ['COP'], MX: ['MXN'], PE: ['PEN', 'USD'], CL: ['CLP'] } as Record<string, string[]>;
    for (const r of rows) expect(currencyOf[r.country]).toContain(r.currency);
    for (const r of rows.filter((x) => x.debtorType === 'company')) {
      expect(r.name).toMatch(/(S\.A\.S\.|S\.A\. de C\.V\.|S\.A\.C\.|SpA)$/);
    }
    for (const r of rows.filter((x) => x.debtorType === 'individual')) {
      // given name(s) + two surnames
      expect(r.name.split(' ').length).toBeGreaterThanOrEqual(3);
    }
  });

  it('spreads days past due over every bucket, with some current accounts for reminders', () => {
    const buckets = new Map<string, number>();
    for (const r of rows) {
      const b = dpdBucket(r.dueDate && r.dueDate > AS_OF ? 0 : daysPastDue(r.dueDate, AS_OF));
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    for (const b of ['current', '1-30', '31-60', '61-90', '91-120', '121-180', '180+']) {
      expect(buckets.get(b) ?? 0, b).toBeGreaterThan(rows.length * 0.05);
    }
    expect(rows.some((r) => r.dueDate! > AS_OF)).toBe(true);
  });

  it('balances are plausible per currency (pesos without cents)', () => {
    for (const r of rows) {
      expect(r.balanceMinor).toBeGreaterThan(0);
      if (r.currency === 'COP' || r.currency === 'CLP') expect(r.balanceMinor % 100).toBe(0);
      if (r.currency === 'COP') expect(r.balanceMinor).toBeLessThan(200_000_000);
      if (r.currency === 'MXN') expect(r.balanceMinor).toBeLessThan(2_000_000_00);
    }
  });

  it('spreads accounts over the agents and keeps a debtor with one agent', () => {
    const perAgent = new Map<string, number>();
    const debtorAgent = new Map<string, string | null>();
    for (const r of rows) {
      perAgent.set(r.assignedAgent!, (perAgent.get(r.assignedAgent!) ?? 0) + 1);
      const prev = debtorAgent.get(r.debtorExternalId);
      if (prev !== undefined) expect(r.assignedAgent).toBe(prev);
      debtorAgent.set(r.debtorExternalId, r.assignedAgent);
    }
    expect([...perAgent.keys()].sort()).toEqual(AGENTS);
    for (const n of perAgent.values()) expect(n).toBeGreaterThan(rows.length / 4);
    expect(debtorAgent.size).toBeLessThan(rows.length); // some debtors hold several accounts
    expect(generateDemoPortfolio({ count: 5, seed: 1, agents: [], asOf: AS_OF }).every((r) => r.assignedAgent === null)).toBe(true);
  });

  it('round-trips through CSV (both separators) and the parser unchanged', () => {
    for (const [separator, dates] of [
      [';', 'dmy'],
      [',', 'iso'],
    ] as const) {
      const parsed = parsePortfolioCsv(portfolioRowsToCsv(rows, { separator, dates }), { asOf: AS_OF });
      expect(parsed.errors).toEqual([]);
      expect(parsed.rows.map((r) => r.row)).toEqual(rows);
    }
  });
});
