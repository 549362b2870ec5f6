import { mkdirSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { TxDb } from './savepoints';
import type { Db, TransactionOptions } from './types';

/** dataDir: a folder, or 'memory://' for a throw-away database. */
export async function openPgliteDb(dataDir: string): Promise<Db> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, {
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  return {
    kind: 'pglite',
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
          exec: async (sql: string) => { await ptx.exec(sql); },
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
