import type { FastifyBaseLogger } from 'fastify';
import { pathToFileURL } from 'node:url';
import { createServer } from '../app';
import { openDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { seedDemo } from '../demo/seed';
import { seedDemoHistory } from '../demo/history';
import { schedulePromiseStatusBatch } from '../collections/status-batch';
import { scheduleRiskJob } from '../risk/job';
import { providersFromEnv } from '../messaging/config';
import { startStrategyEngine, type StrategyEngine } from '../strategies/engine';

export interface StartServerOptions {
  port?: number;
  host?: string;
  /** PostgreSQL URL; without it PGlite in dataDir. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** An already open database (tests); then databaseUrl/dataDir are ignored and close() leaves it open. */
  db?: Db;
  /** Seed the demo organisation, with a month of past work, when the database has no organisation yet. */
  demo?: boolean | { accounts?: number; seed?: number };
  logger?: boolean | FastifyBaseLogger;
  /** Interval of the promise status batch; 0 = do not run it. */
  promiseBatchMinutes?: number;
  /** Interval of the risk job (features, training, scores: docs/risk.md); 0 = do not run it. Default 24. */
  riskJobHours?: number;
  /** Run the strategy engine (pg-boss; PostgreSQL only). Default: on with PostgreSQL unless STRATEGIES=off. */
  strategies?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  close(): Promise<void>;
}

export async function startServer(opts: StartServerOptions = {}): Promise<RunningServer> {
  const ownDb = !opts.db;
  const db = opts.db ?? (await openDb({ url: opts.databaseUrl, dataDir: opts.dataDir }));
  try {
    await migrate(db);
    if (opts.demo) {
      const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
      if ((row?.n ?? 0) === 0) {
        const seeded = await seedDemo(db, typeof opts.demo === 'object' ? opts.demo : {});
        await seedDemoHistory(db, seeded);
      }
    }
  } catch (e) {
    if (ownDb) await db.close();
    throw e;
  }
  const app = createServer({ db, logger: opts.logger ?? false });
  // Kept / broken promises as time passes: on start, then every PROMISE_BATCH_MINUTES (default 10).
  const stopBatch =
    opts.promiseBatchMinutes === 0
      ? async () => {}
      : schedulePromiseStatusBatch(db, (opts.promiseBatchMinutes ?? 10) * 60_000, (msg) => app.log.info(msg));
  // Risk scores learned from the organisation's history: on start, then every RISK_JOB_HOURS (default 24).
  const stopRisk =
    opts.riskJobHours === 0 ? async () => {} : scheduleRiskJob(db, (opts.riskJobHours ?? 24) * 3_600_000, (msg) => app.log.warn(msg));
  // The strategy engine needs PostgreSQL (pg-boss); on PGlite strategies can be edited and simulated, not run.
  let engine: StrategyEngine | null = null;
  const wantEngine = opts.strategies ?? process.env.STRATEGIES !== 'off';
  if (wantEngine && db.kind === 'pg' && opts.databaseUrl) {
    engine = await startStrategyEngine({
      db,
      databaseUrl: opts.databaseUrl,
      providers: providersFromEnv(),
      publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined,
      onError: (e) => app.log.warn({ err: e }, 'strategy engine'),
    });
  } else if (wantEngine && db.kind === 'pglite') {
    app.log.info('strategies: the engine runs on PostgreSQL only (DATABASE_URL); on PGlite strategies are edited and simulated, not sent');
  }
  await app.listen({ port: opts.port ?? 8787, host: opts.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 8787);
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    db,
    async close() {
      await stopBatch();
      await stopRisk();
      await engine?.stop();
      await app.close();
      if (ownDb) await db.close();
    },
  };
}

async function main(): Promise<void> {
  const demoCount = process.env.DEMO_ACCOUNTS ? Number(process.env.DEMO_ACCOUNTS) : undefined;
  const server = await startServer({
    port: Number(process.env.PORT ?? 8787),
    host: process.env.HOST ?? '127.0.0.1',
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: process.env.DATA_DIR || '.data/server',
    demo: process.argv.includes('--demo') ? (demoCount ? { accounts: demoCount } : true) : false,
    logger: true,
    promiseBatchMinutes: process.env.PROMISE_BATCH_MINUTES ? Number(process.env.PROMISE_BATCH_MINUTES) : undefined,
    riskJobHours: process.env.RISK_JOB_HOURS ? Number(process.env.RISK_JOB_HOURS) : undefined,
  });
  console.log(`cobranza server listening on ${server.url} (${server.db.kind})`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
