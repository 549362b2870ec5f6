import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonClient } from '../../../bench/load';
import { createSession } from '../../../src/server/auth/sessions';
import { openDb, type Db } from '../../../src/server/db';
import { DEBTOR_LOCK_CLASS } from '../../../src/server/db/write';
import { migrate } from '../../../src/server/db/migrate';
import { seedDemo } from '../../../src/server/demo/seed';
import { startHaproxy, startInstances, type Haproxy, type Instance } from '../../helpers/haproxy';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { RetryingAgent } from '../../helpers/retrying-agent';
import { seedBulkAccounts } from '../../torture/bulk-seed';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Three server processes (`npm run server`'s entry, src/server/cli/serve.ts) on one PostgreSQL
 * database behind Debian's HAProxy on loopback. Agents sync through the balancer; one instance is
 * killed with SIGKILL while a push is inside its transaction (held there by a debtor lock the test holds). Only requests in flight on that
 * instance fail; the agents resend them (same mutation ids) and converge; the database holds every
 * outcome exactly once. Kept to seconds: the heavy numbers are in `npm run bench -- instances`.
 */
describe('three instances behind HAProxy, one killed mid-run', () => {
  const AGENTS = 12;
  let tdb: TestDatabase;
  let db: Db;
  let instances: Instance[] = [];
  let lb: Haproxy | null = null;
  let tokens: Array<{ token: string; accounts: string[] }> = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('instances');
    db = await openDb({ url: tdb.url });
    await migrate(db);
    const demo = await seedDemo(db, { accounts: 4 });
    const users = await db.query<{ id: string }>(
      `INSERT INTO users (org_id, team_id, username, display_name, role, password_hash)
       SELECT $1, $2, 'lb' || g, 'Agente ' || g, 'agent', 'unused' FROM generate_series(1, $3::int) g RETURNING id`,
      [demo.orgId, demo.teamId, AGENTS + 1],
    );
    await seedBulkAccounts(db, { orgId: demo.orgId, agentIds: users.map((u) => u.id), accounts: (AGENTS + 1) * 10, prefix: 'LB' });
    tokens = [];
    for (const u of users) {
      const accounts = await db.query<{ id: string }>('SELECT id FROM accounts WHERE assigned_agent_id = $1', [u.id]);
      tokens.push({ token: (await createSession(db, u.id)).token, accounts: accounts.map((a) => a.id) });
    }
    instances = await startInstances(tdb.url, 3, { PROMISE_BATCH_MINUTES: '0' });
    lb = await startHaproxy(
      instances.map((i) => ({ name: i.name, port: i.port })),
      'tcp',
    );
  }, 180_000);

  afterAll(async () => {
    await lb?.close();
    await Promise.all(instances.map((i) => i.process.kill()));
    await db?.close();
    await tdb?.drop();
  });

  it('login limits and sessions are the same on every instance: failures counted together, a token made on one works on all', async () => {
    const client = createJsonClient(lb!.url, 8, false);
    try {
      const served = new Set<string>();
      // no Authorization header: the balancer deals these round robin
      for (let i = 0; i < 10; i++) {
        const r = await client.request('POST', '/api/v1/auth/login', { username: 'agente1', password: `adivina${i}` });
        expect(r.status).toBe(401);
        served.add(String(r.headers['x-served-by']));
      }
      expect(served.size).toBeGreaterThan(1);
      const other = await client.request<{ token: string }>('POST', '/api/v1/auth/login', {
        username: 'agente2',
        password: 'agente123',
      });
      expect(other.status).toBe(200); // another user from the same address is not locked out
      const locked = await client.request<{ error: { code: string } }>('POST', '/api/v1/auth/login', {
        username: 'agente1',
        password: 'agente123',
      });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('too_many_attempts');
      // agente2's token, made by whichever instance answered, works on each instance directly
      const { token } = other.body;
      for (const i of instances) {
        const direct = createJsonClient(`http://127.0.0.1:${i.port}`, 1, false);
        try {
          expect((await direct.request('GET', '/api/v1/org/security', undefined, token)).status).toBe(200);
        } finally {
          direct.close();
        }
      }
    } finally {
      client.close();
    }
  });

  it('loses nothing but the requests in flight on the killed instance; clients retry and converge; nothing is applied twice', async () => {
    // A connection per request: HAProxy closes an idle keep-alive connection whose server
    // connection died with the instance, and a request sent on it at that instant is lost before
    // the balancer sees it — a client-side race that clients resend anyway (docs/scaling.md). Here
    // every failure must be a request the dead instance had.
    const client = createJsonClient(lb!.url, 64, false);
    const t0 = performance.now();
    try {
      const agents = tokens.slice(0, AGENTS).map((t) => new RetryingAgent(client, t.token, t.accounts, 'lb', t0));
      // The agent whose big push is cut: it has pushed once, so its sync_clients row exists.
      const bigT = tokens[AGENTS]!;
      const big = new RetryingAgent(client, bigT.token, bigT.accounts, 'lb', t0);
      big.queue(1);
      expect(await big.push()).toBe(true);

      // every agent: a few outcomes, a push, a pull, a pause — until told to stop
      let stop = false;
      const loops = agents.map(async (a) => {
        while (!stop) {
          if (a.outbox.length === 0) a.queue(1 + Math.floor(Math.random() * 3));
          await a.push();
          await a.pull();
          await sleep(60 + Math.random() * 120);
        }
      });
      await sleep(1500);

      // A push of 500 outcomes held inside its transaction: the test holds the advisory lock of one
      // of its debtors (a push locks its debtors after its client row, sync/push.ts), so the push
      // waits there; the instance whose connection waits is the one killed.
      const locker = new pg.Client({ connectionString: tdb.url });
      await locker.connect();
      let victimName = '';
      let killedAt = 0;
      let diedAt = 0;
      let bigPush: Promise<boolean>;
      const bigRid = 'push-big-first';
      try {
        const [{ debtor } = { debtor: '' }] = await db.query<{ debtor: string }>('SELECT debtor_id AS debtor FROM accounts WHERE id = $1', [
          bigT.accounts[0],
        ]);
        await locker.query('SELECT pg_advisory_lock($1, hashtext($2::text))', [DEBTOR_LOCK_CLASS, debtor]);
        big.queue(500);
        big.outbox.at(-1)!.args.accountId = bigT.accounts[0]; // it touches the held debtor
        bigPush = big.push(bigRid);
        for (const deadline = Date.now() + 30_000; !victimName;) {
          const waiting = await locker.query<{ name: string }>(
            `SELECT application_name AS name FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory' AND application_name LIKE 's_'`,
          );
          victimName = waiting.rows[0]?.name ?? '';
          if (Date.now() > deadline) throw new Error('the big push never reached its debtor lock');
          if (!victimName) await sleep(5);
        }
        const victim = instances.find((i) => i.name === victimName)!;
        victim.process.child.kill('SIGKILL');
        killedAt = performance.now() - t0;
        await victim.process.exited;
        diedAt = performance.now() - t0;
      } finally {
        await locker.query('SELECT pg_advisory_unlock_all()');
        await locker.end();
      }
      expect(await bigPush).toBe(false);

      await sleep(2000);
      stop = true;
      await Promise.all(loops);
      // everything still in an outbox is sent again until acknowledged, then pulled to the end
      const deadline = performance.now() + 30_000;
      const converged = await Promise.all([...agents, big].map((a) => a.converge(deadline)));
      expect(converged.every(Boolean)).toBe(true);

      // --- what the clients saw ---------------------------------------------------------------
      const failures = [...agents, big].flatMap((a) => a.failures);
      // the big push is among them, and every failure was a request in flight on the killed
      // instance: sent before it was gone, by an agent whose token the balancer sends to it. (HAProxy
      // closes the client's connection when the server dies under its request: "socket hang up".)
      expect(failures.map((f) => f.rid)).toContain(bigRid);
      for (const f of failures) {
        expect(f.sentAt, `${f.rid} (${f.what}) sent after the instance was gone`).toBeLessThanOrEqual(diedAt);
        expect(f.at).toBeGreaterThanOrEqual(killedAt);
        expect(f.lastServedBy, `${f.rid} (${f.what})`).toBe(victimName);
      }
      // and they were few: at most one per agent (each has one request at a time)
      expect(failures.length).toBeLessThanOrEqual(AGENTS + 1);
      // after the kill, the survivors served everything, including the killed instance's users
      const afterKill = [...agents, big].flatMap((a) => a.servedBy.filter((s) => s.at > diedAt));
      expect(afterKill.length).toBeGreaterThan(0);
      expect(afterKill.every((s) => s.server !== victimName)).toBe(true);
      const movedUsers = [...agents, big].filter(
        (a) => a.servedBy.some((s) => s.server === victimName) && a.servedBy.some((s) => s.at > diedAt),
      );
      expect(movedUsers.length).toBeGreaterThan(0); // the big agent at least: same token, another instance
      const servedBefore = new Set([...agents, big].flatMap((a) => a.servedBy.filter((s) => s.at < killedAt).map((s) => s.server)));
      expect(servedBefore.size).toBe(3);

      // --- what the database holds -------------------------------------------------------------
      const sent = [...agents, big].flatMap((a) => a.sent);
      const [stored] = await db.query<{ n: number; distinct: number; all: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct, count(*) FILTER (WHERE id = ANY($1::uuid[]))::int AS all
         FROM activities WHERE note = 'lb'`,
        [sent],
      );
      expect(stored).toEqual({ n: sent.length, distinct: sent.length, all: sent.length });
      const clients = await db.query<{ clientId: string; last: number }>(
        `SELECT client_id AS "clientId", last_mutation_id AS last FROM sync_clients WHERE client_id = ANY($1::uuid[])`,
        [[...agents, big].map((a) => a.clientId)],
      );
      const lastOf = new Map(clients.map((c) => [c.clientId, c.last]));
      for (const a of [...agents, big]) expect(lastOf.get(a.clientId)).toBe(a.lastQueued);
    } finally {
      client.close();
    }
  });
});
