import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One rule for reads of an account's data: visible now (src/server/access/visibility.ts). "Ever
 * assigned" is for recording offline work only, so no file declaring routes may use it.
 */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('account visibility in routes', () => {
  it('no route reads an account through "ever assigned"', () => {
    const routeFiles = files('src/server').filter((f) => readFileSync(f, 'utf8').includes('defineRoute('));
    expect(routeFiles.length).toBeGreaterThan(5);
    // reading the assignment log is allowed only as data (an account's audit trail) behind the visible-now check
    const offenders = routeFiles.filter((f) => {
      const src = readFileSync(f, 'utf8');
      return /findAccountForFacts/.test(src) || (/(FROM|JOIN) assignment_log/.test(src) && !/findVisibleAccount\(/.test(src));
    });
    expect(offenders).toEqual([]);
  });
});
