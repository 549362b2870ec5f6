import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityReport } from '../../../src/shared/reports/activity';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { seedDemo } from '../../../src/server/demo/seed';
import { startServer, type RunningServer } from '../../../src/server/cli/serve';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { call, login } from '../../helpers/server';
import { accountsOf } from './fixtures';

/**
 * Reports read off a PostgreSQL streaming replica (REPORTS_DATABASE_URL): a second cluster on this
 * machine, made by scripts/pg-replica.sh (which .ci/run runs) with pg_createcluster + pg_basebackup.
 * Replay is paused on the replica to prove where each read goes.
 */
const REPLICA_URL = process.env.TEST_REPLICA_URL ?? 'postgres://postgres@127.0.0.1:5433/postgres';
const onReplica = (name: string) => {
  const u = new URL(REPLICA_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

async function replicaSql<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: REPLICA_URL });
  await c.connect().catch((e: Error) => {
    throw new Error(`no streaming replica at ${REPLICA_URL}: run scripts/pg-replica.sh (.ci/run does): ${e.message}`);
  });
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reports read off a streaming replica (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Db;
  let server: RunningServer;
  let strict: RunningServer;
  let lead: string;
  let accountId: string;
  let currency: string;

  const report = async (on: RunningServer) => {
    const r = await call(on, 'GET', '/api/v1/reports/activity?period=today', { token: lead });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return ActivityReport.parse(r.body);
  };
  const collected = (rep: ActivityReport) =>
    rep.agents.find((a) => a.username === 'agente1')!.collected.find((c) => c.currency === currency)?.amountMinor ?? 0;
  const pay = async (amountMinor: number) => {
    const r = await call(server, 'POST', '/api/v1/payments', {
      token: lead,
      body: { accountId, reference: `R-${randomUUID()}`, amountMinor, currency, paidAt: new Date().toISOString() },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  };

  beforeAll(async () => {
    expect((await replicaSql<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby'))[0]!.standby).toBe(true);
    database = await createTestDatabase('replica');
    db = await openDb({ url: database.url });
    await migrate(db);
    const seed = await seedDemo(db, { accounts: 12 });
    const [first] = await accountsOf(db, seed.users.agente1!);
    accountId = first!.id;
    [{ currency }] = (await db.query<{ currency: string }>('SELECT currency FROM accounts WHERE id = $1', [accountId])) as [
      { currency: string },
    ];
    // the new database reaches the replica by streaming, like everything else
    await until('the database on the replica', async () => {
      const c = new pg.Client({ connectionString: onReplica(database.name) });
      await c.connect();
      const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
      await c.end();
      return rows[0]!.n === 12;
    });
    const common = { db, port: 0, promiseBatchMinutes: 0, strategies: false, reportsDatabaseUrl: onReplica(database.name) };
    server = await startServer(common);
    // the same, but refusing any lag at all: it must fall back to the primary
    strict = await startServer({ ...common, reportsMaxLagSeconds: 0 });
    lead = (await login(server, 'lider', 'lider123')).token;
  }, 60_000);

  afterAll(async () => {
    await replicaSql('SELECT pg_wal_replay_resume()').catch(() => {});
    await strict?.close();
    await server?.close();
    await db?.close();
    await database?.drop();
  });

  it('a caught-up replica answers the report and says so', async () => {
    await pay(10_000);
    const rep = await until('the payment on the replica', async () => {
      const r = await report(server);
      return collected(r) === 10_000 && r;
    });
    expect(rep.readFrom!.source).toBe('replica');
    // other tests write to the same cluster meanwhile: the replica may be a moment behind, not more
    expect(rep.readFrom!.staleSeconds).toBeLessThan(5);
  });

  it('with replay paused, the report shows the replica as it was and how far behind; the primary and a no-lag server see the new payment', async () => {
    await replicaSql('SELECT pg_wal_replay_pause()');
    try {
      await pay(5_000);
      // the payment is on the primary at once
      const [{ n }] = (await db.query<{ n: number }>('SELECT sum(amount_minor)::int AS n FROM payments WHERE account_id = $1', [
        accountId,
      ])) as [{ n: number }];
      expect(n).toBe(15_000);
      await new Promise((r) => setTimeout(r, 1100));
      const stale = await report(server);
      expect(collected(stale)).toBe(10_000);
      expect(stale.readFrom!.source).toBe('replica');
      expect(stale.readFrom!.staleSeconds).toBeGreaterThan(0);

      const fresh = await report(strict);
      expect(collected(fresh)).toBe(15_000);
      expect(fresh.readFrom).toEqual({ source: 'primary', staleSeconds: 0 });
    } finally {
      await replicaSql('SELECT pg_wal_replay_resume()');
    }
    const caught = await until('the replica catching up', async () => {
      const r = await report(server);
      return collected(r) === 15_000 && r;
    });
    expect(caught.readFrom!.source).toBe('replica');
  });
});
