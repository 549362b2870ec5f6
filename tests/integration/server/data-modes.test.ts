import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../../src/server/cli/serve';

function everything(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? [p, ...everything(p)] : [p];
  });
}

/** The PGlite data folder holds national ids and password hashes: nothing in it is open to others. */
describe('server data folder', () => {
  it('is owner-only after start, files included', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cobranza-modes-'));
    const dataDir = join(root, 'server');
    const server = await startServer({ port: 0, dataDir, promiseBatchMinutes: 0 });
    try {
      await server.db.query('CREATE TABLE probe (x int)');
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const open = everything(dataDir).filter((p) => (statSync(p).mode & 0o077) !== 0);
      expect(open).toEqual([]);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
