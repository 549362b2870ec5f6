/**
 * Array parameters as PostgreSQL array literals ('{"a","b",NULL}'), built the way node-postgres
 * builds them (utils.prepareValue: every element quoted, `\` and `"` escaped, null and undefined
 * as NULL) but in one join instead of a string grown element by element. A portfolio chunk sends
 * a dozen arrays of a thousand elements each: node-postgres' concatenation left several KB of
 * garbage per row, the server's largest source of GC work during a big import (a million-row
 * file allocated gigabytes, and the collector's pauses held /healthz). Arrays of anything but
 * strings, numbers, booleans and nulls are left to node-postgres.
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** The array's literal, or undefined when an element is not a plain value. */
export function arrayLiteral(values: readonly unknown[]): string | undefined {
  // pieces joined once: an element's own string is never copied until the join
  const parts: string[] = ['{'];
  for (let i = 0; i < values.length; i++) {
    if (i > 0) parts.push(',');
    const v = values[i];
    if (v === null || v === undefined) {
      parts.push('NULL');
      continue;
    }
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
    else return undefined;
    parts.push('"', NEEDS_ESCAPE.test(s) ? s.replace(ESCAPED, '\\$&') : s, '"');
  }
  parts.push('}');
  return parts.join('');
}

/** Statement parameters with flat arrays of plain values turned into literals; others unchanged. */
export function withArrayLiterals(params: readonly unknown[]): unknown[] {
  return params.map((p) => (Array.isArray(p) ? (arrayLiteral(p) ?? p) : p));
}
