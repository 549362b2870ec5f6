import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryVault, secretKeys, type SecretVault } from '../../../src/main/secrets/vault';
import { currentSessionFile, secretScope, storeFile } from '../../../src/main/services/paths';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { firstAccount, openWorkstation, waitForState } from './helpers';

/** What is left of one user's store on disk: the file, its -wal/-shm and any quarantined copy. */
function storeLeft(dataDir: string, serverUrl: string, userId: string): string[] {
  const file = storeFile(dataDir, serverUrl, userId);
  return existsSync(dirname(file)) ? readdirSync(dirname(file)).filter((f) => f.startsWith(basename(file))) : [];
}
function secretsLeft(vault: SecretVault, serverUrl: string, userId: string): string[] {
  const scope = secretScope(serverUrl, userId);
  return Object.values(secretKeys)
    .map((k) => vault.get(k(scope)))
    .filter((v): v is string => v !== null);
}

/**
 * Trust: an administrator orders a user's workstations wiped; the next contact of each of the
 * user's sessions erases the store (after its outbox reached the server under after_sync), and a
 * logout erases it too where the organisation says so.
 */
describe.each(BACKENDS)('wiping a workstation (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, seed: { accounts: 20 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('only an administrator of the same organisation orders a wipe; audited', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const lead = await login(server, 'lider', 'lider123');
    const agent = await login(server, 'agente3', 'agente123');
    expect((await call(server, 'POST', `/api/v1/users/${agent.user.id}/wipe`, { token: lead.token, body: {} })).status).toBe(403);
    expect((await call(server, 'POST', `/api/v1/users/${agent.user.id}/wipe`, { token: agent.token, body: {} })).status).toBe(403);
    expect(
      (await call(server, 'POST', `/api/v1/users/${agent.user.id}/wipe`, { token: admin.token, body: { mode: 'later' } })).status,
    ).toBe(400);
    const [org] = await server.db!.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Otra Wipe', 'MX', 'America/Mexico_City') RETURNING id`,
    );
    const [stranger] = await server.db!.query<{ id: string }>(
      `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'ajeno', 'Ajeno', 'agent', 'x') RETURNING id`,
      [org!.id],
    );
    expect((await call(server, 'POST', `/api/v1/users/${stranger!.id}/wipe`, { token: admin.token, body: {} })).status).toBe(404);
    const [none] = await server.db!.query('SELECT 1 FROM wipe_orders');
    expect(none).toBeUndefined();
    // nothing was ordered: the agent's session still works
    expect((await call(server, 'GET', '/api/v1/me', { token: agent.token })).status).toBe(200);
    await server.db!.query('DELETE FROM users WHERE id = $1', [stranger!.id]);
    await server.db!.query('DELETE FROM organizations WHERE id = $1', [org!.id]);
  });

  it('after_sync: the unsent note reaches the server exactly once, then the store, session and secrets are gone', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const vault = createMemoryVault();
    const { ws, dataDir, cleanup } = await openWorkstation(server.url, undefined, { vault });
    try {
      const session = await ws.handlers.login({ username: 'agente1', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const row = await firstAccount(ws);
      const ordered = await call(server, 'POST', `/api/v1/users/${session.user.id}/wipe`, { token: admin.token, body: {} });
      expect(ordered).toMatchObject({ status: 200, body: { userId: session.user.id, mode: 'after_sync' } });
      const wiped = waitForState(ws, (s) => s.lastError === 'device_wipe' && !s.authRequired);
      // written after the order: its push is still served, the pull then carries the order
      await ws.handlers.addNote({ accountId: row.accountId, body: 'nota antes del borrado' });
      await ws.handlers.syncNow(undefined).catch(() => null);
      await wiped;
      expect(storeLeft(dataDir, server.url, session.user.id)).toEqual([]);
      expect(existsSync(currentSessionFile(dataDir))).toBe(false);
      expect(secretsLeft(vault, server.url, session.user.id)).toEqual([]);
      expect(await ws.handlers.getSession(undefined)).toBeNull();
      // the note arrived once; the order was delivered and audited; a new login works again
      const agent = await login(server, 'agente1', 'agente123');
      const bundle = await call(server, 'GET', `/api/v1/accounts/${row.accountId}`, { token: agent.token });
      expect(bundle.body.notes.filter((n: { body: string }) => n.body === 'nota antes del borrado')).toHaveLength(1);
      const [order] = await server.db!.query<{ done: boolean }>('SELECT done_at IS NOT NULL AS done FROM wipe_orders WHERE user_id = $1', [
        session.user.id,
      ]);
      expect(order!.done).toBe(true);
      const audit = await call(server, 'GET', `/api/v1/users/audit?userId=${session.user.id}`, { token: admin.token });
      expect(audit.body.entries.map((e: { action: string }) => e.action)).toContain('user.wipe');
    } finally {
      await ws.close();
      cleanup();
    }
  });

  it('immediate: the next contact erases the store without sending the outbox; nothing is readable', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const vault = createMemoryVault();
    const { ws, dataDir, cleanup } = await openWorkstation(server.url, undefined, { vault });
    try {
      const session = await ws.handlers.login({ username: 'agente2', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      const row = await firstAccount(ws);
      expect(storeLeft(dataDir, server.url, session.user.id).length).toBeGreaterThan(0);
      expect(
        (await call(server, 'POST', `/api/v1/users/${session.user.id}/wipe`, { token: admin.token, body: { mode: 'immediate' } })).status,
      ).toBe(200);
      const wiped = waitForState(ws, (s) => s.lastError === 'device_wipe' && !s.authRequired);
      // the write wakes the sync at once: its push is the next contact, refused
      await ws.handlers.addNote({ accountId: row.accountId, body: 'nota inmediata' });
      await ws.handlers.syncNow(undefined).catch(() => null);
      await wiped;
      expect(storeLeft(dataDir, server.url, session.user.id)).toEqual([]);
      expect(secretsLeft(vault, server.url, session.user.id)).toEqual([]);
      await expect(ws.handlers.getAccount({ accountId: row.accountId })).rejects.toBeTruthy();
      const agent = await login(server, 'agente2', 'agente123');
      const bundle = await call(server, 'GET', `/api/v1/accounts/${row.accountId}`, { token: agent.token });
      expect(bundle.body.notes.map((n: { body: string }) => n.body)).not.toContain('nota inmediata');
    } finally {
      await ws.close();
      cleanup();
    }
  });

  it('eraseOnLogout: a logout takes the store too; without it the store stays', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const vault = createMemoryVault();
    const { ws, dataDir, cleanup } = await openWorkstation(server.url, undefined, { vault });
    try {
      let session = await ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      await ws.handlers.logout(undefined);
      expect(storeLeft(dataDir, server.url, session.user.id).length).toBeGreaterThan(0);
      expect((await call(server, 'PUT', '/api/v1/org/security', { token: admin.token, body: { eraseOnLogout: true } })).body).toMatchObject(
        { eraseOnLogout: true },
      );
      session = await ws.handlers.login({ username: 'agente3', password: 'agente123' });
      await ws.handlers.syncNow(undefined);
      await ws.handlers.logout(undefined);
      expect(storeLeft(dataDir, server.url, session.user.id)).toEqual([]);
      expect(secretsLeft(vault, server.url, session.user.id)).toEqual([]);
    } finally {
      await call(server, 'PUT', '/api/v1/org/security', { token: admin.token, body: {} });
      await ws.close();
      cleanup();
    }
  });
});
