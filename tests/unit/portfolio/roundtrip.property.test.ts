import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CurrencyCode } from '../../../src/shared/domain/money';
import type { PortfolioRow } from '../../../src/shared/domain/portfolio';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import { parsePortfolioCsv } from '../../../src/server/portfolio/parse';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';

const AS_OF = '2026-11-25';
const base = generateDemoPortfolio({ count: 40, seed: 99, agents: ['agente1'], asOf: AS_OF });

/** Text a spreadsheet cell may hold: separators, quotes, line breaks, accents, pipes excluded where they split values. */
const cellText = fc
  .string({ unit: fc.constantFrom(...'aáeéñÑoü Z9;,"\'\n\t#-.()&'.split('')), minLength: 1, maxLength: 30 })
  .map((s) => s.replace(/\s+/g, ' ').trim())
  .filter((s) => s !== '');

describe('CSV writer → parser round trip (property)', () => {
  it('names, addresses and products with separators, quotes and line breaks survive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ i: fc.nat(base.length - 1), name: cellText, address: cellText, product: cellText }), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.constantFrom(';', ',') as fc.Arbitrary<';' | ','>,
        (edits, separator) => {
          const seen = new Set<number>();
          const rows: PortfolioRow[] = [];
          for (const e of edits) {
            if (seen.has(e.i)) continue;
            seen.add(e.i);
            rows.push({ ...base[e.i]!, name: e.name, address: e.address, product: e.product });
          }
          // a debtor's later rows must carry the same document, so keep one row per debtor
          const perDebtor = [...new Map(rows.map((r) => [r.debtorExternalId, r])).values()];
          const parsed = parsePortfolioCsv(portfolioRowsToCsv(perDebtor, { separator }), { asOf: AS_OF });
          expect(parsed.errors).toEqual([]);
          expect(parsed.rows.map((r) => r.row)).toEqual(perDebtor);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('any amount in minor units round-trips in every currency and separator style', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CurrencyCode.options),
        fc.integer({ min: 0, max: 2 ** 46 }),
        fc.constantFrom(';', ',') as fc.Arbitrary<';' | ','>,
        (currency, minor, separator) => {
          const row = { ...base[0]!, currency, balanceMinor: minor, principalMinor: minor, installmentAmountMinor: minor };
          const parsed = parsePortfolioCsv(portfolioRowsToCsv([row], { separator }), { asOf: AS_OF });
          expect(parsed.errors).toEqual([]);
          expect(parsed.rows[0]!.row.balanceMinor).toBe(minor);
          expect(parsed.rows[0]!.row.installmentAmountMinor).toBe(minor);
        },
      ),
      { numRuns: 300 },
    );
  });
});
