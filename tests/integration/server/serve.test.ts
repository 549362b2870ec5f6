import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src/server/cli/serve';
import { openDb } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { seedDemo } from '../../../src/server/demo/seed';
import { createTestDatabase } from '../../helpers/pg';
import { BACKENDS, call, login, startTestServer } from '../../helpers/server';

const counts = async (db: { query: <T>(sql: string) => Promise<T[]> }) =>
  (
    await db.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM organizations) AS orgs, (SELECT count(*)::int FROM users) AS users,
          (SELECT count(*)::int FROM teams) AS teams, (SELECT count(*)::int FROM accounts) AS accounts,
          (SELECT count(*)::int FROM debtors) AS debtors, (SELECT count(*)::int FROM contact_points) AS cps`,
    )
  )[0];

describe('serve CLI (startServer) on PGlite in a data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cobranza-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seeds demo data into an empty database, keeps it across restarts, and does not seed twice', async () => {
    const first = await startServer({ dataDir: dir, port: 0, demo: { accounts: 12 } });
    const { token } = await login(first, 'agente1', 'agente123');
    expect((await call(first, 'GET', '/api/v1/me', { token })).body.username).toBe('agente1');
    expect((await call(first, 'GET', '/healthz')).body).toMatchObject({ ok: true, db: 'up' });
    const before = await counts(first.db);
    expect(before).toMatchObject({ orgs: 1, users: 5, teams: 1, accounts: 12 });
    await first.close();

    const second = await startServer({ dataDir: dir, port: 0, demo: { accounts: 50 } });
    expect(await counts(second.db)).toEqual(before);
    // The session made before the restart still works: it lives in the database.
    expect((await call(second, 'GET', '/api/v1/me', { token })).status).toBe(200);
    await second.close();
  });
});

describe.each(BACKENDS)('demo seed and test server on %s', (backend) => {
  it('seeding twice adds nothing', async () => {
    const pgDb = backend === 'pg' ? await createTestDatabase('seed') : null;
    const db = await openDb(pgDb ? { url: pgDb.url } : { dataDir: 'memory://' });
    try {
      await migrate(db);
      const a = await seedDemo(db, { accounts: 20, seed: 3 });
      const once = await counts(db);
      const b = await seedDemo(db, { accounts: 20, seed: 3 });
      expect(await counts(db)).toEqual(once);
      expect(b.users).toEqual(a.users);
      expect(b.orgId).toBe(a.orgId);
      const [lead] = await db.query<{ lead: string }>('SELECT lead_id AS lead FROM teams WHERE id = $1', [a.teamId]);
      expect(lead!.lead).toBe(a.users.lider);
      const agents = await db.query<{ username: string; ext: string; pw: string }>(
        `SELECT username, sip_extension AS ext, sip_password AS pw FROM users WHERE role = 'agent' ORDER BY username`,
      );
      expect(agents).toEqual([
        { username: 'agente1', ext: '1001', pw: 'sip-agente1' },
        { username: 'agente2', ext: '1002', pw: 'sip-agente2' },
        { username: 'agente3', ext: '1003', pw: 'sip-agente3' },
      ]);
      const [org] = await db.query<{ country: string; tz: string; settings: unknown }>(
        'SELECT country, time_zone AS tz, settings FROM organizations',
      );
      expect(org).toMatchObject({
        country: 'CO',
        tz: 'America/Bogota',
        settings: { sip: { wsUrl: 'ws://127.0.0.1:8088', domain: '127.0.0.1' } },
      });
    } finally {
      await db.close();
      await pgDb?.drop();
    }
  });

  it('stop() takes the server offline and restart() brings it back on the same port with the same data', async () => {
    const s = await startTestServer({ backend, seed: { accounts: 6 } });
    try {
      const { token } = await login(s, 'agente2', 'agente123');
      await s.stop();
      await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
      await s.restart();
      expect((await call(s, 'GET', '/api/v1/me', { token })).body.username).toBe('agente2');
    } finally {
      await s.close();
    }
  });
});
