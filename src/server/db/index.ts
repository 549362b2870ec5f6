import { describePgUrl, openPgDb, pgTimeoutsFromEnv } from './pg';
import { openPgliteDb } from './pglite';
import type { Db } from './types';

export type { Db } from './types';
export { TransactionPoisonedError } from './types';

export interface OpenDbOptions {
  /** postgres:// URL; when set, PostgreSQL is used. */
  url?: string | undefined;
  /** PGlite data folder (default .data/server) or 'memory://'. */
  dataDir?: string | undefined;
}

export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  if (opts.url) {
    const timeouts = pgTimeoutsFromEnv();
    const db = openPgDb(opts.url, 10, timeouts);
    try {
      // fail at start, with a message naming the database, not at the first request
      await db.query('SELECT 1');
    } catch (e) {
      await db.close().catch(() => {});
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`cannot reach PostgreSQL at ${describePgUrl(opts.url)} (DATABASE_URL) within ${timeouts.connectMs} ms: ${why}`, {
        cause: e,
      });
    }
    return db;
  }
  return openPgliteDb(opts.dataDir ?? '.data/server');
}
