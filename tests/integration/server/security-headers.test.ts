import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, login, startTestServer, type TestServer } from '../../helpers/server';

const API_CSP = "default-src 'none'; frame-ancestors 'none'";

function expectCommonHeaders(h: Headers): void {
  expect(h.get('x-content-type-options')).toBe('nosniff');
  expect(h.get('x-frame-options')).toBe('DENY');
  expect(h.get('referrer-policy')).toBe('no-referrer');
}

describe.each(BACKENDS)('security headers on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 6 } });
    admin = (await login(s, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await s.close();
  });

  it('/healthz, an API route, an error and the OpenAPI document carry them, without HSTS on plain HTTP', async () => {
    for (const [path, status] of [
      ['/healthz', 200],
      ['/api/v1/me', 200],
      ['/api/v1/no-such-route', 404],
      ['/api/v1/openapi.json', 200],
    ] as const) {
      const r = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(r.status, path).toBe(status);
      expectCommonHeaders(r.headers);
      expect(r.headers.get('content-security-policy'), path).toContain(API_CSP);
      expect(r.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('the HTML debtor export gets a CSP that allows its inline styles and nothing else', async () => {
    const [row] = await s.db.query<{ id: string }>('SELECT id FROM debtors ORDER BY id LIMIT 1');
    const r = await fetch(`${s.url}/api/v1/privacy/debtors/${row!.id}/export.html`, { headers: { authorization: `Bearer ${admin}` } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<style');
    expectCommonHeaders(r.headers);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
  });
});

describe('HSTS behind TLS', () => {
  it('is sent only when the server is told it sits behind TLS', async () => {
    const s = await startTestServer({ backend: 'pglite', server: { hsts: true } });
    try {
      const r = await fetch(`${s.url}/healthz`);
      expect(r.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await s.close();
    }
  });
});
