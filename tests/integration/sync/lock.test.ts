import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { firstAccount, openWorkstation } from './helpers';

/**
 * Trust: a user disabled on the server (or whose session ended) no longer reads the portfolio on
 * the workstation; the unsent work stays and is sent after the same user signs in again; logout
 * takes the SIP password with it.
 */
describe.each(BACKENDS)('locking the portfolio on 401 (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, seed: { accounts: 30 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('disabled user → next sync locks every read; the unsent note survives and syncs after the re-login', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const { ws, dataDir, cleanup } = await openWorkstation(server.url);
    let open = true;
    try {
      const session = await ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      await ws.handlers.saveSettings({ sipPassword: 'secreto-sip' });
      const row = await firstAccount(ws);
      // disabled while the agent works: the note is written locally before the next sync
      expect(
        (await call(server, 'PATCH', `/api/v1/users/${session.user.id}`, { token: admin.token, body: { disabled: true } })).status,
      ).toBe(200);
      await ws.handlers.addNote({ accountId: row.accountId, body: 'nota sin enviar' });
      const state = await ws.handlers.syncNow(undefined);
      expect(state).toMatchObject({ authRequired: true, pending: 1 });

      await expect(ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 10 })).rejects.toMatchObject({
        code: 'auth.locked',
        field: 'user_disabled',
      });
      await expect(ws.handlers.getAccount({ accountId: row.accountId })).rejects.toMatchObject({ code: 'auth.locked' });
      await expect(ws.handlers.addNote({ accountId: row.accountId, body: 'otra' })).rejects.toMatchObject({ code: 'auth.locked' });
      await expect(ws.handlers.getSipCredentials(undefined)).rejects.toMatchObject({ code: 'auth.locked' });
      expect(await ws.handlers.getSession(undefined)).toMatchObject({ locked: 'user_disabled' });

      // a restart of the workstation stays locked
      await ws.close();
      open = false;
      const again = await openWorkstation(server.url, dataDir);
      try {
        await expect(again.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 10 })).rejects.toMatchObject({
          code: 'auth.locked',
        });
        expect(
          (await call(server, 'PATCH', `/api/v1/users/${session.user.id}`, { token: admin.token, body: { disabled: false } })).status,
        ).toBe(200);
        expect(await again.ws.handlers.login({ username: 'agente1', password: 'agente123' })).toMatchObject({ locked: null });
        const after = await again.ws.handlers.syncNow(undefined);
        expect(after).toMatchObject({ pending: 0, authRequired: false });
        const page = await again.ws.handlers.listQueue({ sort: 'priority', dir: 'desc', offset: 0, limit: 10, contactableOnly: false });
        expect(page.total).toBeGreaterThan(0);
        const agent = await login(server, 'agente1', 'agente123');
        const bundle = await call(server, 'GET', `/api/v1/accounts/${row.accountId}`, { token: agent.token });
        expect(bundle.body.notes.map((n: { body: string }) => n.body)).toContain('nota sin enviar');
      } finally {
        await again.ws.close();
      }
    } finally {
      if (open) await ws.close();
      cleanup();
    }
  });

  it('maxOfflineDays: no sync for longer locks the portfolio (injected clock); a login opens it again', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const agent = await login(server, 'agente1', 'agente123');
    expect((await call(server, 'PUT', '/api/v1/org/security', { token: agent.token, body: { maxOfflineDays: 3 } })).status).toBe(403);
    expect((await call(server, 'PUT', '/api/v1/org/security', { token: admin.token, body: { maxOfflineDays: 0 } })).status).toBe(400);
    expect((await call(server, 'PUT', '/api/v1/org/security', { token: admin.token, body: { maxOfflineDays: 3 } })).body).toMatchObject({
      maxOfflineDays: 3,
      eraseOnLogout: false,
      wipeMode: 'after_sync',
    });
    let now = Date.now();
    const { ws, cleanup } = await openWorkstation(server.url, undefined, { now: () => new Date(now) });
    try {
      await ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const q = { sort: 'priority', dir: 'desc', offset: 0, limit: 10, contactableOnly: false } as const;
      now += 2.9 * 86_400_000;
      expect((await ws.handlers.listQueue(q)).total).toBeGreaterThan(0);
      now += 0.2 * 86_400_000;
      await expect(ws.handlers.listQueue(q)).rejects.toMatchObject({ code: 'auth.locked', field: 'offline_too_long' });
      expect(await ws.handlers.getSession(undefined)).toMatchObject({ locked: 'offline_too_long' });
      await ws.handlers.login({ username: 'agente3', password: 'agente123' });
      expect((await ws.handlers.listQueue(q)).total).toBeGreaterThan(0);
    } finally {
      await ws.close();
      cleanup();
      await call(server, 'PUT', '/api/v1/org/security', { token: admin.token, body: { maxOfflineDays: null } });
    }
  });

  it('logout removes the SIP password', async () => {
    const { ws, cleanup } = await openWorkstation(server.url);
    try {
      await ws.handlers.login({ username: 'agente2', password: 'agente123' });
      await ws.handlers.saveSettings({ sipPassword: 'secreto-sip' });
      expect((await ws.handlers.getSettings(undefined)).hasSipPassword).toBe(true);
      await ws.handlers.logout(undefined);
      await ws.handlers.login({ username: 'agente2', password: 'agente123' });
      expect((await ws.handlers.getSettings(undefined)).hasSipPassword).toBe(false);
    } finally {
      await ws.close();
      cleanup();
    }
  });
});
