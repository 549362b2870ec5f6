import { createServer, type CreateServerOptions } from '../../src/server/app';
import { openDb, type Db } from '../../src/server/db';
import { migrate } from '../../src/server/db/migrate';
import { seedDemo, type SeedResult } from '../../src/server/demo/seed';
import { createTestDatabase } from './pg';

export type Backend = 'pg' | 'pglite';
export const BACKENDS: readonly Backend[] = ['pg', 'pglite'];

export interface TestServer {
  backend: Backend;
  url: string;
  port: number;
  db: Db;
  /** The PostgreSQL database's URL (null on PGlite): for a server started in another process. */
  databaseUrl: string | null;
  /** Set when started with `seed`. */
  seed: SeedResult | null;
  /** Stops answering HTTP (the database stays): a client sees the server as offline. */
  stop(): Promise<void>;
  /** Listens again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops, closes the database and drops it. */
  close(): Promise<void>;
}

/**
 * The real server on a random port, over a fresh PostgreSQL database (dropped on close) or an
 * in-memory PGlite. `seed` loads the demo organisation (users lider, agente1-3, admin).
 */
export async function startTestServer(opts: {
  backend: Backend;
  seed?: boolean | { accounts?: number; seed?: number };
  /** Extra createServer options (login limits, trustProxy …). */
  server?: Omit<CreateServerOptions, 'db'>;
}): Promise<TestServer> {
  const pgDb = opts.backend === 'pg' ? await createTestDatabase('srv') : null;
  const db = await openDb(pgDb ? { url: pgDb.url } : { dataDir: 'memory://' });
  await migrate(db);
  const seed = opts.seed ? await seedDemo(db, typeof opts.seed === 'object' ? opts.seed : { accounts: 60 }) : null;

  let app = createServer({ db, ...opts.server });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address !== 'object') throw new Error('server has no port');
  const port = address.port;
  let listening = true;

  const server: TestServer = {
    backend: opts.backend,
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    databaseUrl: pgDb?.url ?? null,
    seed,
    async stop() {
      if (!listening) return;
      listening = false;
      await closeApp(app);
    },
    async restart() {
      if (listening) await closeApp(app);
      app = createServer({ db, ...opts.server });
      await app.listen({ port, host: '127.0.0.1' });
      listening = true;
    },
    async close() {
      await server.stop();
      await db.close();
      await pgDb?.drop();
    },
  };
  return server;
}

/**
 * Fastify closes the connections idle when close starts; one whose request was still being
 * answered then (a workstation's background fetch) stays open after its answer for the client's
 * keep-alive (Fastify announces 72 s), and close waits for it. Closed as soon as it is idle.
 */
async function closeApp(app: ReturnType<typeof createServer>): Promise<void> {
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
  }
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/** A tiny JSON client for tests: call(server, 'POST', '/api/v1/...', { token, body }). */
export async function call<T = any>(
  server: { url: string },
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; contentType?: string } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | undefined;
  if (opts.body !== undefined) {
    headers['content-type'] = opts.contentType ?? 'application/json';
    payload = typeof opts.body === 'string' && opts.contentType ? opts.body : JSON.stringify(opts.body);
  }
  const r = await fetch(server.url + path, { method, headers, body: payload });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : null };
}

export async function login(
  server: { url: string; db?: Db },
  username: string,
  password: string,
  organization?: string,
): Promise<{ token: string; user: any }> {
  const r = await call(server, 'POST', '/api/v1/auth/login', { body: { username, password, ...(organization ? { organization } : {}) } });
  if (r.status === 401 && !organization && server.db) {
    // several organisations: a login needs the user's organisation code (tests name users uniquely)
    const orgs = await server.db.query<{ code: string }>(
      'SELECT o.code FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.username = $1',
      [username],
    );
    if (orgs.length === 1) return login(server, username, password, orgs[0]!.code);
  }
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
