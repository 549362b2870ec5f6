import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { startFakeTwilio, type FakeProvider } from '../../helpers/fake-providers';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { runTs, type WatchedChild } from '../adversarial/processes';
import { seedStrategyPortfolio, type Portfolio } from './portfolio';

/**
 * Two engine processes (pg-boss workers) on one PostgreSQL run the same day, 15 Jan 2027 at 15:00
 * UTC: the −5 SMS of every ordinary account is due. The provider is down for its first requests
 * (503), so some sends go back to the queue and pg-boss retries them with back-off. Every step
 * must reach the provider exactly once.
 */
describe('two engine instances on one PostgreSQL', () => {
  let pg: TestDatabase;
  let db: Db;
  let p: Portfolio;
  let twilio: FakeProvider;
  const workers: WatchedChild[] = [];
  const creds = { accountSid: 'AC' + '2'.repeat(32), authToken: 'tok2' };

  beforeAll(async () => {
    pg = await createTestDatabase('strat2');
    db = await openDb({ url: pg.url });
    await migrate(db);
    p = await seedStrategyPortfolio(db, { perCountry: 30 });
    twilio = await startFakeTwilio(creds);
    twilio.failNext(12, 503);
    const env = {
      DATABASE_URL: pg.url,
      STRATEGY_NOW: '2027-01-15T15:00:00Z',
      TWILIO_URL: twilio.url,
      TWILIO_SID: creds.accountSid,
      TWILIO_TOKEN: creds.authToken,
    };
    workers.push(runTs('tests/integration/strategies/engine-worker.ts', env), runTs('tests/integration/strategies/engine-worker.ts', env));
    await Promise.all(workers.map((w) => w.waitFor((l) => l === 'planned', 90_000)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.kill()));
    await twilio?.close();
    await db?.close();
    await pg?.drop();
  });

  it('sends every due step exactly once, through an outage, whichever instance takes it', async () => {
    const deadline = Date.now() + 150_000;
    let left = { waiting: -1, unsent: -1 };
    while (Date.now() < deadline) {
      const [r] = await db.query<{ waiting: number; unsent: number }>(
        `SELECT (SELECT count(*)::int FROM strategy_runs WHERE status = 'waiting') AS waiting,
                (SELECT count(*)::int FROM outbound_messages WHERE strategy_run_id IS NOT NULL AND status <> 'sent') AS unsent`,
      );
      left = r!;
      if (left.waiting === 0 && left.unsent === 0) break;
      await new Promise((res) => setTimeout(res, 1000));
    }
    expect(
      left,
      workers
        .map((w) => w.stderr())
        .join('\n')
        .slice(0, 2000),
    ).toEqual({ waiting: 0, unsent: 0 });
    const [runs] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM strategy_runs WHERE step_key = 'pre5' AND status = 'sent'`,
    );
    // 4 countries × 30 ordinary accounts, plus the named accounts due on the 20th that nothing holds here
    // (cap-sms, cap-call, promise, paid: no agent contact, promise or payment in this test); dispute, legal and refused-sms are held
    expect(runs!.n).toBe(4 * 30 + 4);
    const ok = twilio.requests.filter((r) => r.path.endsWith('/Messages.json'));
    const to = ok.map((r) => new URLSearchParams(r.body).get('To'));
    // 12 refused by the outage (503) + one accepted request per step
    expect(ok.length).toBe(runs!.n + 12);
    const accepted = to.slice(12);
    expect(new Set(accepted).size).toBe(runs!.n);
    const [twice] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT strategy_run_id FROM outbound_messages WHERE strategy_run_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1) x`,
    );
    expect(twice!.n).toBe(0);
    // every message the outage refused went out later: retried by the provider's own back-off or,
    // when that ran out, by the engine (attempts > 1) — which of the two depends on how the 12
    // refusals fall across the sends running in parallel, so the test holds to the outcome
    const refused = new Set(to.slice(0, 12));
    for (const number of refused) expect(accepted).toContain(number);
  }, 200_000);
});
