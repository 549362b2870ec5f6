import type { Db } from './types';

/**
 * Writers that must not run beside each other inside one organisation (imports, payments,
 * reassignments …) hold that organisation's lock — (ORG_LOCK_CLASS, hashtext(org id)), the
 * two-key advisory form — exclusively for their whole transaction; sync pushes hold it shared,
 * so pushes run side by side but never beside such a writer of their own organisation. Another
 * organisation's writers and pushes take another key and never wait. (Two organisations whose
 * ids hash alike share a key: they wait for each other, which is slower, never wrong.)
 *
 * The same lock tags the transaction's change-horizon mark with its organisation
 * (0019-org-change-horizon.sql): a pull's head (visible_change_head(org)) is held back only by
 * writers of its own organisation, or by writers that named none. Pulls never take the lock.
 */
export const ORG_LOCK_CLASS = 7266;

/** Per-debtor locks of a push: (DEBTOR_LOCK_CLASS, hash of the debtor id), two-key form. */
export const DEBTOR_LOCK_CLASS = 7264;

/** SQL taking the organisation's change lock (exclusive or shared) with the org id as parameter $n. */
export const orgChangeLock = (param: string, mode: 'exclusive' | 'shared'): string =>
  `pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(${ORG_LOCK_CLASS}, hashtext((${param})::text))`;

/**
 * A transaction that writes one organisation's synced rows, alone among that organisation's
 * writers. The lock is its FIRST statement, so it never holds a row lock while waiting for it (no
 * deadlock with another writer), and it comes before any version is drawn (the mark's tag).
 */
export function writeTransaction<T>(db: Db, orgId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT ${orgChangeLock('$1::uuid', 'exclusive')}`, [orgId]);
    return fn(tx);
  });
}

/**
 * A sync push: beside other pushes, never beside a writeTransaction of its organisation. fn's
 * FIRST statement must take orgChangeLock(…, 'shared') before anything else it does (push.ts
 * folds it into the statement that opens the client's row: one round trip less per push), so the
 * lock is never waited for while a row lock is held. Pushes touching the same debtor still run
 * one after the other: the caller locks the debtors it will touch with a (DEBTOR_LOCK_CLASS, key)
 * lock per debtor, in key order, before any lock on data rows, so each sees the other's contacts
 * when judging compliance.
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
 * A read that must see a consistent set of one organisation's versions (a pull). head = its
 * visible change horizon: every version at or below it that this organisation's writers drew is
 * committed (or rolled back), so its rows read after this with version ≤ head are all there.
 * Nothing is locked and no writer is waited for — unless fn throws HeadBehind (it needs a version
 * a writer of its organisation still in flight holds back), then it is asked again shortly, for at
 * most HEAD_WAIT_MS.
 */
export async function versionedRead<T>(db: Db, orgId: string, fn: (tx: Db, head: number) => Promise<T>): Promise<T> {
  const deadline = Date.now() + HEAD_WAIT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
    const [row] = await db.query<{ head: number }>('SELECT visible_change_head($1::uuid) AS head', [orgId]);
    try {
      return await fn(db, row?.head ?? 0);
    } catch (e) {
      if (!(e instanceof HeadBehind) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}
