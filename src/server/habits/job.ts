import type { Db } from '../db';
import { scheduleSharedJob } from '../jobs/schedule';
import { runHabits } from './compute';

/** Every few hours is plenty: habits move over weeks, and the job reads 180 days of calls. */
export const HABITS_INTERVAL_MS = 6 * 3_600_000;

/**
 * Recomputes every organisation's contact habits once per interval across all server instances
 * (jobs/schedule.ts). One organisation at a time; its rows are written in short transactions.
 */
export function scheduleHabits(db: Db, intervalMs = HABITS_INTERVAL_MS, log: (msg: string) => void = () => {}): () => Promise<void> {
  return scheduleSharedJob(db, {
    name: 'contact-habits',
    intervalMs,
    log,
    async run() {
      const orgs = await db.query<{ id: string }>('SELECT id FROM organizations ORDER BY id');
      let debtors = 0;
      let changed = 0;
      for (const o of orgs) {
        const r = await runHabits(db, o.id, new Date());
        debtors += r.debtors;
        changed += r.changed;
      }
      return `${orgs.length} organisations, ${debtors} debtors, ${changed} rows changed`;
    },
  });
}
