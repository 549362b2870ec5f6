import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf } from './fixtures';

/** After a reassignment the former agent reads nothing of the account: not it, not its activities, not its messages. */
describe.each(BACKENDS)('%s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 10 } });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('every read of an account follows "assigned now"', async () => {
    const a1 = await login(s, 'agente1', 'agente123');
    const a2 = await login(s, 'agente2', 'agente123');
    const lead = await login(s, 'lider', 'lider123');
    const [account] = await accountsOf(s.db, a1.user.id);
    const reads = ['', '/activities', '/messages'].map((suffix) => `/api/v1/accounts/${account!.id}${suffix}`);
    for (const path of reads) expect((await call(s, 'GET', path, { token: a1.token })).status, path).toBe(200);

    const moved = await call(s, 'POST', `/api/v1/accounts/${account!.id}/assign`, { token: lead.token, body: { agentId: a2.user.id } });
    expect(moved.status).toBe(200);
    for (const path of reads) {
      expect((await call(s, 'GET', path, { token: a1.token })).status, path).toBe(404);
      expect((await call(s, 'GET', path, { token: a2.token })).status, path).toBe(200);
    }
  });
});
