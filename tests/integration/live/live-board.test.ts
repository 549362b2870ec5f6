import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/server/app';
import { openDb, type Db } from '../../../src/server/db';
import { LiveBoard, Timeline } from '../../../src/shared/live/presence';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { StreamWatcher } from '../../helpers/live-stream';
import { accountsOf, addUser, SyncClient } from '../server/fixtures';

const presence = (s: { url: string }, token: string, body: unknown) => call(s, 'POST', '/api/v1/live/presence', { token, body });

describe.each(BACKENDS)('live board on %s', (backend) => {
  let s: TestServer;
  let lead: string;
  let otherLead: string;
  let agent1: string;
  let outsider: string;
  let admin: string;
  let account: { id: string };
  const streams: StreamWatcher[] = [];
  const watch = (url: string, token: string | null) => {
    const w = new StreamWatcher(url, token);
    streams.push(w);
    return w;
  };

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 12 } });
    const orgId = s.seed!.orgId;
    await addUser(s.db, orgId, 'lider2', { teamName: 'Equipo Lima', role: 'team_lead' });
    await addUser(s.db, orgId, 'fuera1', { teamName: 'Equipo Lima' });
    lead = (await login(s, 'lider', 'lider123')).token;
    otherLead = (await login(s, 'lider2', 'clave123')).token;
    agent1 = (await login(s, 'agente1', 'agente123')).token;
    outsider = (await login(s, 'fuera1', 'clave123')).token;
    admin = (await login(s, 'admin', 'admin123')).token;
    account = (await accountsOf(s.db, s.seed!.users.agente1))[0]!;
  });
  afterAll(async () => {
    for (const w of streams) w.close();
    await s?.close();
  });

  it('a lead sees their team only, on the board and on the stream, within 2 s of the change', async () => {
    const w = watch(s.url, lead);
    const board = await w.until(() => w.boards[0]);
    const names = board.agents.map((a) => a.username).sort();
    expect(names).toEqual(['agente1', 'agente2', 'agente3', 'lider']);
    expect(board.agents.every((a) => a.state === 'offline')).toBe(true);

    const startedAt = new Date().toISOString();
    const r = await presence(s, agent1, { state: 'on_call', call: { accountId: account.id, phase: 'active', startedAt } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const seen = await w.until(() => w.agents.find((a) => a.agent.username === 'agente1' && a.agent.state === 'on_call'), 2_000);
    expect(seen.agent.call?.accountId).toBe(account.id);
    expect(seen.agent.call?.debtorName).toBeTruthy();
    expect(seen.agent.call?.startedAt).toBe(startedAt);
    expect(seen.receivedAt - seen.sentAt).toBeLessThan(2_000);

    // another team's agent pauses: this lead's stream does not carry it
    expect((await presence(s, outsider, { state: 'paused', pauseReason: 'lunch' })).status).toBe(200);
    await presence(s, agent1, { state: 'wrap_up' });
    await w.until(() => w.lastOf(s.seed!.users.agente1)?.state === 'wrap_up');
    expect(w.agents.some((a) => a.agent.username === 'fuera1')).toBe(false);

    const lb = await call(s, 'GET', '/api/v1/live/board', { token: lead });
    expect(lb.status).toBe(200);
    expect(LiveBoard.parse(lb.body).agents.some((a) => a.username === 'fuera1')).toBe(false);
    const other = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: otherLead })).body);
    expect(other.agents.map((a) => a.username).sort()).toEqual(['fuera1', 'lider2']);
    expect(other.agents.find((a) => a.username === 'fuera1')).toMatchObject({ state: 'paused', pauseReason: 'lunch' });
    const all = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: admin })).body);
    expect(all.agents.map((a) => a.username)).toEqual(expect.arrayContaining(['fuera1', 'agente1']));
  });

  it('refuses the stream and the board to agents and to no token; a pause without its reason names the field', async () => {
    const none = watch(s.url, null);
    await none.until(() => none.status !== null);
    expect(none.status).toBe(401);
    const ag = watch(s.url, agent1);
    await ag.until(() => ag.status !== null);
    expect(ag.status).toBe(403);
    expect((await call(s, 'GET', '/api/v1/live/board', { token: agent1 })).status).toBe(403);
    const bad = await presence(s, agent1, { state: 'paused' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('pauseReason');
    const worse = await presence(s, agent1, { state: 'paused', pauseReason: 'siesta' });
    expect(worse.status).toBe(400);
    // a call on another team's account is refused
    const [theirs] = await s.db.query<{ id: string }>(
      `SELECT id FROM accounts WHERE assigned_agent_id <> $1 AND NOT EXISTS (SELECT 1 FROM assignment_log l WHERE l.account_id = accounts.id AND l.to_agent_id = $1) LIMIT 1`,
      [s.seed!.users.agente1],
    );
    const foreign = await presence(s, agent1, {
      state: 'on_call',
      call: { accountId: theirs!.id, phase: 'dialing', startedAt: new Date().toISOString() },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.field).toBe('call.accountId');
    expect((await call(s, 'GET', '/api/v1/live/board', { token: admin })).status).toBe(200);
    expect(
      (
        await call(s, 'PUT', '/api/v1/live/settings', {
          token: lead,
          body: { idleMinutes: 1, blockSpikeCount: 1, blockWindowMinutes: 60, unsyncedDays: 1 },
        })
      ).status,
    ).toBe(403);
  });

  it("the timeline: the agent's day with calls (SIP status, duration), outcomes, notes and pauses; another team's lead gets 404", async () => {
    const client = new SyncClient(s, agent1);
    const now = Date.now();
    const res = await client.push(
      client.make(
        [
          'activity.log',
          {
            id: randomUUID(),
            accountId: account.id,
            channel: 'call',
            disposition: 'promise_to_pay',
            startedAt: new Date(now - 120_000).toISOString(),
            endedAt: new Date(now - 60_000).toISOString(),
            durationSec: 60,
            sipStatus: 200,
          },
        ],
        [
          'note.add',
          { id: randomUUID(), accountId: account.id, body: 'Volver a llamar el viernes', createdAt: new Date(now).toISOString() },
        ],
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await presence(s, agent1, { state: 'paused', pauseReason: 'break' });
    await presence(s, agent1, { state: 'available' });

    const path = `/api/v1/live/agents/${s.seed!.users.agente1}/timeline`;
    const tl = Timeline.parse((await call(s, 'GET', path, { token: lead })).body);
    const kinds = tl.items.map((i) => i.kind);
    expect(kinds).toEqual(expect.arrayContaining(['call', 'note', 'pause']));
    const callItem = tl.items.find((i) => i.kind === 'call')!;
    expect(callItem).toMatchObject({ sipStatus: 200, durationSec: 60, disposition: 'promise_to_pay', accountId: account.id });
    expect(tl.items.find((i) => i.kind === 'pause')?.pauseReason).toBe('break');

    const onlyPauses = Timeline.parse((await call(s, 'GET', `${path}?kinds=pause`, { token: lead })).body);
    expect(onlyPauses.items.length).toBeGreaterThan(0);
    expect(onlyPauses.items.every((i) => i.kind === 'pause')).toBe(true);
    const outcomes = Timeline.parse((await call(s, 'GET', `${path}?kinds=outcome`, { token: lead })).body);
    expect(outcomes.items.map((i) => i.disposition)).toContain('promise_to_pay');
    expect((await call(s, 'GET', `${path}?kinds=nap`, { token: lead })).status).toBe(400);
    expect((await call(s, 'GET', path, { token: otherLead })).status).toBe(404);
    expect((await call(s, 'GET', path, { token: agent1 })).status).toBe(403);
  });

  it("alerts: idle, a spike of compliance blocks, a promise due today without a reminder, a store not synced — the team's only; thresholds audited", async () => {
    const put = await call(s, 'PUT', '/api/v1/live/settings', {
      token: admin,
      body: { idleMinutes: 1, blockSpikeCount: 3, blockWindowMinutes: 60, unsyncedDays: 2 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    await presence(s, agent1, { state: 'available' });
    await s.db.query(`UPDATE agent_presence SET state_since = now() - interval '5 minutes' WHERE user_id = $1`, [s.seed!.users.agente1]);
    const board = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: lead })).body);
    expect(board.settings.idleMinutes).toBe(1);
    expect(board.alerts).toContainEqual(expect.objectContaining({ kind: 'idle', userId: s.seed!.users.agente1 }));
    const other = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: otherLead })).body);
    expect(other.alerts.some((a) => a.userId === s.seed!.users.agente1)).toBe(false);
    // three refused contacts by agente2 within the hour (threshold 3), a promise of agente3's due
    // today with no contact since yesterday, agente2's workstation silent for 5 days
    const { agente2, agente3 } = s.seed!.users;
    const [acc2] = await accountsOf(s.db, agente2);
    for (let i = 0; i < 3; i++)
      await s.db.query(
        `INSERT INTO activities (id, account_id, agent_id, channel, direction, started_at, compliance_blocked)
         VALUES ($1, $2, $3, 'call', 'outbound', now() - interval '10 minutes', true)`,
        [randomUUID(), acc2!.id, agente2],
      );
    const acc3 = (await accountsOf(s.db, agente3)).at(-1)!;
    const promiseId = randomUUID();
    await s.db.query(
      `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at)
       SELECT $1, a.id, $3, 'call', a.currency, now() - interval '3 days' FROM accounts a WHERE a.id = $2`,
      [promiseId, acc3.id, agente3],
    );
    await s.db.query(
      `INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor)
       SELECT $1, 1, (now() AT TIME ZONE o.time_zone)::date, 10000 FROM organizations o WHERE o.id = $2`,
      [promiseId, s.seed!.orgId],
    );
    await s.db.query(`INSERT INTO sync_clients (client_id, user_id, last_seen_at) VALUES ($1, $2, now() - interval '5 days')`, [
      randomUUID(),
      agente2,
    ]);
    const withAll = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: lead })).body).alerts;
    expect(withAll).toContainEqual({ kind: 'block_spike', userId: agente2, count: 3, windowMinutes: 60 });
    expect(withAll).toContainEqual({ kind: 'promises_unreminded', userId: agente3, count: 1, accountIds: [acc3.id] });
    expect(withAll).toContainEqual(expect.objectContaining({ kind: 'store_unsynced', userId: agente2, days: 5 }));
    // a reminder sent today clears the promise's alert
    await s.db.query(
      `INSERT INTO activities (id, account_id, agent_id, channel, direction, started_at) VALUES ($1, $2, $3, 'sms', 'outbound', now())`,
      [randomUUID(), acc3.id, agente3],
    );
    const after = LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: lead })).body).alerts;
    expect(after.some((a) => a.kind === 'promises_unreminded')).toBe(false);
    expect(LiveBoard.parse((await call(s, 'GET', '/api/v1/live/board', { token: otherLead })).body).alerts).toEqual([]);
    const [audit] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM org_audit WHERE action = 'live.settings'`);
    expect(audit!.n).toBe(1);
  });

  // PGlite serves one process: the two-instance case is PostgreSQL's (docs/live-board.md)
  if (backend === 'pg')
    it('two server instances on one database: the lead on one sees an agent reporting to the other', async () => {
      const db2: Db = await openDb({ url: s.databaseUrl! });
      const app2 = createServer({ db: db2 });
      await app2.listen({ port: 0, host: '127.0.0.1' });
      const addr = app2.server.address() as { port: number };
      const url2 = `http://127.0.0.1:${addr.port}`;
      try {
        const w = watch(s.url, lead);
        await w.until(() => w.boards[0]);
        const agent2 = (await login({ url: url2 }, 'agente2', 'agente123')).token;
        const r = await presence({ url: url2 }, agent2, { state: 'paused', pauseReason: 'training' });
        expect(r.status).toBe(200);
        const seen = await w.until(() => w.agents.find((a) => a.agent.username === 'agente2' && a.agent.state === 'paused'), 2_000);
        expect(seen.agent.pauseReason).toBe('training');
        // and the other way round: a lead on the second instance hears an agent on the first
        const w2 = watch(url2, lead);
        await w2.until(() => w2.boards[0]);
        await presence(s, agent1, { state: 'wrap_up' });
        await w2.until(() => w2.lastOf(s.seed!.users.agente1)?.state === 'wrap_up', 2_000);
        // closing an instance ends its streams (they are never idle): the close does not hang on them
        await app2.close();
        await w2.done;
      } finally {
        await app2.close();
        await db2.close();
      }
    });
});
