import type { Db } from './types';

/**
 * Writers that must not run beside each other (imports, payments, reassignments …) hold this
 * lock exclusively for their whole transaction; sync pushes hold it shared, so pushes run side
 * by side but never beside such a writer. Pulls never take it: they read up to the visible change
 * horizon instead (0006-change-horizon.sql), so no writer makes a pull wait.
 */
export const CHANGE_LOCK = 7262;

/** Per-debtor locks of a push: (DEBTOR_LOCK_CLASS, hash of the debtor id), two-key form. */
export const DEBTOR_LOCK_CLASS = 7264;

/**
 * A transaction that writes synced rows, alone among writers. The lock is its FIRST statement,
 * so it never holds a row lock while waiting for it (no deadlock with another writer).
 */
export function writeTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOCK]);
    return fn(tx);
  });
}

/** SQL of the shared change lock a push takes: the first thing its first statement does. */
export const SHARED_CHANGE_LOCK = `pg_advisory_xact_lock_shared(${CHANGE_LOCK})`;

/**
 * A sync push: beside other pushes, never beside a writeTransaction. fn's FIRST statement must
 * take SHARED_CHANGE_LOCK before anything else it does (push.ts folds it into the statement that
 * opens the client's row: one round trip less per push), so the lock is never waited for while a
 * row lock is held. Pushes touching the same debtor still run one after the other: the caller
 * locks the debtors it will touch with a (DEBTOR_LOCK_CLASS, key) lock per debtor, in key order,
 * before any lock on data rows, so each sees the other's contacts when judging compliance.
 */
export function pushTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  // Every statement of a push finds rows by key. With id-array parameters PostgreSQL would keep
  // choosing custom plans, planning each statement anew on every execution — a large share of a
  // push's database time.
  return db.transaction(fn, { genericPlans: true });
}

/** Thrown by a versionedRead callback when the head does not cover what it must yet. */
export class HeadBehind extends Error {
  constructor(
    readonly needed: number,
    readonly head: number,
  ) {
    super(`change head ${head} does not cover version ${needed} yet`);
    this.name = 'HeadBehind';
  }
}

const HEAD_WAIT_MS = 10_000;

/**
 * A read that must see a consistent set of versions (a pull). head = the visible change horizon:
 * every version at or below it is committed (or rolled back), so rows read after this with
 * version ≤ head are all there. Nothing is locked and no writer is waited for — unless fn throws
 * HeadBehind (it needs a version a writer still in flight holds back), then it is asked again
 * shortly, for at most HEAD_WAIT_MS.
 */
export async function versionedRead<T>(db: Db, fn: (tx: Db, head: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + HEAD_WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const [row] = await db.query<{ head: number }>('SELECT visible_change_head() AS head');
    try {
      return await fn(db, row?.head ?? 0);
    } catch (e) {
      if (!(e instanceof HeadBehind) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
