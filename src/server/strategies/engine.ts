import PgBoss from 'pg-boss';
import type { MessageChannel } from '../../shared/domain/channels';
import type { Db } from '../db';
import type { MessageProvider } from '../messaging/providers/types';
import { dueRuns, orgsWithStrategies } from './day';
import { executeRun } from './execute';
import { planDay } from './plan';
import { sendStrategyMessage } from './send';

/**
 * The strategy engine on pg-boss 10 (PostgreSQL only). Jobs are wake-ups, the strategy_runs
 * ledger is the truth: a job delivered twice, or by two servers, finds its run no longer waiting
 * (or its message no longer queued) and does nothing.
 * - strategy-plan: cron (default 05:00 UTC, before any Latin American opening hour), one job per
 *   organisation and day (singletonKey), plans the day with set-based SQL;
 * - strategy-step: one per run (singletonKey = run id), at the run's due moment;
 * - strategy-send: one per message, rate-limited per channel, retried with exponential back-off.
 */
export interface StrategyEngineOptions {
  db: Db;
  databaseUrl: string;
  providers: Partial<Record<MessageChannel, MessageProvider>>;
  /** The engine's clock (tests stand it at a chosen moment); real time by default. */
  now?: () => Date;
  rate?: Partial<Record<MessageChannel, number>>;
  /** The server's public address: Twilio reports each SMS's delivery to its signed webhook there. */
  publicBaseUrl?: string;
  /** Cron of the daily planning, in UTC. */
  planCron?: string;
  /** How often the sweep looks for due runs whose wake-up was lost. */
  sweepSeconds?: number;
  /** pg-boss's own schema. */
  schema?: string;
  onError?: (e: unknown) => void;
}

export interface StrategyEngine {
  boss: PgBoss;
  /** Plans today for every organisation now (what the cron job does). */
  planNow(): Promise<void>;
  /** Enqueues every due run (what the sweep does). */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

/** Advisory lock key of the engine's setup (the migration lock is 7263). */
const ENGINE_SETUP_LOCK = 7264;

const SEND_BATCH = 10;
const STEP_BATCH = 20;

export const QUEUES = { plan: 'strategy-plan', planOrg: 'strategy-plan-org', step: 'strategy-step', send: 'strategy-send' } as const;

export async function startStrategyEngine(opts: StrategyEngineOptions): Promise<StrategyEngine> {
  const { db } = opts;
  const now = opts.now ?? (() => new Date());
  const onError = opts.onError ?? (() => {});
  const boss = new PgBoss({ connectionString: opts.databaseUrl, schema: opts.schema ?? 'pgboss', max: 4 });
  boss.on('error', onError);
  // Instances starting together would deadlock in pg-boss's create_queue: one at a time sets up
  // (an advisory lock held by a transaction of ours while pg-boss works on its own connections).
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ENGINE_SETUP_LOCK]);
    await boss.start();
    for (const name of Object.values(QUEUES)) {
      if (await boss.getQueue(name)) continue;
      await boss
        .createQueue(name, {
          name,
          // one job per key in each of created / retry / active: a sweep never piles up copies
          policy: name === QUEUES.plan ? 'standard' : 'stately',
          ...(name === QUEUES.send ? { retryLimit: 12, retryDelay: 5, retryBackoff: true } : { retryLimit: 3, retryDelay: 30 }),
        })
        .catch((e: unknown) => {
          // another server created it between our check and our create
          if (!/already exists|duplicate key/i.test(String(e))) throw e;
        });
    }
  });

  /** pg-boss waits on the database's clock; a moment on our clock becomes a delay from now. */
  const startAfter = (at: Date) => new Date(Date.now() + Math.max(0, at.getTime() - now().getTime()));

  async function planOrg(orgId: string) {
    const result = await planDay(db, orgId, now());
    for (const r of result.waiting) {
      await boss.send(QUEUES.step, { runId: r.id }, { singletonKey: r.id, startAfter: startAfter(r.dueAt) });
    }
  }

  await boss.work<{ orgId?: string }>(QUEUES.plan, async () => {
    const day = now().toISOString().slice(0, 10);
    for (const orgId of await orgsWithStrategies(db)) await boss.send(QUEUES.planOrg, { orgId }, { singletonKey: `${orgId}:${day}` });
  });
  await boss.work<{ orgId: string }>(QUEUES.planOrg, async ([job]) => {
    if (job) await planOrg(job.data.orgId);
  });
  // the same for steps: a full batch, fetch the next at once
  let stepWorker = '';
  stepWorker = await boss.work<{ runId: string }>(QUEUES.step, { batchSize: STEP_BATCH, pollingIntervalSeconds: 1 }, async (jobs) => {
    if (stepWorker && jobs.length === STEP_BATCH) boss.notifyWorker(stepWorker);
    for (const job of jobs) {
      const r = await executeRun(db, job.data.runId, now());
      if (r.kind === 'message') await boss.send(QUEUES.send, { messageId: r.messageId }, { singletonKey: r.messageId });
      if (r.kind === 'wait')
        await boss.send(QUEUES.step, { runId: job.data.runId }, { singletonKey: job.data.runId, startAfter: startAfter(r.until) });
    }
  });
  // pg-boss waits its polling interval between fetches, which would cap sending at one batch a
  // second: a full batch means more are waiting, so the worker is told to fetch again at once (the
  // channel's per-second budget, takeSendSlot, is what paces the provider)
  let sendWorker = '';
  sendWorker = await boss.work<{ messageId: string }>(QUEUES.send, { batchSize: SEND_BATCH, pollingIntervalSeconds: 1 }, async (jobs) => {
    if (sendWorker && jobs.length === SEND_BATCH) boss.notifyWorker(sendWorker);
    // the batch's messages go side by side (each claims its own row, the rate slot is shared):
    // one at a time, a provider's round trip would be the engine's ceiling
    await Promise.all(
      jobs.map(async (job) => {
        try {
          await sendStrategyMessage(db, opts.providers, job.data.messageId, opts.rate, opts.publicBaseUrl);
        } catch (e) {
          // the provider did not take it (RetryLater) or the database failed: this job is retried with
          // back-off by pg-boss; the batch's other jobs complete
          await boss.fail(QUEUES.send, job.id, { error: String(e) });
        }
      }),
    );
  });
  await boss.schedule(QUEUES.plan, opts.planCron ?? '0 5 * * *', {}, { tz: 'UTC' });

  async function sweep(): Promise<number> {
    const ids = await dueRuns(db, now());
    for (const id of ids) await boss.send(QUEUES.step, { runId: id }, { singletonKey: id });
    // strategy messages still queued a minute after they were recorded lost their send job
    const queued = await db.query<{ id: string }>(
      `SELECT id FROM outbound_messages WHERE status = 'queued' AND strategy_run_id IS NOT NULL AND updated_at < now() - interval '1 minute' LIMIT 1000`,
    );
    for (const m of queued) await boss.send(QUEUES.send, { messageId: m.id }, { singletonKey: m.id });
    return ids.length;
  }
  const timer = setInterval(() => void sweep().catch(onError), (opts.sweepSeconds ?? 60) * 1000);
  timer.unref?.();

  return {
    boss,
    async planNow() {
      for (const orgId of await orgsWithStrategies(db)) await planOrg(orgId);
    },
    sweep,
    async stop() {
      clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
