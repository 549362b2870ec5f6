import { createHash } from 'node:crypto';
import pg from 'pg';
import { PgListener } from './pg-listen';
import { withArrayLiterals } from './array-literal';
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
  const values = withArrayLiterals(params);
  let name = names.get(sql);
  if (!name) {
    // a text built with values inlined would never repeat: past this many, stop preparing new ones
    if (names.size >= MAX_PREPARED) return { text: sql, values };
    name = `s_${createHash('sha1').update(sql).digest('base64url')}`;
    names.set(sql, name);
  }
  return { name, text: sql, values };
}

function envMs(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds (0 = no limit), got "${v}"`);
  return n;
}

export interface PgTimeouts {
  /** Opening a connection (TCP + startup + auth) and waiting for a free pool slot. */
  connectMs: number;
  /** Server-side statement_timeout; a migration lifts it for its own transaction. */
  statementMs: number;
  /** Server-side idle_in_transaction_session_timeout: a stuck client cannot hold locks for ever. */
  idleInTransactionMs: number;
}

/** PG_CONNECT_TIMEOUT_MS (5 s), PG_STATEMENT_TIMEOUT_MS (30 s), PG_IDLE_TX_TIMEOUT_MS (60 s); 0 = no limit. */
export function pgTimeoutsFromEnv(): PgTimeouts {
  return {
    connectMs: envMs('PG_CONNECT_TIMEOUT_MS', 5000),
    statementMs: envMs('PG_STATEMENT_TIMEOUT_MS', 30_000),
    idleInTransactionMs: envMs('PG_IDLE_TX_TIMEOUT_MS', 60_000),
  };
}

/** host:port/database of a postgres:// URL, never its user or password (for error messages). */
export function describePgUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

export function openPgDb(url: string, max = 10, timeouts: PgTimeouts = pgTimeoutsFromEnv()): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types,
    // without these a database that accepts and never answers hangs a start or a request for ever
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // a peer gone silent (network drop) is noticed by the kernel rather than never
    keepAlive: true,
  });
  // An idle client that loses its connection must not crash the process.
  pool.on('error', () => {});
  let listener: PgListener | null = null;
  return {
    kind: 'pg',
    listen(channel, onPayload) {
      listener ??= new PgListener(url);
      return listener.listen(channel, onPayload);
    },
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
          exec: async (sql: string) => {
            await client.query(sql);
          },
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
      await listener?.close();
      await pool.end();
    },
  };
}
