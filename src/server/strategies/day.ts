import type { Db } from '../db';
import { executeRun, type ExecuteResult } from './execute';
import { planDay, type PlanResult } from './plan';

/** Organisations with an active strategy. */
export async function orgsWithStrategies(db: Db): Promise<string[]> {
  const rows = await db.query<{ orgId: string }>('SELECT DISTINCT org_id AS "orgId" FROM strategies WHERE active ORDER BY 1');
  return rows.map((r) => r.orgId);
}

/** Waiting runs whose moment has come (the sweep that catches any wake-up the job queue lost). */
export async function dueRuns(db: Db, now: Date, limit = 1000): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM strategy_runs WHERE status = 'waiting' AND due_at <= $1::timestamptz ORDER BY due_at, id LIMIT $2`,
    [now.toISOString(), limit],
  );
  return rows.map((r) => r.id);
}

/**
 * One pass of the engine at `now` without the job queue: plan every organisation, then run every
 * waiting run that is due. The job queue calls the same functions; tests drive this with their clock.
 */
export async function runEngineAt(
  db: Db,
  now: Date,
  onResult: (runId: string, r: ExecuteResult) => Promise<void> | void = () => {},
): Promise<PlanResult[]> {
  const plans: PlanResult[] = [];
  for (const orgId of await orgsWithStrategies(db)) plans.push(await planDay(db, orgId, now));
  for (;;) {
    const ids = await dueRuns(db, now);
    let progressed = false;
    for (const id of ids) {
      const r = await executeRun(db, id, now);
      if (r.kind !== 'wait' || r.until > now) progressed = true;
      await onResult(id, r);
    }
    if (!progressed || ids.length === 0) break;
    // a run that waits now has a later due_at: the next query no longer returns it
    if (ids.length < 1000) break;
  }
  return plans;
}
