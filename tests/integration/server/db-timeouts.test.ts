import { afterAll, describe, expect, it } from 'vitest';
import { createServer } from '../../../src/server/app';
import { startServer } from '../../../src/server/cli/serve';
import { openDb } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { createTestDatabase } from '../../helpers/pg';
import { BACKENDS, call, startTestServer } from '../../helpers/server';
import { startBlackHole, startSwitchableProxy } from '../../helpers/tcp';

describe('a PostgreSQL that accepts and never answers', () => {
  it('fails a start within PG_CONNECT_TIMEOUT_MS with a message naming the host, not the password', async () => {
    const hole = await startBlackHole();
    const before = process.env.PG_CONNECT_TIMEOUT_MS;
    process.env.PG_CONNECT_TIMEOUT_MS = '800';
    try {
      const started = Date.now();
      const url = `postgres://cobranza:s3cr3t-pw@127.0.0.1:${hole.port}/central`;
      const err = await startServer({ databaseUrl: url, port: 0, promiseBatchMinutes: 0 }).then(
        () => null,
        (e: unknown) => e as Error,
      );
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(Error);
      expect(err!.message).toContain(`cannot reach PostgreSQL at 127.0.0.1:${hole.port}/central (DATABASE_URL)`);
      expect(err!.message).not.toContain('s3cr3t-pw');
      expect(took).toBeLessThan(5000);
    } finally {
      if (before === undefined) delete process.env.PG_CONNECT_TIMEOUT_MS;
      else process.env.PG_CONNECT_TIMEOUT_MS = before;
      await hole.close();
    }
  });
});

describe('/healthz when the database stops answering mid-run (PostgreSQL)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('answers 503 db down within about a second, and up again once the database answers', async () => {
    const pgDb = await createTestDatabase('hz');
    cleanup.push(() => pgDb.drop());
    const proxy = await startSwitchableProxy(Number(new URL(pgDb.url).port || 5432));
    cleanup.push(() => proxy.close());
    const viaProxy = new URL(pgDb.url);
    viaProxy.port = String(proxy.port);
    const db = await openDb({ url: viaProxy.toString() });
    cleanup.push(() => db.close());
    await migrate(db);
    const app = createServer({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    // released first so the held queries finish and the pool can close
    cleanup.push(async () => {
      proxy.release();
      await app.close();
    });
    const s = { url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };

    const up = await call(s, 'GET', '/healthz');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ ok: true, db: 'up' });

    proxy.blackHole();
    const started = Date.now();
    const down = await call(s, 'GET', '/healthz');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ ok: false, db: 'down', latencyMs: null });

    proxy.release();
    const back = await call(s, 'GET', '/healthz');
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ ok: true, db: 'up' });
  });
});

describe.each(BACKENDS)('/healthz on %s', (backend) => {
  it('reports the database up with its latency', async () => {
    const s = await startTestServer({ backend });
    try {
      const r = await call(s, 'GET', '/healthz');
      expect(r.status).toBe(200);
      expect(r.body.ok).toBe(true);
      expect(r.body.db).toBe('up');
      expect(r.body.latencyMs).toBeGreaterThanOrEqual(0);
      expect(r.body.latencyMs).toBeLessThan(1000);
    } finally {
      await s.close();
    }
  });
});
