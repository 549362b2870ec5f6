import { openPgDb } from './pg';
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
  if (opts.url) return openPgDb(opts.url);
  return openPgliteDb(opts.dataDir ?? '.data/server');
}
