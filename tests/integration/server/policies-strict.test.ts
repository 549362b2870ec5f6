import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_POLICIES } from '../../../src/server/collections/policies';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/**
 * PUT /api/v1/collections/policies replaces the policies only with a complete, strict body:
 * `{}`, unknown keys, a key mangled by bad UTF-8, a missing field or an empty replacement are 400
 * and nothing changes. A real replacement is audited with before and after, readable by admins.
 */
describe.each(BACKENDS)('%s', (backend) => {
  let s: TestServer;
  let admin: string;
  let agent: string;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 10 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    agent = (await login(s, 'agente1', 'agente123')).token;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const policiesNow = async () => (await call(s, 'GET', '/api/v1/collections/policies', { token: admin })).body;

  it('refuses {} , unknown keys, a missing field and an empty replacement, and keeps the policies', async () => {
    const before = await policiesNow();
    expect(before.promisePolicies.length).toBeGreaterThan(0);
    const { minAmountMinor: _dropped, ...withoutMin } = DEMO_POLICIES.promisePolicies[0]!;
    const bodies: Array<[unknown, string]> = [
      [{}, 'promisePolicies'],
      [{ promisePolicy: DEMO_POLICIES.promisePolicies }, ''],
      [{ ...DEMO_POLICIES, extra: 1 }, ''],
      [{ ...DEMO_POLICIES, promisePolicies: [withoutMin] }, 'promisePolicies.0.minAmountMinor'],
      [{ promisePolicies: [], negotiationPolicy: null }, 'promisePolicies'],
      [{ promisePolicies: DEMO_POLICIES.promisePolicies }, 'negotiationPolicy'],
    ];
    for (const [body, field] of bodies) {
      const r = await call(s, 'PUT', '/api/v1/collections/policies', { token: admin, body });
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      if (field) expect(r.body.error.field).toBe(field);
    }
    // a key whose bytes are not UTF-8: JSON.parse turns them into U+FFFD, an unknown key
    const good = JSON.stringify(DEMO_POLICIES);
    const mangled = Buffer.concat([
      Buffer.from(good.slice(0, -1) + ',"negotiationPolic'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('":null}'),
    ]);
    const r = await fetch(`${s.url}/api/v1/collections/policies`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: mangled,
    });
    expect(r.status).toBe(400);
    expect(await policiesNow()).toEqual(before);
    expect((await call(s, 'GET', '/api/v1/collections/policies/audit', { token: admin })).body.entries).toEqual([]);
  });

  it('audits a replacement with before and after; only admins read the audit', async () => {
    const before = await policiesNow();
    const next = structuredClone(DEMO_POLICIES);
    next.promisePolicies[0]!.minAmountMinor = 70_000;
    const put = await call(s, 'PUT', '/api/v1/collections/policies', { token: admin, body: next });
    expect(put.status).toBe(200);
    expect(put.body.promisePolicies[0].minAmountMinor).toBe(70_000);
    const audit = await call(s, 'GET', '/api/v1/collections/policies/audit', { token: admin });
    expect(audit.status).toBe(200);
    expect(audit.body.entries).toHaveLength(1);
    const [e] = audit.body.entries;
    expect(e.actorUsername).toBe('admin');
    expect(e.before.promisePolicies[0].minAmountMinor).toBe(before.promisePolicies[0].minAmountMinor);
    expect(e.after.promisePolicies[0].minAmountMinor).toBe(70_000);
    expect((await call(s, 'GET', '/api/v1/collections/policies/audit', { token: agent })).status).toBe(403);
    expect((await call(s, 'PUT', '/api/v1/collections/policies', { token: agent, body: next })).status).toBe(403);
  });
});
