import type { FastifyBaseLogger } from 'fastify';
import { pathToFileURL } from 'node:url';
import { createServer } from '../app';
import { openDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { seedDemo } from '../demo/seed';
import { seedDemoHistory } from '../demo/history';
import { schedulePromiseStatusBatch } from '../collections/status-batch';
import { runHabits } from '../habits/compute';
import { HABITS_INTERVAL_MS, scheduleHabits } from '../habits/job';
import { scheduleRiskJob } from '../risk/job';
import { providersFromEnv } from '../messaging/config';
import { startStrategyEngine, type StrategyEngine } from '../strategies/engine';
import { replicaMaxLagFromEnv } from '../reports/replica';
import { placedUrlsFromEnv } from '../db/directory';

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
  /** Interval of the contact-habits job (best hours, channel, segments); 0 = do not run it. Default 360. */
  habitsMinutes?: number;
  /** Interval of the risk job (features, training, scores: docs/risk.md); 0 = do not run it. Default 24. */
  riskJobHours?: number;
  /** Run the strategy engine (pg-boss; PostgreSQL only). Default: on with PostgreSQL unless STRATEGIES=off. */
  strategies?: boolean;
  /** A streaming replica for reports (REPORTS_DATABASE_URL); reports read the primary without it. */
  reportsDatabaseUrl?: string | undefined;
  /** Past this lag reports read the primary (REPORTS_MAX_LAG_SECONDS, default 300). */
  reportsMaxLagSeconds?: number;
  /** Organisations placed in a database of their own: code → postgres:// URL (ORG_DATABASES; db/directory.ts). */
  placedDatabaseUrls?: Record<string, string>;
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
        // the demo opens with its best hours and channels already learned from that month
        await runHabits(db, seeded.orgId, new Date());
      }
    }
  } catch (e) {
    if (ownDb) await db.close();
    throw e;
  }
  let replicaDb: Db | null = null;
  // every database of the directory is migrated at start, like the primary
  const placed = new Map<string, { db: Db; url: string }>();
  const closeOpened = async () => {
    for (const p of placed.values()) await p.db.close().catch(() => {});
    await replicaDb?.close().catch(() => {});
    if (ownDb) await db.close();
  };
  try {
    for (const [code, url] of Object.entries(opts.placedDatabaseUrls ?? {})) {
      const p = await openDb({ url });
      placed.set(code, { db: p, url });
      await migrate(p);
    }
    replicaDb = opts.reportsDatabaseUrl ? await openDb({ url: opts.reportsDatabaseUrl }) : null;
  } catch (e) {
    await closeOpened();
    throw e;
  }
  const app = createServer({
    db,
    logger: opts.logger ?? false,
    reportsReplica: replicaDb ? { db: replicaDb, maxLagSeconds: opts.reportsMaxLagSeconds ?? 300 } : null,
    placed: new Map([...placed].map(([code, p]) => [code, p.db])),
  });
  const databases = [{ db, url: opts.databaseUrl }, ...placed.values()];
  // Kept / broken promises as time passes: on start, then every PROMISE_BATCH_MINUTES (default 10).
  const stopBatches =
    opts.promiseBatchMinutes === 0
      ? []
      : databases.map((d) => schedulePromiseStatusBatch(d.db, (opts.promiseBatchMinutes ?? 10) * 60_000, (msg) => app.log.info(msg)));
  // best hours, recommended channel and segments, per database
  const stopHabits =
    opts.habitsMinutes === 0
      ? []
      : databases.map((d) =>
          scheduleHabits(d.db, (opts.habitsMinutes ?? HABITS_INTERVAL_MS / 60_000) * 60_000, (msg) => app.log.info(msg)),
        );
  // risk scores learned from each organisation's history: on start, then every RISK_JOB_HOURS (default 24), per database
  const stopRisk =
    opts.riskJobHours === 0
      ? []
      : databases.map((d) => scheduleRiskJob(d.db, (opts.riskJobHours ?? 24) * 3_600_000, (msg) => app.log.warn(msg)));
  // The strategy engine needs PostgreSQL (pg-boss); on PGlite strategies can be edited and simulated, not run.
  // one engine per database: its pg-boss schema and its run ledger live beside the accounts
  const engines: StrategyEngine[] = [];
  const wantEngine = opts.strategies ?? process.env.STRATEGIES !== 'off';
  if (wantEngine && db.kind === 'pg' && opts.databaseUrl) {
    for (const d of databases)
      engines.push(
        await startStrategyEngine({
          db: d.db,
          databaseUrl: d.url!,
          providers: providersFromEnv(),
          publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined,
          onError: (e) => app.log.warn({ err: e }, 'strategy engine'),
        }),
      );
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
      for (const stop of [...stopBatches, ...stopHabits, ...stopRisk]) await stop();
      for (const engine of engines) await engine.stop();
      await app.close();
      await closeOpened();
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
    reportsDatabaseUrl: process.env.REPORTS_DATABASE_URL || undefined,
    reportsMaxLagSeconds: replicaMaxLagFromEnv(process.env.REPORTS_MAX_LAG_SECONDS),
    placedDatabaseUrls: placedUrlsFromEnv(process.env.ORG_DATABASES),
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
