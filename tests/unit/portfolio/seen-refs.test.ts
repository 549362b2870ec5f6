import { describe, expect, it } from 'vitest';
import { SeenRefs } from '../../../src/server/portfolio/seen-refs';

describe('SeenRefs', () => {
  it('remembers the first row of every ref across growth, and nothing it was not given', () => {
    const seen = new SeenRefs();
    const n = 60_000;
    for (let i = 0; i < n; i++) seen.set(`CTA-${i}`, i + 2);
    expect(seen.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(seen.get(`CTA-${i}`)).toBe(i + 2);
    // a repeat keeps the first row
    seen.set('CTA-5', 999_999);
    expect(seen.get('CTA-5')).toBe(7);
    expect(seen.size).toBe(n);
    // near misses are not taken for the refs they resemble
    for (let i = 0; i < 5_000; i++) {
      expect(seen.get(`CTA-${i}x`)).toBeUndefined();
      expect(seen.get(`cta-${i}`)).toBeUndefined();
      expect(seen.get(`CTA-${n + i}`)).toBeUndefined();
    }
  });

  it('refuses a row number that would read as an empty slot', () => {
    expect(() => new SeenRefs().set('A', 0)).toThrow(/start at 1/);
  });
});
