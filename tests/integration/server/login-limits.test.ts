import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/server/app';
import { DEFAULT_AUTH_CONFIG, type AuthConfig } from '../../../src/server/auth/config';
import { openDb } from '../../../src/server/db';
import { BACKENDS, call, startTestServer, type TestServer } from '../../helpers/server';

const limits = (over: Partial<AuthConfig['limits']>): AuthConfig => ({
  ...DEFAULT_AUTH_CONFIG,
  limits: { ...DEFAULT_AUTH_CONFIG.limits, ...over },
});

async function loginFrom(s: { url: string }, address: string, body: Record<string, string>) {
  const r = await fetch(`${s.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as { error?: { code: string; scope?: string }; token?: string };
  return { status: r.status, body: json };
}

/**
 * Login limits per address and for the whole installation, counted before the password check
 * and kept in the database; login scoped to an organisation; idle and absolute session ends.
 */
describe.each(BACKENDS)('%s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({
      backend,
      seed: { accounts: 6 },
      server: { trustProxy: true, auth: limits({ addressMaxFailures: 20, globalMaxFailuresPerMinute: 60 }) },
    });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('a flood of made-up usernames from one address is refused before scrypt; another address logs in', async () => {
    const answers = [];
    for (let i = 0; i < 40; i++) answers.push((await loginFrom(s, '203.0.113.7', { username: `nadie${i}`, password: 'x' })).status);
    expect(answers.filter((c) => c === 401)).toHaveLength(20);
    expect(answers.slice(20).every((c) => c === 429)).toBe(true);
    const real = await loginFrom(s, '198.51.100.1', { username: 'agente1', password: 'agente123' });
    expect(real.status).toBe(200);
    // the flooded address is refused even with the right password, with the reason
    const blocked = await loginFrom(s, '203.0.113.7', { username: 'agente2', password: 'agente123' });
    expect(blocked).toMatchObject({ status: 429, body: { error: { code: 'too_many_attempts', scope: 'address' } } });
  });

  it('a flood spread over many addresses meets the global limit', async () => {
    const answers = [];
    for (let i = 0; i < 50; i++)
      answers.push((await loginFrom(s, `192.0.2.${i + 1}`, { username: `x${i}`, password: 'x' })).body.error?.scope ?? 'none');
    expect(answers).toContain('global');
  });

  it('login is scoped to the organisation: a wrong code is refused like a wrong password', async () => {
    await s.db.query(`DELETE FROM login_throttle`);
    const [org] = await s.db.query<{ code: string }>('SELECT code FROM organizations');
    expect(org!.code).toMatch(/^[a-z0-9-]+$/);
    expect((await loginFrom(s, '198.51.100.2', { username: 'agente1', password: 'agente123', organization: org!.code })).status).toBe(200);
    expect(
      (await loginFrom(s, '198.51.100.2', { username: 'agente1', password: 'agente123', organization: 'otra' })).body.error?.code,
    ).toBe('invalid_credentials');
    // with a second organisation, a login without a code finds nobody
    await s.db.query(`INSERT INTO organizations (name, country, time_zone) VALUES ('Otra Cartera', 'MX', 'America/Mexico_City')`);
    expect((await loginFrom(s, '198.51.100.2', { username: 'agente1', password: 'agente123' })).status).toBe(401);
    expect((await loginFrom(s, '198.51.100.2', { username: 'agente1', password: 'agente123', organization: org!.code })).status).toBe(200);
    await s.db.query(`DELETE FROM organizations WHERE code = 'otra-cartera'`);
  });

  it('a session ends when idle and at its absolute expiry; ended sessions are purged', async () => {
    const ok = await loginFrom(s, '198.51.100.3', { username: 'agente3', password: 'agente123' });
    const token = ok.body.token!;
    expect((await call(s, 'GET', '/api/v1/me', { token })).status).toBe(200);
    await s.db.query(`UPDATE sessions SET last_seen_at = now() - interval '13 hours'`);
    expect((await call(s, 'GET', '/api/v1/me', { token })).status).toBe(401);
    const again = (await loginFrom(s, '198.51.100.3', { username: 'agente3', password: 'agente123' })).body.token!;
    const [row] = await s.db.query<{ days: number }>(
      `SELECT extract(epoch FROM expires_at - created_at) / 86400 AS days FROM sessions ORDER BY created_at DESC LIMIT 1`,
    );
    expect(Number(row!.days)).toBeCloseTo(7, 1);
    await s.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
    expect((await call(s, 'GET', '/api/v1/me', { token: again })).status).toBe(401);
    const { purgeExpired } = await import('../../../src/server/auth/sessions');
    expect(await purgeExpired(s.db)).toBeGreaterThanOrEqual(2);
    expect(await s.db.query('SELECT 1 FROM sessions')).toHaveLength(0);
  });
});

describe('two server instances on one PostgreSQL', () => {
  it('share the login limit', async () => {
    const s = await startTestServer({ backend: 'pg', seed: { accounts: 4 } });
    const db2 = await openDb({ url: s.databaseUrl! });
    const app2 = createServer({ db: db2 });
    await app2.listen({ port: 0, host: '127.0.0.1' });
    const second = { url: `http://127.0.0.1:${(app2.server.address() as { port: number }).port}` };
    try {
      for (let i = 0; i < 5; i++) {
        expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'mala' } })).status).toBe(401);
        expect((await call(second, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'mala' } })).status).toBe(401);
      }
      expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'agente123' } })).status).toBe(429);
      expect((await call(second, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'agente123' } })).status).toBe(429);
    } finally {
      await app2.close();
      await db2.close();
      await s.close();
    }
  }, 120_000);
});
