import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { openDb } from '../db';
import { migrate } from '../db/migrate';
import { seedDemo } from '../demo/seed';
import { startServer } from './serve';
import { ROUTES } from '../../shared/api/routes';

/**
 * Measures a full first pull of a large portfolio through real HTTP, as an admin (who sees every
 * account). `DATABASE_URL` for PostgreSQL, otherwise an in-memory PGlite.
 * Usage: ACCOUNTS=100000 npx tsx src/server/cli/measure-pull.ts
 */
export async function measureFullPull(opts: { accounts: number; databaseUrl?: string; limit?: number }) {
  const db = await openDb(opts.databaseUrl ? { url: opts.databaseUrl } : { dataDir: 'memory://' });
  await migrate(db);
  const t0 = performance.now();
  const [have] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  // A database left by an earlier run is reused as it is (seeding is idempotent but slow).
  if ((have?.n ?? 0) < opts.accounts) await seedDemo(db, { accounts: opts.accounts, seed: 7 });
  const seedMs = performance.now() - t0;
  const server = await startServer({ db, port: 0 });
  try {
    const login = await fetch(`${server.url}${ROUTES.login.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin123' }),
    });
    const { token } = (await login.json()) as { token: string };
    const clientId = randomUUID();
    let cursor: string | null = null;
    let pages = 0;
    let accounts = 0;
    let contactPoints = 0;
    let bytes = 0;
    const t1 = performance.now();
    // Fastify serialises the whole body before it sends the headers, so "headers received" is
    // the server's time (queries + JSON) plus a loopback round trip; the rest is transfer and parsing.
    let serverMs = 0;
    for (;;) {
      const sent = performance.now();
      const r = await fetch(`${server.url}${ROUTES.syncPull.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ protocolVersion: 1, clientId, cursor, ...(opts.limit ? { limit: opts.limit } : {}) }),
      });
      serverMs += performance.now() - sent;
      const text = await r.text();
      bytes += text.length;
      const page = JSON.parse(text) as { cursor: string; hasMore: boolean; patch: { accounts: unknown[]; contactPoints: unknown[] } };
      pages++;
      accounts += page.patch.accounts.length;
      contactPoints += page.patch.contactPoints.length;
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const pullMs = performance.now() - t1;
    const t2 = performance.now();
    await fetch(`${server.url}${ROUTES.syncPull.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ protocolVersion: 1, clientId, cursor }),
    });
    const idleMs = performance.now() - t2;
    return {
      backend: db.kind,
      seedMs: Math.round(seedMs),
      serverMs: Math.round(serverMs),
      pullMs: Math.round(pullMs),
      pages,
      accounts,
      contactPoints,
      megabytes: +(bytes / 1e6).toFixed(1),
      idlePullMs: +idleMs.toFixed(1),
    };
  } finally {
    await server.close();
    await db.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  measureFullPull({ accounts: Number(process.env.ACCOUNTS ?? 100_000), databaseUrl: process.env.DATABASE_URL || undefined }).then(
    (r) => console.log(JSON.stringify(r)),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
