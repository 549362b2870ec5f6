import pg from 'pg';
import { TxDb } from './savepoints';
import type { Db } from './types';

const INT8 = 20;
const DATE = 1082;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openPgDb(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  return {
    kind: 'pg',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await pool.query(sql, params as unknown[] | undefined);
      return r.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const tx = new TxDb('pg', {
          query: async <R>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params as unknown[] | undefined)).rows as R[],
          exec: async (sql: string) => { await client.query(sql); },
        });
        try {
          const result = await fn(tx);
          tx.assertCommittable();
          await client.query('COMMIT');
          return result;
        } catch (e) {
          try {
            await client.query('ROLLBACK');
          } catch {
            broken = true;
          }
          throw e;
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
