import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createWorkstation, type Workstation } from '../../../src/main/services';
import { startWebHost, type WebHost } from '../../../src/main/webhost';
import { createHttpApi } from '../../../src/renderer/api/http';
import type { SyncState } from '../../../src/shared/api/contract';
import { startTestServer, type TestServer } from '../../helpers/server';

let server: TestServer;
let ws: Workstation;
let host: WebHost;
let dataDir: string;
let rendererDir: string;

beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 30 } });
  dataDir = mkdtempSync(join(tmpdir(), 'webhost-data-'));
  const root = mkdtempSync(join(tmpdir(), 'webhost-root-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Cobranza</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  ws = await createWorkstation({ dataDir, defaultServerUrl: server.url, syncIntervalMs: 3_600_000 });
  host = await startWebHost({ workstation: ws, rendererDir, host: '127.0.0.1' });
});
afterAll(async () => {
  await host?.close();
  await ws?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(join(rendererDir, '..'), { recursive: true, force: true });
});

/** Raw HTTP so tests control Host and Origin exactly (fetch forbids setting Host). */
function raw(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const apiCall = (method: string, input: unknown, headers: Record<string, string>) =>
  raw(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ input }) });

describe('web host', () => {
  it('prints a URL on 127.0.0.1 that carries the key in the fragment', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/#key=[A-Za-z0-9_-]{20,}$`));
  });

  it('serves the renderer, falls back to index.html for app paths, and refuses traversal', async () => {
    const index = await raw('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Cobranza</title>');
    expect((await raw('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    expect((await raw('/queue/some-view')).body).toContain('<div id="root">');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/..%5csecret.txt']) {
      const r = await raw(p);
      expect(r.body).not.toContain('outside the renderer');
    }
    expect((await raw('/missing.js')).status).toBe(404);
  });

  it('refuses API calls without the key, with a wrong key, and from a foreign origin', async () => {
    const noKey = await apiCall('getSettings', undefined, {});
    expect(noKey.status).toBe(403);
    expect(JSON.parse(noKey.body)).toMatchObject({ ok: false, error: { code: 'host.forbidden' } });
    expect((await apiCall('getSettings', undefined, { 'x-cobranza-key': 'x'.repeat(32) })).status).toBe(403);
    const foreign = await apiCall('getSettings', undefined, { 'x-cobranza-key': host.key, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    const sameOrigin = await apiCall('getSettings', undefined, { 'x-cobranza-key': host.key, origin: host.origin });
    expect(sameOrigin.status).toBe(200);
    expect(JSON.parse(sameOrigin.body)).toMatchObject({ ok: true, value: { serverUrl: server.url, locale: 'es' } });
  });

  it('refuses a foreign Host name (DNS rebinding)', async () => {
    const r = await apiCall('getSettings', undefined, { 'x-cobranza-key': host.key, host: `evil.example:${host.port}` });
    expect(r.status).toBe(421);
    expect((await raw('/', { headers: { host: 'attacker.test' } })).status).toBe(421);
  });

  it('validates inputs with the API schemas and names the field', async () => {
    const r = await apiCall('getAccount', { accountId: 'not-a-uuid' }, { 'x-cobranza-key': host.key });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'validation', field: 'accountId' } });
    const q = await apiCall('listQueue', { limit: 5000, contactableOnly: false }, { 'x-cobranza-key': host.key });
    expect(JSON.parse(q.body).error.field).toBe('limit');
    expect((await apiCall('nope', {}, { 'x-cobranza-key': host.key })).status).toBe(404);
    expect((await apiCall('constructor', {}, { 'x-cobranza-key': host.key })).status).toBe(404);
  });

  it("drives the workstation through the renderer's HTTP client and pushes syncState over the WebSocket", async () => {
    const api = createHttpApi({ baseUrl: host.origin, key: host.key, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
    await expect(api.listQueue({})).rejects.toMatchObject({ name: 'WorkstationError', code: 'auth.required' });
    await expect(api.login({ username: 'agente1', password: 'wrong' })).rejects.toMatchObject({ code: 'auth.invalid_credentials' });
    const states: SyncState[] = [];
    const synced = new Promise<void>((resolve) => {
      const off = api.onSyncState((s) => {
        states.push(s);
        if (s.lastSuccessAt && !s.syncing) {
          off();
          resolve();
        }
      });
    });
    const session = await api.login({ username: 'agente1', password: 'agente123' });
    expect(session.user.username).toBe('agente1');
    await synced;
    expect(states.some((s) => s.syncing)).toBe(true);
    const page = await api.listQueue({ limit: 10, contactableOnly: false });
    expect(page.rows.length).toBeGreaterThan(0);
    const settings = await api.saveSettings({
      sipPassword: 'secreto',
      sip: { wsUrl: 'ws://127.0.0.1:8088', domain: '127.0.0.1', extension: '1001' },
    });
    expect(settings.hasSipPassword).toBe(true);
    expect(JSON.stringify(settings)).not.toContain('secreto');
    expect(await api.getSipCredentials()).toMatchObject({ extension: '1001', password: 'secreto' });
  });

  it('refuses WebSockets without the key or from a foreign origin', async () => {
    const tryOpen = (url: string, origin?: string) =>
      new Promise<string>((resolve) => {
        const s = new WebSocket(url, origin ? { origin } : {});
        s.on('open', () => {
          s.close();
          resolve('open');
        });
        s.on('error', () => resolve('refused'));
        s.on('unexpected-response', (_req, res) => {
          resolve(`refused ${res.statusCode}`);
          s.terminate();
        });
      });
    const base = `ws://127.0.0.1:${host.port}/events`;
    expect(await tryOpen(base)).toMatch(/^refused/);
    expect(await tryOpen(`${base}?key=${host.key}`, 'http://evil.example')).toMatch(/^refused/);
    expect(await tryOpen(`${base}?key=${host.key}`, host.origin)).toBe('open');
  });
});
