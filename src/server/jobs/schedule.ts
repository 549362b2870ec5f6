import { hostname } from 'node:os';
import type { Db } from '../db';

/** Which process claimed a run: host and pid, for operators reading scheduled_jobs. */
export const INSTANCE_NAME = `${hostname()}:${process.pid}`;

/**
 * Claims the job's run if none was claimed in the last `intervalMs` (by this or any other
 * instance on the database). One statement: two instances asking at once get one true.
 */
export async function claimRun(db: Db, name: string, intervalMs: number, instance = INSTANCE_NAME): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO scheduled_jobs AS j (name, started_at, instance) VALUES ($1, now(), $3)
     ON CONFLICT (name) DO UPDATE SET started_at = now(), finished_at = NULL, instance = $3, outcome = NULL
       WHERE j.started_at <= now() - ($2::int * interval '1 millisecond')
     RETURNING 1`,
    [name, Math.round(intervalMs), instance],
  );
  return rows.length > 0;
}

async function finishRun(db: Db, name: string, instance: string, outcome: string): Promise<void> {
  await db.query(`UPDATE scheduled_jobs SET finished_at = now(), outcome = $3 WHERE name = $1 AND instance = $2`, [
    name,
    instance,
    outcome.slice(0, 1000),
  ]);
}

export interface SharedJob {
  name: string;
  intervalMs: number;
  /** The work; its answer is stored as the run's outcome. */
  run(): Promise<string>;
  /** How often each instance asks whether a run is due; default a fifth of the interval. */
  checkEveryMs?: number;
  instance?: string;
  log?: (msg: string) => void;
}

/**
 * A periodic job that runs once per interval across every instance on the database: each
 * instance checks on its own timer (on start, then every `checkEveryMs`) and runs the job only
 * when it wins the claim (claimRun). No process holds the schedule alone: when the instance that
 * ran it last dies, another one claims the next run when it falls due. The returned stop waits for
 * this instance's run in progress (before the database closes).
 */
export function scheduleSharedJob(db: Db, job: SharedJob): () => Promise<void> {
  const instance = job.instance ?? INSTANCE_NAME;
  const log = job.log ?? (() => {});
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = running.then(async () => {
      try {
        if (stopped || !(await claimRun(db, job.name, job.intervalMs, instance))) return;
        let outcome: string;
        try {
          outcome = await job.run();
        } catch (e) {
          outcome = `failed: ${e instanceof Error ? e.message : String(e)}`;
          log(`${job.name} ${outcome}`);
        }
        await finishRun(db, job.name, instance, outcome);
      } catch (e) {
        // the database is away: the next tick asks again
        log(`${job.name}: could not claim a run: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  };
  tick();
  const timer = setInterval(tick, job.checkEveryMs ?? Math.max(1000, Math.round(job.intervalMs / 5)));
  timer.unref?.();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
