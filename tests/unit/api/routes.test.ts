import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES as SHARED, routeUrl, type RouteSpec } from '../../../src/shared/api/routes';
import { createServer, openApiRoute, ROUTES as DECLARED } from '../../../src/server/app';
import { openDb, type Db } from '../../../src/server/db';
import { PASS_THROUGH } from '../../../src/main/services/pass-through';
import { API_METHODS } from '../../../src/shared/api/contract';

const SERVED = [...DECLARED, openApiRoute];
const TABLE = (Object.values(SHARED) as RouteSpec[]).map((s) => `${s.method} ${s.path}`);

/**
 * Every route Fastify serves, read from its route tree (printRoutes): each line is a segment of
 * the path of the line it hangs from, with the methods registered there. HEAD is Fastify's own
 * answer to every GET, so it is left out.
 */
function servedByFastify(tree: string): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = path;
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out;
}

describe('the shared route table', () => {
  let db: Db;
  let app: ReturnType<typeof createServer>;
  beforeAll(async () => {
    // registering routes reads nothing: an empty in-memory database is enough
    db = await openDb({ dataDir: 'memory://' });
    app = createServer({ db });
    await app.ready();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('is what the server serves: each route once, with the very schemas the workstation checks answers with', () => {
    for (const [name, spec] of Object.entries(SHARED) as [string, RouteSpec][]) {
      const served = SERVED.filter((r) => r.method === spec.method && r.path === spec.path);
      expect(served, name).toHaveLength(1);
      expect(served[0]!.response, name).toBe(spec.response);
      for (const part of ['params', 'query', 'body'] as const) {
        // a streamed upload's handler gets the request stream, not the CSV text the table describes
        if (part === 'body' && served[0]!.bodyStream) continue;
        expect(served[0]![part], `${name}.${part}`).toBe(spec[part]);
      }
    }
  });

  it('holds every route Fastify serves, and nothing it does not serve', () => {
    const served = servedByFastify(app.printRoutes({ commonPrefix: false }));
    expect(served.length).toBeGreaterThan(30);
    expect(new Set(served).size).toBe(served.length);
    expect([...served].sort()).toEqual([...TABLE].sort());
  });

  it('is what the OpenAPI document lists', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ paths: Record<string, Record<string, unknown>> }>();
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`),
    );
    expect(listed.sort()).toEqual([...TABLE].sort());
  });

  it('fills path parameters (encoded) and leaves out absent query values', () => {
    expect(routeUrl(SHARED.updateUser, { id: 'a/b' })).toBe('/api/v1/users/a%2Fb');
    expect(routeUrl(SHARED.approvals, undefined, { status: undefined })).toBe('/api/v1/approvals');
    expect(routeUrl(SHARED.activityReport, undefined, { from: '2026-01-01', to: '2026-01-31' })).toBe(
      '/api/v1/reports/activity?from=2026-01-01&to=2026-01-31',
    );
    expect(() => routeUrl(SHARED.updateUser, {})).toThrow(/missing parameter id/);
  });

  it('pass-throughs name real API methods, once each', () => {
    const names = PASS_THROUGH.map((p) => p.method);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(API_METHODS).toContain(n);
  });
});
