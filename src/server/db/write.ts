import type { Db } from './types';

/** See 0001-initial.sql: drawing change versions is serialised by this advisory lock. */
export const CHANGE_LOCK = 7262;

/**
 * A transaction that writes synced rows. It takes the change lock as its FIRST statement, so it
 * never holds a row lock while waiting for the change lock (no deadlock with another writer),
 * and its versions commit before any later writer can draw one.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOCK]);
    return fn(tx);
  });
}

/**
 * A read that must see a consistent set of versions (a pull). Waits for the writer in progress
 * to commit, then keeps new writers out until it finishes, so the high-water mark it returns is
 * never ahead of rows it could see.
 */
export function versionedRead<T>(db: Db, fn: (tx: Db, head: number) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [CHANGE_LOCK]);
    const [row] = await tx.query<{ head: number }>(
      'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS head FROM change_version',
    );
    return fn(tx, row?.head ?? 0);
  });
}

