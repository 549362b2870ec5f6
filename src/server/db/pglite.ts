import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { TxDb } from './savepoints';
import type { Db, TransactionOptions } from './types';

/**
 * Owner-only modes on everything under the data folder: it holds national ids, SIP passwords and
 * password hashes, and PGlite's file system layer creates files world-writable (0666).
 */
function ownerOnly(path: string): void {
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) {
      chmodSync(p, 0o700);
      ownerOnly(p);
    } else if (e.isFile()) chmodSync(p, 0o600);
  }
}

/** dataDir: a folder, or 'memory://' for a throw-away database. */
export async function openPgliteDb(dataDir: string): Promise<Db> {
  const onDisk = !dataDir.startsWith('memory://');
  if (onDisk) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // the folder itself shut to others first: files PGlite creates later sit inside it
    chmodSync(dataDir, 0o700);
  }
  const pglite = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  if (onDisk) ownerOnly(dataDir);
  return {
    kind: 'pglite',
    // in-process: a NOTIFY reaches the listeners of this one process, the only one PGlite serves
    async listen(channel, onPayload) {
      const stop = await pglite.listen(channel, onPayload);
      return async () => {
        await stop();
      };
    },
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await pglite.query<T>(sql, params as unknown[] | undefined);
      return r.rows;
    },
    async exec(sql: string) {
      await pglite.exec(sql);
    },
    // PGlite has one connection; its transaction() holds a mutex, so other requests' queries
    // wait instead of running inside this transaction.
    transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T> {
      return pglite.transaction(async (ptx) => {
        if (options?.genericPlans) await ptx.exec('SET LOCAL plan_cache_mode = force_generic_plan');
        const tx = new TxDb('pglite', {
          query: async <R>(sql: string, params?: readonly unknown[]) => (await ptx.query<R>(sql, params as unknown[] | undefined)).rows,
          exec: async (sql: string) => {
            await ptx.exec(sql);
          },
        });
        const result = await fn(tx);
        tx.assertCommittable();
        return result;
      });
    },
    async close() {
      await pglite.close();
    },
  };
}
