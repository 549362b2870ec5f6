import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from '../../../src/main/sync/backoff';
import { ALL_METHODS_COVERED, PRELOAD_METHODS } from '../../../src/shared/api/wire';
import { API_METHODS } from '../../../src/shared/api/contract';
import { resolveStatic } from '../../../src/main/webhost/static';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldText, reverseDigits } from '../../../src/main/store/text';

describe('back-off schedule', () => {
  it('doubles from 1 s up to a 60 s ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffCeiling(n))).toEqual([
      0, 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
  });
  it('jitters between half the ceiling and the ceiling', () => {
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 0.999999)).toBe(4000);
    const draws = Array.from({ length: 200 }, () => backoffDelay(6));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(16000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(32000);
    expect(new Set(draws).size).toBeGreaterThan(50);
  });
});

describe('preload allowlist', () => {
  it('has exactly one channel per API method', () => {
    expect(ALL_METHODS_COVERED).toBe(true);
    expect([...PRELOAD_METHODS].sort()).toEqual([...API_METHODS].sort());
  });
});

describe('static path check', () => {
  it('stays inside the renderer directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'static-'));
    const dir = join(root, 'r');
    mkdirSync(join(dir, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), 'i');
    writeFileSync(join(dir, 'assets', 'a.js'), 'a');
    writeFileSync(join(root, 'secret'), 's');
    try {
      expect(resolveStatic(dir, '/assets/a.js')).toBe(join(dir, 'assets', 'a.js'));
      expect(resolveStatic(dir, '/')).toBe(join(dir, 'index.html'));
      expect(resolveStatic(dir, '/some/route')).toBe(join(dir, 'index.html'));
      for (const p of ['/../secret', '/%2e%2e/secret', '/assets/%2e%2e/%2e%2e/secret', '/..%5csecret', '/%00', '/%E0%A4%A']) {
        expect(resolveStatic(dir, p)).not.toBe(join(root, 'secret'));
      }
      expect(resolveStatic(dir, '/../secret')).toBeNull();
      expect(resolveStatic(dir, '/nope.js')).toBeNull();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('search folding', () => {
  it('folds accents and case, reverses phone digits', () => {
    expect(foldText('PEÑA Núñez Óscar')).toBe('pena nunez oscar');
    expect(reverseDigits('+57 (300) 123-4567')).toBe('765432100375');
  });
});
