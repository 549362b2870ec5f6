import type { Db } from '../db';
import { SHARED_CHANGE_LOCK } from '../db/write';

/**
 * A webhook's write to synced rows (an activity's status, a reply, a debtor's refusal): beside
 * pushes, like a push (the shared change lock is its first statement), so the pull's change
 * horizon covers it and a provider's burst of callbacks never waits for an agent's push.
 */
export function syncedWrite<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT ${SHARED_CHANGE_LOCK}`);
    return fn(tx);
  });
}
