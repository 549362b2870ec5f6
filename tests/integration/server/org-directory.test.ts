import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { placedUrlsFromEnv } from '../../../src/server/db/directory';
import { seedDemo, type SeedResult } from '../../../src/server/demo/seed';
import { startServer, type RunningServer } from '../../../src/server/cli/serve';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { call, login } from '../../helpers/server';
import { accountsOf } from './fixtures';

/**
 * Big customers in their own database (db/directory.ts, docs/scaling.md): "Banco Grande" is placed
 * in a PostgreSQL database of its own; "Cobranzas Norte" stays in the installation's. Both have a
 * user `agente1` with the same password; each login lands in its organisation's database.
 */
describe('organisations placed in their own database (PostgreSQL)', () => {
  let primaryDb: TestDatabase;
  let placedDb: TestDatabase;
  let primary: Db;
  let placed: Db;
  let server: RunningServer;
  let norte: SeedResult;
  let grande: SeedResult;

  beforeAll(async () => {
    [primaryDb, placedDb] = await Promise.all([createTestDatabase('dir_a'), createTestDatabase('dir_b')]);
    // the placed database is left empty: the server migrates every database of the directory at start
    placed = await openDb({ url: placedDb.url });
    primary = await openDb({ url: primaryDb.url });
    await migrate(primary);
    norte = await seedDemo(primary, { accounts: 10, seed: 1 });
    await primary.query(`UPDATE organizations SET name = 'Cobranzas Norte', code = 'cobranzas-norte' WHERE id = $1`, [norte.orgId]);
    server = await startServer({
      db: primary,
      port: 0,
      promiseBatchMinutes: 0,
      strategies: false,
      placedDatabaseUrls: placedUrlsFromEnv(JSON.stringify({ 'banco-grande': placedDb.url })),
    });
    grande = await seedDemo(placed, { accounts: 7, seed: 2 });
    await placed.query(`UPDATE organizations SET name = 'Banco Grande', code = 'banco-grande' WHERE id = $1`, [grande.orgId]);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await primary?.close();
    await placed?.close();
    await primaryDb?.drop();
    await placedDb?.drop();
  });

  it('the placed database was migrated at start, to the same version as the primary', async () => {
    const version = (d: Db) => d.query<{ v: string }>('SELECT max(version)::text AS v FROM schema_migrations').then((r) => r[0]!.v);
    expect(await version(placed)).toBe(await version(primary));
  });

  it("a login with the placed organisation's code lands in its database; its token names it", async () => {
    const s = await login(server, 'agente1', 'agente123', 'banco-grande');
    expect(s.token.startsWith('banco-grande~')).toBe(true);
    expect(s.user.orgId).toBe(grande.orgId);
    const me = await call(server, 'GET', '/api/v1/me', { token: s.token });
    expect(me.body).toMatchObject({ id: grande.users.agente1, orgId: grande.orgId });
    // the session row lives in the placed database only
    const rows = async (d: Db) =>
      (await d.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [grande.users.agente1]))[0]!.n;
    expect(await rows(placed)).toBe(1);
    expect(await rows(primary)).toBe(0);

    const other = await login(server, 'agente1', 'agente123', 'cobranzas-norte');
    expect(other.token).not.toContain('~');
    expect(other.user.orgId).toBe(norte.orgId);
  });

  it("each organisation syncs and writes its own database's accounts", async () => {
    const token = (await login(server, 'agente1', 'agente123', 'banco-grande')).token;
    const pull = await call(server, 'POST', '/api/v1/sync/pull', {
      token,
      body: { protocolVersion: 1, clientId: randomUUID(), cursor: null },
    });
    expect(pull.status, JSON.stringify(pull.body).slice(0, 300)).toBe(200);
    const pulledIds = JSON.stringify(pull.body);
    const mine = await accountsOf(placed, grande.users.agente1);
    const theirs = await accountsOf(primary, norte.users.agente1);
    expect(mine.length).toBeGreaterThan(0);
    for (const a of mine) expect(pulledIds).toContain(a.id);
    for (const a of theirs) expect(pulledIds).not.toContain(a.id);

    const lead = (await login(server, 'lider', 'lider123', 'banco-grande')).token;
    const [account] = await placed.query<{ id: string; currency: string }>('SELECT id, currency FROM accounts WHERE id = $1', [
      mine[0]!.id,
    ]);
    const pay = await call(server, 'POST', '/api/v1/payments', {
      token: lead,
      body: {
        accountId: account!.id,
        reference: `R-${randomUUID()}`,
        amountMinor: 1_000,
        currency: account!.currency,
        paidAt: new Date().toISOString(),
      },
    });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    expect((await placed.query('SELECT 1 FROM payments WHERE account_id = $1', [account!.id])).length).toBe(1);
    expect((await primary.query<{ n: number }>('SELECT count(*)::int AS n FROM payments'))[0]!.n).toBe(0);
  });

  it('a token cannot be moved to another database, and a wrong code is the same 401 as a wrong password', async () => {
    const norteToken = (await login(server, 'agente1', 'agente123', 'cobranzas-norte')).token;
    expect((await call(server, 'GET', '/api/v1/me', { token: `banco-grande~${norteToken}` })).status).toBe(401);
    expect((await call(server, 'GET', '/api/v1/me', { token: `otra~${norteToken}` })).status).toBe(401);
    const wrong = await call(server, 'POST', '/api/v1/auth/login', {
      body: { username: 'agente1', password: 'agente123', organization: 'banco-chico' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_credentials');
  });

  it('ORG_DATABASES is checked: bad JSON, a bad code or a URL that is not postgres:// name the problem', () => {
    expect(() => placedUrlsFromEnv('{')).toThrow(/JSON object/);
    expect(() => placedUrlsFromEnv(JSON.stringify({ 'Banco Grande': 'postgres://x/y' }))).toThrow(/Banco Grande/);
    expect(() => placedUrlsFromEnv(JSON.stringify({ 'banco-grande': 'mysql://x/y' }))).toThrow(/banco-grande.*postgres/);
    expect(placedUrlsFromEnv(undefined)).toEqual({});
  });
});
