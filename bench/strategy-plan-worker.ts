// One process that plans one day (or reads the same rows, for the floor) and reports its time and
// peak RSS as one JSON line: the bench's server-side measure, apart from the bench's own memory.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { openDb } from '../src/server/db';
import { planDay } from '../src/server/strategies/plan';

const url = process.env.DATABASE_URL!;
const orgId = process.env.ORG_ID!;
const now = new Date(process.env.STRATEGY_NOW!);
const mode = process.argv[2];
const db = await openDb({ url });
const t0 = performance.now();
let count = 0;
if (mode === 'floor') {
  // the same keyset batches of the same joined rows, read and dropped
  let cursor = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = await db.query<{ id: string }>(
      `SELECT a.id, a.status, a.balance_minor, a.due_date, a.product, d.country, d.time_zone, d.segment, d.contact_prefs
       FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.org_id = $1 AND a.id > $2::uuid ORDER BY a.id LIMIT 2000`,
      [orgId, cursor],
    );
    if (!rows.length) break;
    count += rows.length;
    cursor = rows[rows.length - 1]!.id;
  }
} else {
  const r = await planDay(db, orgId, now);
  count = r.candidates;
  process.stderr.write(`planned: ${r.candidates} candidates, ${r.waiting.length} waiting, ${r.skipped} skipped\n`);
}
const ms = performance.now() - t0;
const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
console.log(JSON.stringify({ ms, peakKb, count }));
await db.close();
