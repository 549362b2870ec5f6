import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/sync/protocol';
import { BACKENDS, call, startTestServer, type TestServer } from '../../helpers/server';

describe.each(BACKENDS)('login throttle on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 6 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('after 10 failed logins for a user from one address, refuses even the right password for a while (429, Retry-After)', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente3', password: `adivina${i}` } });
      expect(r.status).toBe(401);
    }
    const res = await fetch(`${s.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'AGENTE3', password: 'agente123' }),
    });
    expect(res.status).toBe(429);
    const body = ApiError.parse(await res.json());
    expect(body.error).toMatchObject({ code: 'too_many_attempts', field: 'password' });
    const retry = Number(res.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
    // another user at the same desk is not affected, and a success clears that user's count
    for (let i = 0; i < 9; i++) await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente2', password: 'mala' } });
    expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente2', password: 'agente123' } })).status).toBe(200);
    expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente2', password: 'mala' } })).status).toBe(401);
    expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente2', password: 'agente123' } })).status).toBe(200);
  });
});
