import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../src/server/app';
import { call, startTestServer, type TestServer } from '../../helpers/server';

/** Every route the brief asks for; a route missing from the server or the document fails here. */
const EXPECTED = [
  'GET /healthz',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/me',
  'GET /api/v1/me/sip',
  'GET /api/v1/accounts',
  'GET /api/v1/accounts/{id}',
  'GET /api/v1/accounts/{id}/activities',
  'POST /api/v1/accounts/{id}/assign',
  'GET /api/v1/users',
  'POST /api/v1/users/{id}/disable',
  'POST /api/v1/users/{id}/enable',
  'POST /api/v1/payments',
  'POST /api/v1/imports/portfolio',
  'POST /api/v1/sync/push',
  'POST /api/v1/sync/pull',
];

type Op = {
  parameters: { name: string; in: string }[];
  requestBody?: { content: Record<string, unknown> };
  responses: Record<string, unknown>;
  'x-roles': string[];
  security?: unknown;
};

describe('OpenAPI document', () => {
  let s: TestServer;
  let doc: { openapi: string; paths: Record<string, Record<string, Op>> };
  beforeAll(async () => {
    s = await startTestServer({ backend: 'pglite' });
    const r = await call(s, 'GET', '/api/v1/openapi.json');
    expect(r.status).toBe(200);
    doc = r.body;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is OpenAPI 3.1 and lists every registered route, including all the walking-product ones', () => {
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const registered = [...ROUTES.map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`), 'GET /api/v1/openapi.json'];
    expect(listed.sort()).toEqual([...new Set(registered)].sort());
    for (const route of EXPECTED) expect(listed).toContain(route);
  });

  it('every listed route answers on the server (not the 404 of an unknown route)', async () => {
    for (const entry of EXPECTED) {
      const [method, path] = entry.split(' ') as [string, string];
      const url = path.replace('{id}', '00000000-0000-4000-8000-000000000000');
      const r = await call(s, method, url, method === 'POST' ? { body: {} } : {});
      expect(r.body?.error?.message ?? '', entry).not.toMatch(/^no route/);
    }
  });

  it('documents path parameters, request bodies, roles and error answers', () => {
    const detail = doc.paths['/api/v1/accounts/{id}']!.get!;
    expect(detail.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(Object.keys(detail.responses)).toEqual(expect.arrayContaining(['200', '401', '404']));
    const list = doc.paths['/api/v1/accounts']!.get!;
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['status', 'segment', 'search', 'after', 'limit']));
    const push = doc.paths['/api/v1/sync/push']!.post!;
    expect(push.requestBody!.content['application/json']).toBeDefined();
    expect(Object.keys(push.responses)).toEqual(expect.arrayContaining(['200', '409', '426']));
    expect(doc.paths['/api/v1/imports/portfolio']!.post!.requestBody!.content['text/csv']).toBeDefined();
    expect(doc.paths['/api/v1/users/{id}/disable']!.post!['x-roles']).toEqual(['admin']);
    expect(doc.paths['/api/v1/auth/login']!.post!.security).toBeUndefined();
    expect(doc.paths['/api/v1/me']!.get!.security).toEqual([{ bearer: [] }]);
  });
});
