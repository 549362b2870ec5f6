import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/server/app';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';

// The update feed reads files, never the database: PGlite alone is enough here.
describe('GET /updates/<file> (the workstation update feed, UPDATES_DIR)', () => {
  let db: Db;
  let dir: string;
  const apps: FastifyInstance[] = [];
  let base = '';
  let bare = '';
  const installer = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));

  async function listen(updatesDir: string | undefined): Promise<string> {
    const app = createServer({ db, updatesDir });
    apps.push(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const a = app.server.address();
    return `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  }

  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await migrate(db);
    dir = mkdtempSync(join(tmpdir(), 'updates-'));
    writeFileSync(join(dir, 'latest.yml'), 'version: 0.2.0\npath: Cobranza-Setup-0.2.0.exe\n');
    writeFileSync(join(dir, 'Cobranza-Setup-0.2.0.exe'), installer);
    writeFileSync(join(dir, '.env'), 'SECRET=1');
    writeFileSync(join(dir, 'notes.txt'), 'not part of a feed');
    base = await listen(dir);
    bare = await listen(undefined);
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the feed fresh and the installer byte for byte', async () => {
    const yml = await fetch(`${base}/updates/latest.yml`);
    expect(yml.status).toBe(200);
    expect(yml.headers.get('content-type')).toMatch(/^text\/yaml/);
    expect(yml.headers.get('cache-control')).toBe('no-cache');
    expect(await yml.text()).toContain('version: 0.2.0');

    const exe = await fetch(`${base}/updates/Cobranza-Setup-0.2.0.exe`);
    expect(exe.status).toBe(200);
    expect(Number(exe.headers.get('content-length'))).toBe(installer.length);
    expect(Buffer.from(await exe.arrayBuffer()).equals(installer)).toBe(true);
  });

  it('answers HEAD with the size', async () => {
    const head = await fetch(`${base}/updates/Cobranza-Setup-0.2.0.exe`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(installer.length);
  });

  it('serves nothing outside the folder nor files that are not part of a feed', async () => {
    const traversal = await fetch(`${base}/updates/..%2F..%2Fetc%2Fpasswd`);
    expect(traversal.status).toBe(400);
    expect(await traversal.json()).toMatchObject({ error: { code: 'invalid_request', field: 'file' } });
    expect((await fetch(`${base}/updates/.env`)).status).toBe(400);
    expect((await fetch(`${base}/updates/notes.txt`)).status).toBe(404);
    const missing = await fetch(`${base}/updates/latest-mac.yml`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('has no feed when UPDATES_DIR is not set', async () => {
    const res = await fetch(`${bare}/updates/latest.yml`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/UPDATES_DIR/);
  });
});
