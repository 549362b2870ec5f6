import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { firstAccount, openWorkstation, waitForState } from './helpers';

/**
 * Against the real server (PostgreSQL): the agent's writes are local first, survive a
 * restart of the workstation and a stopped server, and reach the server exactly once.
 */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ backend: 'pg', seed: { accounts: 60 } });
});
afterAll(async () => {
  await server?.close();
});

async function serverActivities(
  accountId: string,
  token: string,
): Promise<Array<{ id: string; disposition: string | null; note: string | null }>> {
  const r = await call(server, 'GET', `/api/v1/accounts/${accountId}/activities`, { token });
  expect(r.status).toBe(200);
  return (Array.isArray(r.body) ? r.body : (r.body.activities ?? r.body.items)) as Array<{
    id: string;
    disposition: string | null;
    note: string | null;
  }>;
}

describe('sync against the real server', () => {
  it("first login pulls the agent's accounts into the local store", async () => {
    const { ws, cleanup } = await openWorkstation(server.url);
    try {
      const session = await ws.handlers.login({ username: 'agente1', password: 'agente123' });
      expect(session.user.username).toBe('agente1');
      const state = await ws.handlers.syncNow(undefined);
      expect(state).toMatchObject({ online: true, pending: 0, authRequired: false, lastError: null });
      // every account, not only those contactable today (the agent's default view)
      const page = await ws.handlers.listQueue({
        sort: 'priority',
        dir: 'desc',
        offset: 0,
        limit: 200,
        contactableOnly: false,
        groupBy: 'account',
      });
      expect(page.total).toBeGreaterThan(0);
      const { token } = await login(server, 'agente1', 'agente123');
      const r = await call(server, 'GET', '/api/v1/accounts?limit=500', { token });
      expect(page.total).toBe(r.body.total);
    } finally {
      await ws.close();
      cleanup();
    }
  });

  it('wrong password is auth.invalid_credentials; unreachable server is server.unreachable', async () => {
    const { ws, cleanup } = await openWorkstation(server.url);
    try {
      await expect(ws.handlers.login({ username: 'agente1', password: 'nope' })).rejects.toMatchObject({
        code: 'auth.invalid_credentials',
      });
      await expect(ws.handlers.login({ username: 'agente1', password: 'x', serverUrl: 'http://127.0.0.1:9' })).rejects.toMatchObject({
        code: 'server.unreachable',
      });
    } finally {
      await ws.close();
      cleanup();
    }
  });

  it('server stopped: writes queue, state goes offline with a pending count; restarted: they arrive once, after a workstation restart too', async () => {
    const first = await openWorkstation(server.url);
    let ws = first.ws;
    let stopped = false;
    try {
      await ws.handlers.login({ username: 'agente2', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const row = await firstAccount(ws);
      // let background fetches after the sync (org rules, collections) finish: the helper's stop()
      // waits out Fastify's 72 s keep-alive on a connection that was busy when it was called
      await new Promise((r) => setTimeout(r, 1500));
      await server.stop();
      stopped = true;
      const callId = randomUUID();
      await ws.handlers.logCallAttempt({
        id: callId,
        accountId: row.accountId,
        contactPointId: null,
        address: '+573001112233',
        direction: 'outbound',
        startedAt: new Date().toISOString(),
        answeredAt: new Date().toISOString(),
        endedAt: new Date().toISOString(),
        durationSec: 42,
        sipStatus: 200,
        hangupBy: 'agent',
      });
      const outcome = await ws.handlers.logOutcome({
        accountId: row.accountId,
        channel: 'call',
        contactPointId: null,
        disposition: 'rpc',
        note: 'habló, pagará',
        callActivityId: callId,
        callbackAt: null,
        promise: null,
        direction: 'outbound',
      });
      expect(outcome.activityId).toBe(callId);
      const { noteId } = await ws.handlers.addNote({ accountId: row.accountId, body: 'nota sin conexión' });
      const offline = await waitForState(ws, (s) => !s.online && !s.syncing && s.pending === 3);
      expect(offline.lastError).toBeTruthy();
      // the agent sees their own unsynced work
      const detail = await ws.handlers.getAccount({ accountId: row.accountId });
      expect(detail.activities.find((a) => a.id === callId)).toMatchObject({ disposition: 'rpc', note: 'habló, pagará', recordedAt: null });
      expect(detail.pendingActivityIds).toEqual(expect.arrayContaining([callId, noteId]));

      // the workstation restarts while the server is down: the outbox is still there
      await ws.close();
      ws = (await openWorkstation(server.url, first.dataDir)).ws;
      expect((await ws.handlers.getSession(undefined))?.user.username).toBe('agente2');
      expect((await ws.handlers.getSyncState(undefined)).pending).toBe(3);

      await server.restart();
      stopped = false;
      const after = await ws.handlers.syncNow(undefined);
      expect(after).toMatchObject({ online: true, pending: 0, rejected: [] });
      // and once more: nothing is sent or applied twice
      await ws.handlers.syncNow(undefined);

      const { token } = await login(server, 'agente2', 'agente123');
      const acts = (await serverActivities(row.accountId, token)).filter((a) => a.id === callId);
      expect(acts).toHaveLength(1);
      expect(acts[0]).toMatchObject({ disposition: 'rpc' });
      const bundle = await call(server, 'GET', `/api/v1/accounts/${row.accountId}`, { token });
      expect(bundle.body.notes.filter((n: { id: string }) => n.id === noteId)).toHaveLength(1);
      // the pulled server copy replaced the local one
      const synced = await ws.handlers.getAccount({ accountId: row.accountId });
      expect(synced.activities.find((a) => a.id === callId)?.recordedAt).not.toBeNull();
      expect(synced.pendingActivityIds).toEqual([]);
    } finally {
      if (stopped) await server.restart();
      await ws.close();
      first.cleanup();
    }
  });

  it('replaying a push applies nothing twice', async () => {
    const { ws, cleanup } = await openWorkstation(server.url);
    try {
      const session = await ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const row = await firstAccount(ws);
      const { token } = await login(server, 'agente3', 'agente123');
      const id = randomUUID();
      const mutations = [
        {
          id: 1,
          name: 'note.add',
          args: { id, accountId: row.accountId, body: 'una vez', createdAt: new Date().toISOString() },
          clientTime: new Date().toISOString(),
        },
      ];
      const clientId = randomUUID();
      const a = await call(server, 'POST', '/api/v1/sync/push', { token, body: { protocolVersion: 1, clientId, mutations } });
      const b = await call(server, 'POST', '/api/v1/sync/push', { token, body: { protocolVersion: 1, clientId, mutations } });
      expect(a.body.results[0].status).toBe('applied');
      expect(b.body.results[0].status).toBe('duplicate');
      const bundle = await call(server, 'GET', `/api/v1/accounts/${row.accountId}`, { token });
      expect(bundle.body.notes.filter((n: { id: string }) => n.id === id)).toHaveLength(1);
      expect(session.clientId).not.toBe(clientId);
    } finally {
      await ws.close();
      cleanup();
    }
  });
});
