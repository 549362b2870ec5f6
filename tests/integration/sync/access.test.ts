import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { firstAccount, openWorkstation } from './helpers';

/** Who sees what, and what happens to the outbox when the server stops trusting the session. */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 60 } });
});
afterAll(async () => {
  await server?.close();
});

describe('access changes reach the local stores', () => {
  it("a reassigned account leaves the old agent's store at the next pull and joins the new agent's", async () => {
    const a1 = await openWorkstation(server.url);
    const a2 = await openWorkstation(server.url);
    try {
      await a1.ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await a2.ws.handlers.login({ username: 'agente2', password: 'agente123' });
      await a1.ws.handlers.syncNow(undefined);
      await a2.ws.handlers.syncNow(undefined);
      const row = await firstAccount(a1.ws);
      await expect(a2.ws.handlers.getAccount({ accountId: row.accountId })).rejects.toMatchObject({
        code: 'not_found',
        field: 'accountId',
      });
      const before1 = (await a1.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false }))
        .total;
      const before2 = (await a2.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false }))
        .total;

      const lead = await login(server, 'lider', 'lider123');
      const r = await call(server, 'POST', `/api/v1/accounts/${row.accountId}/assign`, {
        token: lead.token,
        body: { agentId: server.seed!.users.agente2 },
      });
      expect(r.status).toBe(200);

      await a1.ws.handlers.syncNow(undefined);
      await a2.ws.handlers.syncNow(undefined);
      await expect(a1.ws.handlers.getAccount({ accountId: row.accountId })).rejects.toMatchObject({ code: 'not_found' });
      expect((await a1.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false })).total).toBe(
        before1 - 1,
      );
      const moved = await a2.ws.handlers.getAccount({ accountId: row.accountId });
      expect(moved.account.assignedAgentId).toBe(server.seed!.users.agente2);
      expect((await a2.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false })).total).toBe(
        before2 + 1,
      );
    } finally {
      await a1.ws.close();
      await a2.ws.close();
      a1.cleanup();
      a2.cleanup();
    }
  });

  it('two agents on one laptop: each has their own store', async () => {
    const w = await openWorkstation(server.url);
    try {
      await w.ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await w.ws.handlers.syncNow(undefined);
      const mine = await firstAccount(w.ws);
      await w.ws.handlers.addNote({ accountId: mine.accountId, body: 'de agente1' });
      await w.ws.handlers.logout(undefined);
      await w.ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await w.ws.handlers.syncNow(undefined);
      await expect(w.ws.handlers.getAccount({ accountId: mine.accountId })).rejects.toMatchObject({ code: 'not_found' });
      const page = await w.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 200, contactableOnly: false });
      expect(page.rows.some((x) => x.accountId === mine.accountId)).toBe(false);
    } finally {
      await w.ws.close();
      w.cleanup();
    }
  });

  it('a 401 after the user is disabled keeps the outbox and asks for a login', async () => {
    const w = await openWorkstation(server.url);
    const admin = await login(server, 'admin', 'admin123');
    try {
      await w.ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await w.ws.handlers.syncNow(undefined);
      const row = await firstAccount(w.ws);
      const dis = await call(server, 'POST', `/api/v1/users/${server.seed!.users.agente3}/disable`, { token: admin.token });
      expect(dis.status).toBe(200);
      await w.ws.handlers.setCallback({ accountId: row.accountId, callbackAt: new Date(Date.now() + 3_600_000).toISOString(), note: null });
      await w.ws.handlers.addNote({ accountId: row.accountId, body: `antes de deshabilitar ${randomUUID()}` });
      const state = await w.ws.handlers.syncNow(undefined);
      expect(state).toMatchObject({ authRequired: true, pending: 2 });
      // a login of the disabled user is refused, the outbox stays
      await expect(w.ws.handlers.login({ username: 'agente3', password: 'agente123' })).rejects.toMatchObject({
        code: 'auth.user_disabled',
      });
      expect((await w.ws.handlers.getSyncState(undefined)).pending).toBe(2);
      // enabled again: the same store picks up and sends the outbox
      await call(server, 'POST', `/api/v1/users/${server.seed!.users.agente3}/enable`, { token: admin.token });
      await w.ws.handlers.login({ username: 'agente3', password: 'agente123' });
      const after = await w.ws.handlers.syncNow(undefined);
      expect(after).toMatchObject({ authRequired: false, pending: 0, online: true });
    } finally {
      await call(server, 'POST', `/api/v1/users/${server.seed!.users.agente3}/enable`, { token: admin.token });
      await w.ws.close();
      w.cleanup();
    }
  });

  it('a mutation the server refuses is shown as rejected and does not block the ones after it', async () => {
    const w = await openWorkstation(server.url);
    try {
      await w.ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await w.ws.handlers.syncNow(undefined);
      const [taken, row] = (
        await w.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 2, status: 'active', contactableOnly: false })
      ).rows;
      // the team lead hands an account to someone else; this store has not pulled since, and the
      // agent sets a callback on it: a mutable field needs the account in the agent's view now
      const lead = await login(server, 'lider', 'lider123');
      const moved = await call(server, 'POST', `/api/v1/accounts/${taken!.accountId}/assign`, {
        token: lead.token,
        body: { agentId: server.seed!.users.agente2 },
      });
      expect(moved.status).toBe(200);
      await w.ws.handlers.setCallback({
        accountId: taken!.accountId,
        callbackAt: new Date(Date.now() + 86_400_000).toISOString(),
        note: null,
      });
      const { noteId } = await w.ws.handlers.addNote({ accountId: row!.accountId, body: 'después del rechazo' });
      const state = await w.ws.handlers.syncNow(undefined);
      expect(state.pending).toBe(0);
      expect(state.rejected).toHaveLength(1);
      expect(state.rejected[0]).toMatchObject({ name: 'account.setCallback' });
      const { token } = await login(server, 'agente1', 'agente123');
      const bundle = await call(server, 'GET', `/api/v1/accounts/${row!.accountId}`, { token });
      expect(bundle.body.notes.some((n: { id: string }) => n.id === noteId)).toBe(true);
      // the next sync does not send it again and still shows it
      expect((await w.ws.handlers.syncNow(undefined)).rejected).toHaveLength(1);
    } finally {
      await w.ws.close();
      w.cleanup();
    }
  });
});
