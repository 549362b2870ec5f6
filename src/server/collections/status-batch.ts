import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { recomputeAccountPromises } from './recompute';
import { scheduleSharedJob } from '../jobs/schedule';

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

/**
 * Runs the batch every `intervalMs`, once across all the server instances on the database
 * (jobs/schedule.ts): each instance checks, one claims the run. The returned stop waits for a run
 * in progress (before the database closes).
 */
export function schedulePromiseStatusBatch(db: Db, intervalMs: number, log: (msg: string) => void = () => {}): () => Promise<void> {
  return scheduleSharedJob(db, {
    name: 'promise-status-batch',
    intervalMs,
    log,
    async run() {
      const r = await runPromiseStatusBatch(db, new Date());
      if (r.changed) log(`promise status batch: ${r.changed} promises changed, ${r.broken} newly broken`);
      return `${r.accounts} accounts, ${r.changed} promises changed, ${r.broken} newly broken`;
    },
  });
}
