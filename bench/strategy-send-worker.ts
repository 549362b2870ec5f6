// The strategy engine's sending half in its own process (as a second server instance would run
// it): pg-boss workers on the bench's PostgreSQL, SMS through the local fake Twilio. Enqueues one
// strategy-send job per queued strategy message, waits until none is left queued or sending, and
// prints {ms, sent, failed}.
import { performance } from 'node:perf_hooks';
import { openDb } from '../src/server/db';
import { twilioSms } from '../src/server/messaging/providers/twilio';
import { QUEUES, startStrategyEngine } from '../src/server/strategies/engine';

const env = (k: string) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} missing`);
  return v;
};
const db = await openDb({ url: env('DATABASE_URL') });
const engine = await startStrategyEngine({
  db,
  databaseUrl: env('DATABASE_URL'),
  providers: {
    sms: twilioSms({ baseUrl: env('TWILIO_URL'), accountSid: env('TWILIO_SID'), authToken: env('TWILIO_TOKEN'), from: '+15005550006' }),
  },
  rate: { sms: Number(env('SEND_RATE')) },
  sweepSeconds: 3600,
  onError: (e) => process.stderr.write(`engine error ${String(e)}\n`),
});
const ids = await db.query<{ id: string }>(`SELECT id FROM outbound_messages WHERE status = 'queued' AND strategy_run_id IS NOT NULL`);
const t0 = performance.now();
process.stdout.write(JSON.stringify({ started: true }) + '\n');
await engine.boss.insert(ids.map((m) => ({ name: QUEUES.send, data: { messageId: m.id }, singletonKey: m.id })));
for (;;) {
  const [left] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM outbound_messages WHERE strategy_run_id IS NOT NULL AND status IN ('queued', 'sending')`,
  );
  if (left!.n === 0) break;
  await new Promise((r) => setTimeout(r, 50));
}
const ms = performance.now() - t0;
const counts = await db.query<{ status: string; n: number }>(
  `SELECT status, count(*)::int AS n FROM outbound_messages WHERE strategy_run_id IS NOT NULL GROUP BY status`,
);
const by = Object.fromEntries(counts.map((c) => [c.status, c.n]));
process.stdout.write(JSON.stringify({ ms, sent: by.sent ?? 0, failed: by.failed ?? 0 }) + '\n');
await engine.stop();
await db.close();
process.exit(0);
