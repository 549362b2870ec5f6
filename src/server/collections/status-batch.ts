import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { recomputeAccountPromises } from './recompute';

/**
 * Marks promises kept / broken as time passes (due date + grace days, in the debtor's zone):
 * recomputes every account with an open promise, one short transaction per account so sync
 * writers are never held up for long.
 */
export async function runPromiseStatusBatch(
  db: Db,
  now: Date,
  orgId?: string,
): Promise<{ accounts: number; changed: number; broken: number }> {
  const rows = await db.query<{ accountId: string; orgId: string }>(
    `SELECT DISTINCT pr.account_id AS "accountId", a.org_id AS "orgId" FROM promises pr JOIN accounts a ON a.id = pr.account_id
     WHERE pr.status IN ('pending', 'partially_kept') ${orgId ? 'AND a.org_id = $1' : ''}`,
    orgId ? [orgId] : [],
  );
  let changed = 0;
  let broken = 0;
  for (const { accountId, orgId: accountOrg } of rows) {
    const r = await writeTransaction(db, accountOrg, (tx) => recomputeAccountPromises(tx, accountId, now));
    changed += r.changed;
    broken += r.newlyBroken.length;
  }
  return { accounts: rows.length, changed, broken };
}

/** Runs the batch now and then every `intervalMs`; the returned stop waits for a run in progress (before the database closes). */
export function schedulePromiseStatusBatch(db: Db, intervalMs: number, log: (msg: string) => void = () => {}): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const run = () => {
    running = runPromiseStatusBatch(db, new Date())
      .then((r) => {
        if (r.changed) log(`promise status batch: ${r.changed} promises changed, ${r.broken} newly broken`);
      })
      .catch((e: unknown) => log(`promise status batch failed: ${e instanceof Error ? e.message : String(e)}`));
  };
  run();
  const timer = setInterval(() => {
    if (!stopped) run();
  }, intervalMs);
  timer.unref?.();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
