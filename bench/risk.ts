// Suite "risk" (docs/risk.md): scoring N accounts on PostgreSQL (features + model) and training on
// account-months, each beside the floor of reading the same rows in the same run; the process's
// peak RSS while scoring; the R-vs-ours AUCs on credit_data. RISK_ACCOUNTS sets N (default 100,000;
// the target is stated for 1,000,000); training uses as many as-of days as make 1,000,000 rows.
import { openDb } from '../src/server/db';
import { migrate } from '../src/server/db/migrate';
import { orgToday, trainOrg } from '../src/server/risk/job';
import { scoreOrg } from '../src/server/risk/scoring';
import { createTestDatabase } from '../tests/helpers/pg';
import { runCreditCheck } from '../tests/helpers/r-credit';
import { seedRiskPortfolio } from '../tests/helpers/risk-portfolio';
import type { BenchRow } from './run';

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export async function benchRisk(): Promise<BenchRow[]> {
  const n = Number(process.env.RISK_ACCOUNTS ?? 100_000);
  const accountMonths = Number(process.env.RISK_ACCOUNT_MONTHS ?? 1_000_000);
  const scale = n / 1_000_000;
  const rows: BenchRow[] = [];
  const pg = await createTestDatabase('benchrisk');
  // the seeding's big INSERTs may outlast the statement timeout; the measured work runs under it
  const saved = process.env.PG_STATEMENT_TIMEOUT_MS;
  process.env.PG_STATEMENT_TIMEOUT_MS = '0';
  const seedDb = await openDb({ url: pg.url });
  if (saved === undefined) delete process.env.PG_STATEMENT_TIMEOUT_MS;
  else process.env.PG_STATEMENT_TIMEOUT_MS = saved;
  const t0 = process.hrtime.bigint();
  let orgId: string;
  try {
    await migrate(seedDb);
    ({ orgId } = await seedRiskPortfolio(seedDb, { accounts: n, periods: 6 }));
    await seedDb.exec('ANALYZE');
  } finally {
    await seedDb.close();
  }
  process.stderr.write(`bench risk: seeded ${n} accounts in ${(ms(t0) / 1000).toFixed(1)} s\n`);
  const db = await openDb({ url: pg.url });
  try {
    const today = await orgToday(db, orgId, new Date());

    // the floor of a whole pass: every account row read into Node, and its payments and
    // activities scanned by the database (the rows the features are computed from)
    const floor = async (): Promise<number> => {
      const f0 = process.hrtime.bigint();
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const page = await db.query<{ id: string }>(
          `SELECT a.id, a.product, a.currency, a.principal_minor, a.balance_minor, a.due_date, a.created_at,
             (SELECT count(*) FROM payments p WHERE p.account_id = a.id) AS p,
             (SELECT count(*) FROM activities t WHERE t.account_id = a.id) AS t
           FROM accounts a WHERE a.org_id = $1 AND a.id > $2::uuid ORDER BY a.id LIMIT 20000`,
          [orgId, after],
        );
        if (page.length === 0) break;
        after = page[page.length - 1]!.id;
        if (page.length < 20000) break;
      }
      return ms(f0);
    };

    // training: as many as-of days as make the account-months asked for
    const steps = Math.max(2, Math.round(accountMonths / n));
    const cfg = { stepDays: 14, steps, minProductRows: 50 };
    let tf = 0;
    for (let i = 0; i < steps; i++) tf += await floor();
    const t1 = process.hrtime.bigint();
    const trained = await trainOrg(db, orgId, today, cfg);
    const trainMs = ms(t1);
    const pay = trained.find((t) => t.target === 'pay_30')!;
    rows.push({
      name: `training on ${n * steps} account-months (${steps} as-of days), pay_30 + roll_30`,
      value: trainMs / 1000,
      unit: 's',
      target: `< ${(300 * (n * steps)) / 1_000_000} s (5 min per 1M)`,
      ok: trainMs < 300_000 * ((n * steps) / 1_000_000),
    });
    rows.push({ name: `  floor: reading the same rows ${steps}×`, value: tf / 1000, unit: 's' });
    rows.push({
      name: `  pay_30 hold-out AUC (hidden propensity)`,
      value: pay.holdoutAuc,
      unit: '',
      target: '> 0.5',
      ok: pay.holdoutAuc > 0.5,
    });

    // scoring: features + model + upsert, a page at a time, with the peak RSS
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const sf = await floor();
    const t2 = process.hrtime.bigint();
    const scored = await scoreOrg(db, orgId, today);
    const scoreMs = ms(t2);
    clearInterval(sampler);
    rows.push({
      name: `scoring ${scored.scored} accounts (features + model + upsert)`,
      value: scoreMs / 1000,
      unit: 's',
      target: `< ${(120 * scale).toFixed(0)} s (2 min per 1M)`,
      ok: scoreMs < 120_000 * scale,
    });
    rows.push({ name: '  floor: reading the same rows', value: sf / 1000, unit: 's' });
    rows.push({ name: '  peak RSS while scoring', value: peak / 2 ** 20, unit: 'MB', target: '< 512 MB', ok: peak < 512 * 2 ** 20 });
  } finally {
    await db.close();
    await pg.drop();
  }

  const r = runCreditCheck();
  rows.push({ name: `credit_data (${r.rows} rows, 5 folds): R glm AUC`, value: r.rMean.toFixed(4), unit: '' });
  rows.push({
    name: 'credit_data: our trainer AUC',
    value: r.ourMean.toFixed(4),
    unit: '',
    target: "within 0.01 of R's",
    ok: Math.abs(r.ourMean - r.rMean) < 0.01,
  });
  return rows;
}
