import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { claimRun, scheduleSharedJob } from '../../../src/server/jobs/schedule';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { BACKENDS } from '../../helpers/server';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Periodic jobs (promise status batch, session purge) are claimed in the database, so several
 * server instances on one database run each job once per interval between them, and when the
 * instance that ran it goes away another one takes over.
 */
describe.each(BACKENDS)('jobs shared by instances on %s', (backend) => {
  let tdb: TestDatabase | null = null;
  let db: Db;
  beforeAll(async () => {
    tdb = backend === 'pg' ? await createTestDatabase('jobs') : null;
    db = await openDb(tdb ? { url: tdb.url } : { dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('two instances asking at once: one claim wins; the next is due only after the interval', async () => {
    const answers = await Promise.all([claimRun(db, 'race', 60_000, 'a'), claimRun(db, 'race', 60_000, 'b')]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await claimRun(db, 'race', 60_000, 'c')).toBe(false);
    expect(await claimRun(db, 'race', 0, 'c')).toBe(true);
  });

  it('three schedulers on one database run the job once per interval, and a survivor goes on when one stops', async () => {
    const runs: Array<{ by: string; at: number }> = [];
    const t0 = Date.now();
    const start = (by: string) =>
      scheduleSharedJob(db, {
        name: 'every-second',
        intervalMs: 1000,
        checkEveryMs: 50,
        instance: by,
        async run() {
          runs.push({ by, at: Date.now() - t0 });
          return `ran on ${by}`;
        },
      });
    const stops = new Map([
      ['i1', start('i1')],
      ['i2', start('i2')],
      ['i3', start('i3')],
    ]);
    await sleep(3500);
    // the instance that ran last stops; the job keeps running on the others
    const last = runs.at(-1)!.by;
    await stops.get(last)!();
    stops.delete(last);
    const before = runs.length;
    await sleep(2500);
    for (const stop of stops.values()) await stop();

    // three instances each checking 20 times a second would run it ~3× per second without the claim
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThanOrEqual(5);
    const after = runs.slice(before);
    expect(after.length).toBeGreaterThanOrEqual(2);
    expect(after.every((r) => r.by !== last)).toBe(true);
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(900);
    const [row] = await db.query<{ outcome: string; instance: string }>(
      `SELECT outcome, instance FROM scheduled_jobs WHERE name = 'every-second'`,
    );
    expect(row?.outcome).toBe(`ran on ${row?.instance}`);
  });
});
