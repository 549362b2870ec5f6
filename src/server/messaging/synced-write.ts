import type { Db } from '../db';
import { orgChangeLock } from '../db/write';

/**
 * A webhook's write to synced rows (an activity's status, a reply, a debtor's refusal): beside
 * pushes, like a push (the organisation's change lock taken shared is its first statement), so the
 * organisation's pull horizon covers it and a provider's burst of callbacks never waits for an
 * agent's push — nor for another organisation's writers.
 */
export function syncedWrite<T>(db: Db, orgId: string, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT ${orgChangeLock('$1::uuid', 'shared')}`, [orgId]);
    return fn(tx);
  });
}
