// Planning one day of a strategy for 1,000,000 accounts (BENCH_STRATEGY_ACCOUNTS to change it) on
// PostgreSQL: select the accounts due a step, decide each with the compliance check, record the
// runs — in its own process (time, peak RSS), beside the floor: a plain read of every account
// row with its debtor in the same keyset batches, in the same run.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './run';
import { openDb } from '../src/server/db';
import { migrate } from '../src/server/db/migrate';
import { saveStrategy } from '../src/server/strategies/store';
import { StrategyInput } from '../src/shared/domain/strategy';
import { createTestDatabase } from '../tests/helpers/pg';

const N = Number(process.env.BENCH_STRATEGY_ACCOUNTS ?? 1_000_000);
const NOW = '2027-01-15T15:00:00Z';
const SEED_PIECE = 25_000;

function runWorker(mode: 'plan' | 'floor', env: Record<string, string>): Promise<{ ms: number; peakKb: number; count: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/strategy-plan-worker.ts', mode], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${mode} exited ${code}`)),
    );
  });
}

export async function benchStrategies(): Promise<BenchRow[]> {
  const pg = await createTestDatabase('benchstrat');
  const db = await openDb({ url: pg.url });
  try {
    await migrate(db);
    const [org] = await db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Bench', 'CO', 'America/Bogota') RETURNING id`,
    );
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'admin', 'Admin', 'admin', '!') RETURNING id`,
      [org!.id],
    );
    const [tpl] = await db.query<{ id: string }>(
      `INSERT INTO message_templates (org_id, name, channel, body) VALUES ($1, 'SMS', 'sms', 'Hola {{nombre}}') RETURNING id`,
      [org!.id],
    );
    const t0 = performance.now();
    // in pieces: each statement stays far below the server's statement timeout
    for (let from = 1; from <= N; from += SEED_PIECE) {
      const to = Math.min(N, from + SEED_PIECE - 1);
      // four countries, due dates spread over 120 days around the planning day, a phone and an address each
      await db.query(
        `INSERT INTO debtors (id, org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs)
       SELECT md5('d' || i)::uuid, $1, 'D' || i, 'Deudor ' || i, (10000000 + i)::text, c.country, c.zone, 'individual',
              (ARRAY['low', 'medium', 'high'])[1 + i % 3],
              '{"authorizedChannels":["sms","call","letter","email"],"preferredChannel":null,"windows":[],"preferredPaymentDay":null}'::jsonb
       FROM generate_series($2::int, $3::int) i
       CROSS JOIN LATERAL (SELECT (ARRAY['CO','MX','PE','CL'])[1 + i % 4] AS country,
                                  (ARRAY['America/Bogota','America/Mexico_City','America/Lima','America/Santiago'])[1 + i % 4] AS zone) c`,
        [org!.id, from, to],
      );
      await db.query(
        `INSERT INTO contact_points (debtor_id, kind, value) SELECT md5('d' || i)::uuid, 'phone', '+57300' || (1000000 + i) FROM generate_series($1::int, $2::int) i`,
        [from, to],
      );
      await db.query(
        `INSERT INTO accounts (id, org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date)
       SELECT md5('a' || i)::uuid, $1, md5('d' || i)::uuid, 'A' || i, 'tarjeta', 'COP', 100000000, 80000000, DATE '2027-01-15' + (i % 120 - 60)
       FROM generate_series($2::int, $3::int) i`,
        [org!.id, from, to],
      );
    }
    await db.exec('ANALYZE debtors, accounts, contact_points, activities, promises');
    process.stderr.write(`bench strategies: ${N} accounts seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    await saveStrategy(
      db,
      org!.id,
      user!.id,
      null,
      StrategyInput.parse({
        name: 'Temprana',
        active: true,
        scope: {},
        steps: [
          { key: 'pre5', anchor: 'due_date', day: -5, action: 'sms', templateId: tpl!.id, validDays: 1 },
          { key: 'pre1', anchor: 'due_date', day: -1, action: 'sms', templateId: tpl!.id, validDays: 1 },
          { key: 'call3', anchor: 'due_date', day: 3, action: 'call_task', validDays: 2 },
          { key: 'hand30', anchor: 'due_date', day: 30, action: 'handover', validDays: 0 },
        ],
      }),
    );
    const env = { DATABASE_URL: pg.url, ORG_ID: org!.id, STRATEGY_NOW: NOW };
    const floor = await runWorker('floor', env);
    const plan = await runWorker('plan', env);
    return [
      {
        name: `plan one day, ${N} accounts (${plan.count} due a step)`,
        value: plan.ms / 1000,
        unit: 's',
        target: '< 120',
        ok: plan.ms < 120_000,
      },
      { name: 'planner peak RSS', value: plan.peakKb / 1024, unit: 'MB', target: '< 512', ok: plan.peakKb < 512 * 1024 },
      { name: `floor: plain read of the ${floor.count} account rows`, value: floor.ms / 1000, unit: 's' },
      { name: 'plan / floor', value: plan.ms / floor.ms, unit: '×' },
    ];
  } finally {
    await db.close();
    await pg.drop();
  }
}
