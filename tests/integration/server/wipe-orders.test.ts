import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/**
 * The administrators' list of wipe orders (the "Borrado de equipos" screen): admins only, their
 * own organisation's orders, newest first, with whose they are, who gave them, and when each was
 * carried out (pending until the user's session makes contact).
 */
describe.each(BACKENDS)('GET /api/v1/wipe-orders (%s)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ backend, seed: { accounts: 10 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('admins see each order pending, then done once the session received it; nobody else lists them', async () => {
    const admin = await login(server, 'admin', 'admin123');
    const lead = await login(server, 'lider', 'lider123');
    const agent = await login(server, 'agente2', 'agente123');
    expect((await call(server, 'GET', '/api/v1/wipe-orders', { token: lead.token })).status).toBe(403);
    expect((await call(server, 'GET', '/api/v1/wipe-orders', { token: agent.token })).status).toBe(403);
    expect(await call(server, 'GET', '/api/v1/wipe-orders', { token: admin.token })).toMatchObject({ status: 200, body: { orders: [] } });

    const ordered = await call(server, 'POST', `/api/v1/users/${agent.user.id}/wipe`, { token: admin.token, body: { mode: 'immediate' } });
    expect(ordered.status).toBe(200);
    const pending = await call(server, 'GET', '/api/v1/wipe-orders', { token: admin.token });
    expect(pending.body).toMatchObject({
      orders: [
        {
          userId: agent.user.id,
          username: 'agente2',
          displayName: agent.user.displayName,
          mode: 'immediate',
          orderedBy: admin.user.displayName,
          doneAt: null,
        },
      ],
    });

    // the agent's next request carries the order out
    expect(await call(server, 'GET', '/api/v1/me', { token: agent.token })).toMatchObject({
      status: 401,
      body: { error: { code: 'device_wipe' } },
    });
    const done = (await call(server, 'GET', '/api/v1/wipe-orders', { token: admin.token })).body as {
      orders: Array<{ doneAt: string | null; orderedAt: string }>;
    };
    expect(done.orders).toHaveLength(1);
    expect(done.orders[0]!.doneAt).not.toBeNull();
    expect(Date.parse(done.orders[0]!.doneAt!)).toBeGreaterThanOrEqual(Date.parse(done.orders[0]!.orderedAt));

    // a second order is listed first
    const lead2 = await call(server, 'POST', `/api/v1/users/${lead.user.id}/wipe`, { token: admin.token, body: {} });
    expect(lead2.status).toBe(200);
    const both = (await call(server, 'GET', '/api/v1/wipe-orders', { token: admin.token })).body as {
      orders: Array<{ username: string; mode: string }>;
    };
    expect(both.orders.map((o) => o.username)).toEqual(['lider', 'agente2']);
    expect(both.orders[0]!.mode).toBe('after_sync');
  });

  it("another organisation's orders are not listed", async () => {
    const [org] = await server.db!.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Otra Lista', 'PE', 'America/Lima') RETURNING id`,
    );
    const [other] = await server.db!.query<{ id: string }>(
      `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'admin-otra', 'Admin Otra', 'admin', 'x') RETURNING id`,
      [org!.id],
    );
    await server.db!.query(`INSERT INTO wipe_orders (user_id, ordered_by, mode) VALUES ($1, $1, 'immediate')`, [other!.id]);
    const admin = await login(server, 'admin', 'admin123');
    const mine = (await call(server, 'GET', '/api/v1/wipe-orders', { token: admin.token })).body as { orders: Array<{ userId: string }> };
    expect(mine.orders.length).toBeGreaterThan(0);
    expect(mine.orders.some((o) => o.userId === other!.id)).toBe(false);
    await server.db!.query('DELETE FROM wipe_orders WHERE user_id = $1', [other!.id]);
    await server.db!.query('DELETE FROM users WHERE id = $1', [other!.id]);
    await server.db!.query('DELETE FROM organizations WHERE id = $1', [org!.id]);
  });
});
