import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../../src/main/services/paths';
import type { FetchLike } from '../../../src/main/sync/transport';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { SimAgent } from '../../torture/agents';
import { promiseWithinPolicy } from '../../torture/promise-plan';
import { openRawStore } from '../../helpers/raw-store';

/**
 * The long life of a client: app versions, reassignments, disabled users, long absences.
 * In every case the agent's unsent work is kept and, once allowed, reaches the server once.
 */
let server: TestServer;
let admin: string;
const started: SimAgent[] = [];

beforeAll(async () => {
  server = await startTestServer({ backend: 'pg', seed: { accounts: 60 } });
  admin = (await login(server, 'admin', 'admin123')).token;
});
afterAll(async () => {
  for (const a of started) await a.close().catch(() => undefined);
  await server?.close();
});

async function agentFor(username: string, extra: Partial<Parameters<typeof SimAgent.start>[0]> = {}): Promise<SimAgent> {
  const a = await SimAgent.start({
    name: username,
    serverUrl: server.url,
    username,
    password: 'agente123',
    proxy: { seed: 1, mode: 'pass' },
    ...extra,
  });
  started.push(a);
  await a.login();
  expect(await a.settle()).toMatchObject({ pending: 0, lastError: null });
  return a;
}

async function onServer(table: 'activities' | 'notes', ids: string[]): Promise<number> {
  const [r] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return r!.n;
}

async function lastMutationId(clientId: string): Promise<number> {
  const [r] = await server.db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [clientId]);
  return r?.last ?? 0;
}

describe('protocol versions', () => {
  it('a client on an older protocol gets update_required and keeps its outbox; updated, it sends it once', async () => {
    // The older app: same store, but its requests say protocol version PROTOCOL_VERSION - 1.
    const older: FetchLike = (url, init) => {
      const body = init.body ? JSON.stringify({ ...JSON.parse(init.body), protocolVersion: PROTOCOL_VERSION - 1 }) : init.body;
      return fetch(url, { ...init, body });
    };
    const a = await SimAgent.start({
      name: 'old',
      serverUrl: server.url,
      username: 'agente3',
      password: 'agente123',
      proxy: { seed: 1, mode: 'pass' },
    });
    started.push(a);
    await a.login();
    await a.settle();
    const accountId = (await a.visibleAccountIds())[0]!;
    await a.ws.close();
    a.o = { ...a.o, fetch: older };
    await a.open();

    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await a.api.addNote({ accountId, body: `versión vieja ${i}` })).noteId);
    const state = await a.sync();
    expect(state).toMatchObject({ updateRequired: true, pending: 3 });
    expect(await onServer('notes', ids)).toBe(0);
    // a further attempt does not lose or send anything either
    expect(await a.sync()).toMatchObject({ updateRequired: true, pending: 3 });

    // the raw answer names the version the server speaks
    const raw = await call(server, 'POST', '/api/v1/sync/push', {
      token: (await login(server, 'agente3', 'agente123')).token,
      body: { protocolVersion: PROTOCOL_VERSION - 1, clientId: a.clientId, mutations: [] },
    });
    expect(raw.status).toBe(426);
    expect(raw.body.error).toMatchObject({ code: 'update_required', protocolVersion: PROTOCOL_VERSION });

    // "update the app": same data dir, current protocol
    await a.ws.close();
    a.o = { ...a.o, fetch: undefined };
    await a.open();
    expect(await a.settle()).toMatchObject({ updateRequired: false, pending: 0, lastError: null });
    expect(await onServer('notes', ids)).toBe(3);
    expect(await lastMutationId(a.clientId)).toBe(a.highestMutationId());
  });

  it('a mutation the server cannot understand is refused, recorded and shown, never silently accepted, and never blocks the queue', async () => {
    const a = await agentFor('agente1');
    const accountId = (await a.visibleAccountIds())[0]!;
    // A newer app's mutation sitting in this outbox (e.g. written before a downgrade), between two good ones.
    const before = (await a.api.addNote({ accountId, body: 'antes' })).noteId;
    a.proxy.setMode('offline');
    const db = openRawStore(a.dataDir, a.url, a.userId);
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('account.archive', ?, ?)`).run(
      JSON.stringify({ accountId }),
      new Date().toISOString(),
    );
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', ?, ?)`).run(
      JSON.stringify({ id: randomUUID(), accountId, body: '', createdAt: 'ayer' }),
      new Date().toISOString(),
    );
    db.close();
    const after = (await a.api.addNote({ accountId, body: 'después' })).noteId;
    a.proxy.setMode('pass');
    const state = await a.settle();
    expect(state).toMatchObject({ pending: 0, lastError: null });
    expect(state.rejected.map((r) => [r.name, r.code])).toEqual([
      ['account.archive', 'unknown_mutation'],
      ['note.add', 'invalid_args'],
    ]);
    expect(await onServer('notes', [before, after])).toBe(2);
    const rejections = await server.db.query<{ name: string; code: string; field: string | null }>(
      'SELECT name, code, field FROM sync_rejections WHERE client_id = $1 ORDER BY mutation_id',
      [a.clientId],
    );
    expect(rejections.map((r) => r.code)).toEqual(['unknown_mutation', 'invalid_args']);
    expect(rejections[1]!.field).toBeTruthy();
    expect(await lastMutationId(a.clientId)).toBe(a.highestMutationId());
  });

  it('a gap in mutation ids is refused whole (409), nothing of the batch applied', async () => {
    const { token } = await login(server, 'agente2', 'agente123');
    const list = await call(server, 'GET', '/api/v1/accounts?limit=5', { token });
    const accountId = (list.body.items ?? list.body.accounts ?? list.body)[0].id as string;
    const clientId = randomUUID();
    const note = (id: number) => ({
      id,
      name: 'note.add',
      clientTime: new Date().toISOString(),
      args: { id: randomUUID(), accountId, body: `n${id}`, createdAt: new Date().toISOString() },
    });
    const batch = [note(1), note(3)];
    const r = await call(server, 'POST', '/api/v1/sync/push', {
      token,
      body: { protocolVersion: PROTOCOL_VERSION, clientId, mutations: batch },
    });
    expect(r.status).toBe(409);
    expect(
      await onServer(
        'notes',
        batch.map((m) => m.args.id),
      ),
    ).toBe(0);
  });
});

describe('reassignment away', () => {
  it("the account leaves the old agent's store at the next pull, and their unsent outcomes for it still reach the server", async () => {
    const a = await agentFor('agente2');
    const b = await agentFor('agente3');
    const accountId = (await a.api.listQueue({ limit: 50, contactableOnly: false })).rows.find(
      (r) => r.balanceMinor > 0 && r.status === 'active',
    )!.accountId;
    a.proxy.setMode('offline');
    const outcome = await a.api.logOutcome({
      accountId,
      channel: 'call',
      direction: 'inbound',
      disposition: 'rpc',
      note: 'hablé con el titular',
    }); // inbound: logged outbound contacts are checked like placing them (refused at night, or twice a day); this test is about sync
    const { account } = await a.api.getAccount({ accountId });
    const promise = await a.api.logOutcome({
      accountId,
      channel: 'call',
      direction: 'inbound',
      disposition: 'promise_to_pay',
      promise: promiseWithinPolicy(account.balanceMinor),
    });
    const { noteId } = await a.api.addNote({ accountId, body: 'antes de la reasignación' });
    await a.api.setCallback({ accountId, callbackAt: new Date(Date.now() + 86_400_000).toISOString(), note: null });

    const r = await call(server, 'POST', `/api/v1/accounts/${accountId}/assign`, { token: admin, body: { agentId: b.userId } });
    expect(r.status).toBe(200);

    a.proxy.setMode('pass');
    const state = await a.settle();
    expect(state).toMatchObject({ pending: 0, lastError: null });
    // facts are accepted: work done before the reassignment is never lost
    expect(await onServer('activities', [outcome.activityId, promise.activityId])).toBe(2);
    expect(await onServer('notes', [noteId])).toBe(1);
    const [p] = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM promises WHERE id = $1', [promise.promiseId]);
    expect(p!.n).toBe(1);
    // the mutable field needs the account in view now: refused, shown, not blocking
    expect(state.rejected.map((x) => x.name)).toEqual(['account.setCallback']);
    // gone from the old agent's store, present in the new one's with the old agent's work
    expect(await a.visibleAccountIds()).not.toContain(accountId);
    await expect(a.api.getAccount({ accountId })).rejects.toMatchObject({ code: 'not_found' });
    await b.settle();
    const seen = await b.api.getAccount({ accountId });
    expect(seen.activities.map((x) => x.id)).toEqual(expect.arrayContaining([outcome.activityId, promise.activityId]));
    expect(seen.notes.map((x) => x.id)).toContain(noteId);
    expect(await lastMutationId(a.clientId)).toBe(a.highestMutationId());
  });
});

describe('revocation', () => {
  it('a user disabled on the server gets 401: authRequired, portfolio locked, outbox kept; enabled and signed in again, it is sent once', async () => {
    const a = await agentFor('agente1');
    const accountId = (await a.visibleAccountIds())[1]!;
    const ids = [(await a.api.addNote({ accountId, body: 'antes de deshabilitar' })).noteId];
    a.proxy.setMode('offline');
    ids.push((await a.api.addNote({ accountId, body: 'sin red' })).noteId);
    expect((await call(server, 'POST', `/api/v1/users/${a.userId}/disable`, { token: admin })).status).toBe(200);
    a.proxy.setMode('pass');
    const state = await a.sync();
    expect(state).toMatchObject({ authRequired: true });
    expect(state.pending).toBeGreaterThan(0);
    const pendingBefore = state.pending;
    // the portfolio is locked now (services/lock.ts): another sync is refused, the outbox stays
    await expect(a.sync()).rejects.toMatchObject({ code: 'auth.locked' });
    expect(await a.api.getSyncState()).toMatchObject({ authRequired: true, pending: pendingBefore });
    // a restart does not drop it either
    await a.restart();
    expect((await a.api.getSyncState()).pending).toBe(pendingBefore);
    await expect(a.api.login({ username: 'agente1', password: 'agente123' })).rejects.toMatchObject({ code: 'auth.user_disabled' });

    expect((await call(server, 'POST', `/api/v1/users/${a.userId}/enable`, { token: admin })).status).toBe(200);
    await a.login();
    expect(await a.settle()).toMatchObject({ authRequired: false, pending: 0, lastError: null });
    expect(await onServer('notes', ids)).toBe(2);
    expect(await lastMutationId(a.clientId)).toBe(a.highestMutationId());
  });
});

describe('retention', () => {
  it('back after 60 days offline (session expired, clock moved on): exactly once, and old replays are still recognised', async () => {
    const a = await agentFor('agente3');
    const accountId = (await a.visibleAccountIds())[2]!;
    const early = (await a.api.addNote({ accountId, body: 'día 0' })).noteId;
    expect(await a.settle()).toMatchObject({ pending: 0 });
    const acked = await lastMutationId(a.clientId);
    expect(acked).toBeGreaterThan(0);

    a.proxy.setMode('offline');
    const late = [
      (await a.api.addNote({ accountId, body: 'sin red 1' })).noteId,
      (await a.api.addNote({ accountId, body: 'sin red 2' })).noteId,
    ];
    // 60 days pass: the server's record of this client ages, sessions expire; the client's clock moves on.
    await server.db.query(
      `UPDATE sync_clients SET created_at = created_at - interval '60 days', last_seen_at = last_seen_at - interval '60 days' WHERE client_id = $1`,
      [a.clientId],
    );
    await server.db.query(
      `UPDATE sessions SET created_at = created_at - interval '60 days', expires_at = now() - interval '30 days' WHERE user_id = $1`,
      [a.userId],
    );
    await a.ws.close();
    a.o = { ...a.o, skewMs: 60 * 86_400_000 };
    await a.open();

    a.proxy.setMode('pass');
    expect(await a.sync()).toMatchObject({ authRequired: true, pending: 2 });
    await a.login();
    expect(await a.settle()).toMatchObject({ pending: 0, lastError: null });
    expect(await onServer('notes', [early, ...late])).toBe(3);
    expect(await lastMutationId(a.clientId)).toBe(a.highestMutationId());

    // A 60-day-old push delivered again (a stale retransmission): acknowledged as duplicate, not applied.
    const { token } = await login(server, 'agente3', 'agente123');
    const ghost = randomUUID();
    const replay = await call(server, 'POST', '/api/v1/sync/push', {
      token,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId: a.clientId,
        mutations: [
          {
            id: 1,
            name: 'note.add',
            clientTime: new Date().toISOString(),
            args: { id: ghost, accountId, body: 'fantasma', createdAt: new Date().toISOString() },
          },
        ],
      },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.results).toEqual([{ id: 1, status: 'duplicate' }]);
    expect(await onServer('notes', [ghost])).toBe(0);
  });
});
