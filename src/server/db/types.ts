/**
 * The one database contract the server code is written against. Two runtimes implement it:
 * PostgreSQL through a `pg` Pool (production) and PGlite (embedded, for a laptop or tests).
 * The SQL is the same for both; type parsing is aligned so rows look identical:
 * int8 → number (amounts and versions stay below 2^53), date → 'YYYY-MM-DD' string,
 * timestamptz → Date, jsonb → parsed value.
 */
export type SqlParam = string | number | boolean | null | Date | readonly unknown[] | Record<string, unknown>;

export interface Db {
  readonly kind: 'pg' | 'pglite';
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs fn in a transaction (a savepoint when already inside one). Any throw rolls back.
   * A statement that failed inside fn poisons the transaction even if fn caught the error:
   * it is rolled back and the call throws, never committed half-done.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * LISTEN on a channel: `onPayload` receives every NOTIFY payload sent to it, from any process on
   * the database (PostgreSQL: one dedicated connection per process for all channels, re-listened
   * after a reconnect; PGlite: its own in-process listen). Resolves once listening; the function it
   * gives back stops it. Absent inside a transaction.
   */
  listen?(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

export interface TransactionOptions {
  /**
   * The transaction's statements run on their generic plans (plan_cache_mode, local to it; set in
   * the same round trip as BEGIN). For statements that find rows by key. Ignored by a savepoint.
   */
  genericPlans?: boolean;
}

export class TransactionPoisonedError extends Error {
  constructor(cause: unknown) {
    super(`a statement failed inside the transaction; rolled back (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'TransactionPoisonedError';
  }
}
