// Proving the best hours learn (docs/contact-habits.md): a seeded demo portfolio with hidden
// contact-hour habits (src/server/demo/hidden.ts) gets BENCH_HABITS_DAYS (42) days of calls at
// random legal hours through the real paths; the habits job learns from them; over the next 14
// simulated days each debtor is called once a day at the recommended hour and, the same days, at
// a random legal hour. The floor beside the figure is the random legal hour's share, measured in
// the same run; the job's time is printed beside the floor of reading the same call rows.
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './run';
import { openDb } from '../src/server/db';
import { migrate } from '../src/server/db/migrate';
import { seedDemo } from '../src/server/demo/seed';
import { measureHabits, simulateCallHistory } from '../src/server/demo/habits-sim';
import { runHabits } from '../src/server/habits/compute';
import { createTestDatabase } from '../tests/helpers/pg';

const ACCOUNTS = Number(process.env.BENCH_HABITS_ACCOUNTS ?? 300);
const DAYS = Number(process.env.BENCH_HABITS_DAYS ?? 42);

export async function benchHabits(): Promise<BenchRow[]> {
  const pg = await createTestDatabase('benchhabits');
  const db = await openDb({ url: pg.url });
  try {
    await migrate(db);
    const seed = await seedDemo(db, { accounts: ACCOUNTS, seed: 7 });
    const now = new Date();
    const made = await simulateCallHistory(db, seed, { days: DAYS, now });
    const t0 = performance.now();
    const run = await runHabits(db, seed.orgId, now);
    const jobMs = performance.now() - t0;
    const t1 = performance.now();
    await db.query(
      `SELECT t.account_id, t.started_at, t.disposition FROM activities t JOIN accounts a ON a.id = t.account_id WHERE a.org_id = $1`,
      [seed.orgId],
    );
    const floorMs = performance.now() - t1;
    const m = await measureHabits(db, seed.orgId, { days: 14, now });
    const pct = (x: number) => Math.round(x * 1000) / 10;
    return [
      { name: `history: ${made.attempts} calls over ${DAYS} days, ${run.debtors} debtors`, value: made.attempts, unit: 'calls' },
      {
        name: `RPC share at the recommended hour (${m.calls} calls, 14 days)`,
        value: pct(m.recommended),
        unit: '%',
        target: `> random legal hour (${pct(m.random)} %) × 1.5`,
        ok: m.recommended > m.random * 1.5,
      },
      { name: 'RPC share at a random legal hour (floor, same run)', value: pct(m.random), unit: '%' },
      {
        name: 'habits job (SQL + smoothing + clamp + write)',
        value: Math.round(jobMs),
        unit: 'ms',
        target: `floor: read the calls ${Math.round(floorMs)} ms`,
      },
    ];
  } finally {
    await db.close();
    await pg.drop();
  }
}
