import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/shared/sync/protocol';
import { LoginResponse } from '../../../src/shared/api/rest';
import { SipCredentials } from '../../../src/shared/api/contract';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

describe.each(BACKENDS)('auth on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 12 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('logs in with the right password and answers /me with the same user', async () => {
    const r = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'agente123' } });
    expect(r.status).toBe(200);
    const body = LoginResponse.parse(r.body);
    expect(body.user).toMatchObject({ username: 'agente1', role: 'agent', disabled: false, id: s.seed!.users.agente1 });
    const me = await call(s, 'GET', '/api/v1/me', { token: body.token });
    expect(me).toEqual({ status: 200, body: body.user });
    const stored = await s.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(stored.map((x) => x.token_hash)).not.toContain(body.token);
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const wrong = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente1', password: 'nope' } });
    const unknown = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'nadie', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(ApiError.parse(wrong.body).error.code).toBe('invalid_credentials');
    expect(unknown.body).toEqual(wrong.body);
  });

  it('names the field of a malformed login', async () => {
    const r = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente1' } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_request', field: 'password' });
    const bad = await call(s, 'POST', '/api/v1/auth/login', { body: '{"username": ', contentType: 'application/json' });
    expect(bad.status).toBe(400);
    expect(ApiError.safeParse(bad.body).success).toBe(true);
  });

  it('answers 401 without a token, with a made-up token, and after logout', async () => {
    expect((await call(s, 'GET', '/api/v1/me')).status).toBe(401);
    expect((await call(s, 'GET', '/api/v1/me', { token: 'made-up' })).status).toBe(401);
    const { token } = await login(s, 'agente2', 'agente123');
    expect((await call(s, 'POST', '/api/v1/auth/logout', { token })).status).toBe(200);
    const after = await call(s, 'GET', '/api/v1/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthorized');
  });

  it('answers 401 for an expired session', async () => {
    const { token } = await login(s, 'agente2', 'agente123');
    await s.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [s.seed!.users.agente2]);
    expect((await call(s, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('disabling a user ends their open sessions at once and refuses their login; enabled again, they log in anew', async () => {
    const agent = await login(s, 'agente3', 'agente123');
    const admin = await login(s, 'admin', 'admin123');
    expect((await call(s, 'GET', '/api/v1/accounts', { token: agent.token })).status).toBe(200);
    const d = await call(s, 'POST', `/api/v1/users/${agent.user.id}/disable`, { token: admin.token });
    expect(d.status).toBe(200);
    expect(d.body.disabled).toBe(true);
    const refused = await call(s, 'GET', '/api/v1/accounts', { token: agent.token });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('user_disabled');
    const relogin = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'agente3', password: 'agente123' } });
    expect(relogin.status).toBe(401);
    expect(relogin.body.error.code).toBe('user_disabled');
    expect((await call(s, 'POST', `/api/v1/users/${agent.user.id}/enable`, { token: admin.token })).status).toBe(200);
    // enabled again, they log in anew: a token from before the disable never comes back
    expect((await call(s, 'GET', '/api/v1/accounts', { token: agent.token })).status).toBe(401);
    const again = await login(s, 'agente3', 'agente123');
    expect((await call(s, 'GET', '/api/v1/accounts', { token: again.token })).status).toBe(200);
  });

  it('only an admin may disable users (403 for a team lead or agent), and not themselves', async () => {
    const lead = await login(s, 'lider', 'lider123');
    const agent = await login(s, 'agente1', 'agente123');
    const admin = await login(s, 'admin', 'admin123');
    const target = s.seed!.users.agente2;
    for (const token of [lead.token, agent.token]) {
      const r = await call(s, 'POST', `/api/v1/users/${target}/disable`, { token });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    expect((await call(s, 'POST', `/api/v1/users/${admin.user.id}/disable`, { token: admin.token })).status).toBe(409);
    const [row] = await s.db.query<{ disabled: boolean }>('SELECT disabled FROM users WHERE id = $1', [target]);
    expect(row!.disabled).toBe(false);
  });

  it('gives an agent their SIP credentials and 404 to a user without an extension', async () => {
    const agent = await login(s, 'agente2', 'agente123');
    const r = await call(s, 'GET', '/api/v1/me/sip', { token: agent.token });
    expect(r.status).toBe(200);
    expect(SipCredentials.parse(r.body)).toMatchObject({
      wsUrl: 'ws://127.0.0.1:8088',
      domain: '127.0.0.1',
      extension: '1002',
      password: 'sip-agente2',
    });
    const lead = await login(s, 'lider', 'lider123');
    const none = await call(s, 'GET', '/api/v1/me/sip', { token: lead.token });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
  });

  it('lists users: the own team for a team lead, everyone for an admin, 403 for an agent', async () => {
    const lead = await login(s, 'lider', 'lider123');
    const admin = await login(s, 'admin', 'admin123');
    const agent = await login(s, 'agente1', 'agente123');
    const names = async (token: string) =>
      (await call(s, 'GET', '/api/v1/users', { token })).body.users.map((u: { username: string }) => u.username);
    expect(await names(lead.token)).toEqual(['agente1', 'agente2', 'agente3', 'lider']);
    expect(await names(admin.token)).toEqual(['admin', 'agente1', 'agente2', 'agente3', 'lider']);
    expect((await call(s, 'GET', '/api/v1/users', { token: agent.token })).status).toBe(403);
  });
});
