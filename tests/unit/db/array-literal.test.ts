import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { arrayLiteral, withArrayLiterals } from '../../../src/server/db/array-literal';

// node-postgres' own conversion, which the literal must match character for character
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };

describe('array parameters as PostgreSQL literals', () => {
  it('match what node-postgres sends for strings, numbers, booleans and nulls, escapes included', () => {
    const cases: unknown[][] = [
      [],
      ['a', 'b'],
      ['', ' spaced ', 'NULL', 'null'],
      ['say "hi"', 'back\\slash', '\\"both\\"', '{braces}', 'a,b', 'ñandú €'],
      ['{"authorizedChannels":["sms"],"windows":[]}'],
      [1, 0, -2.5, 12345678901234],
      [true, false],
      [null, undefined, 'x', null],
      ['2026-01-31', null, '2026-02-28'],
    ];
    for (const values of cases) expect(arrayLiteral(values)).toBe(prepareValue(values));
  });

  it('leaves arrays of anything else to node-postgres', () => {
    const date = new Date('2026-01-01T00:00:00Z');
    expect(arrayLiteral([date])).toBeUndefined();
    expect(arrayLiteral([['nested']])).toBeUndefined();
    expect(arrayLiteral([{ a: 1 }])).toBeUndefined();
    const params = withArrayLiterals(['org', ['a', 'b'], [date], 3, null]);
    expect(params).toEqual(['org', '{"a","b"}', [date], 3, null]);
  });
});
