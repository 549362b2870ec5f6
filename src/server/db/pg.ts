import { createHash } from 'node:crypto';
import pg from 'pg';
import { TxDb } from './savepoints';
import type { Db, TransactionOptions } from './types';

const INT8 = 20;
const DATE = 1082;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Statements with parameters run as named prepared statements: each connection parses and plans
 * a statement text once, then only binds and executes it — the server's SQL is a fixed set of
 * texts (parameters travel apart), and parsing/planning was a large share of a push's CPU.
 */
const names = new Map<string, string>();
const MAX_PREPARED = 2000;
function prepared(sql: string, params?: readonly unknown[]): pg.QueryConfig {
  if (!params || params.length === 0) return { text: sql };
  let name = names.get(sql);
  if (!name) {
    // a text built with values inlined would never repeat: past this many, stop preparing new ones
    if (names.size >= MAX_PREPARED) return { text: sql, values: params as unknown[] };
    name = `s_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
  }
  return { name, text: sql, values: params as unknown[] };
}

export function openPgDb(url: string, max = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max, types });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  return {
    kind: 'pg',
    async query<T>(sql: string, params?: readonly unknown[]) {
      const r = await pool.query(prepared(sql, params));
      return r.rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T> {
      const client = await pool.connect();
      let broken = false;
      try {
        // one simple-protocol message, one round trip
        await client.query(options?.genericPlans ? 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan' : 'BEGIN');
        const tx = new TxDb('pg', {
          query: async <R>(sql: string, params?: readonly unknown[]) => (await client.query(prepared(sql, params))).rows as R[],
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
