// The sending half of the strategy engine: jobs per second through a local fake Twilio (the engine
// in its own process, as a second server instance), and meanwhile the p99 of an agent
// workstation's sync (pull, and push of an outcome) against the server — beside their floors in
// the same run: the same sends straight to the fake provider (no queue, no database), and the
// same sync requests with no engine running.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BenchRow } from './run';
import { twilioSms } from '../src/server/messaging/providers/twilio';
import { saveStrategy } from '../src/server/strategies/store';
import { StrategyInput } from '../src/shared/domain/strategy';
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol';
import { startFakeTwilio } from '../tests/helpers/fake-providers';
import { call, login, startTestServer } from '../tests/helpers/server';

const MESSAGES = Number(process.env.BENCH_SEND_MESSAGES ?? 3000);
/** Far above any provider's limit: what is measured is the engine, not the configured budget. */
const RATE = Number(process.env.BENCH_SEND_RATE ?? 1000);
const TW = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'bench-token-0123456789' };

const p99 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? Number.NaN;
};

export async function benchStrategySend(): Promise<BenchRow[]> {
  const server = await startTestServer({ backend: 'pg', seed: { accounts: 200 } });
  const twilio = await startFakeTwilio(TW);
  try {
    const { db, seed } = server;
    const orgId = seed!.orgId;
    const agentId = seed!.users.agente1;
    const [tpl] = await db.query<{ id: string }>(`SELECT id FROM message_templates WHERE org_id = $1 AND channel = 'sms' LIMIT 1`, [orgId]);
    const strategy = await saveStrategy(
      db,
      orgId,
      seed!.users.admin,
      null,
      StrategyInput.parse({
        name: 'Envío',
        scope: {},
        steps: [{ key: 's1', anchor: 'due_date', day: 1, action: 'sms', templateId: tpl!.id }],
      }),
    );
    // MESSAGES strategy messages queued on the agent's accounts, each with its run and activity
    // (the activity's status reaches the agent's pull, as in production)
    await db.query(
      `WITH acc AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k, count(*) OVER () AS n FROM accounts WHERE assigned_agent_id = $3),
       runs AS (
         INSERT INTO strategy_runs (id, org_id, strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at)
         SELECT gen_random_uuid(), $1, $2, acc.id, 's' || i, 'due:2027-01-01', '2027-01-01', 'champion', 'sms', 'sent', now()
         FROM generate_series(0, $4::int - 1) i JOIN acc ON acc.k = i % acc.n
         RETURNING id, account_id),
       msgs AS (
         INSERT INTO outbound_messages (id, org_id, account_id, agent_id, channel, address, body, status, strategy_run_id)
         SELECT gen_random_uuid(), $1, runs.account_id, $3, 'sms', '+573001234567', 'Recordatorio', 'queued', runs.id FROM runs
         RETURNING id, account_id)
       INSERT INTO activities (id, account_id, agent_id, channel, direction, address, disposition, note, started_at, message_status)
       SELECT msgs.id, msgs.account_id, $3, 'sms', 'outbound', '+573001234567', 'message_sent', 'Recordatorio', now(), 'queued' FROM msgs`,
      [orgId, strategy!.id, agentId, MESSAGES],
    );
    await db.exec('ANALYZE');

    // the agent's workstation, already synced: then pull and push (an outcome) one after the other
    const token = (await login(server, 'agente1', 'agente123')).token;
    const clientId = randomUUID();
    let cursor: unknown = null;
    let mutation = 1;
    const [acc] = await db.query<{ id: string }>('SELECT id FROM accounts WHERE assigned_agent_id = $1 LIMIT 1', [agentId]);
    const pullAll = async () => {
      for (;;) {
        const r = await call(server, 'POST', '/api/v1/sync/pull', { token, body: { protocolVersion: PROTOCOL_VERSION, clientId, cursor } });
        if (r.status !== 200) throw new Error(`pull ${r.status}`);
        cursor = r.body.cursor;
        if (!r.body.hasMore) return;
      }
    };
    await pullAll();
    const syncRound = async (lat: number[]) => {
      let t = performance.now();
      await pullAll();
      lat.push(performance.now() - t);
      t = performance.now();
      const r = await call(server, 'POST', '/api/v1/sync/push', {
        token,
        body: {
          protocolVersion: PROTOCOL_VERSION,
          clientId,
          mutations: [
            {
              id: mutation++,
              name: 'activity.log',
              clientTime: new Date().toISOString(),
              args: {
                id: randomUUID(),
                accountId: acc!.id,
                channel: 'call',
                disposition: 'no_answer',
                startedAt: new Date().toISOString(),
                note: 'bench',
              },
            },
          ],
        },
      });
      if (r.status !== 200) throw new Error(`push ${r.status}`);
      lat.push(performance.now() - t);
    };

    // floor of the sync: the same rounds for a few seconds with no engine
    const quiet: number[] = [];
    for (const end = performance.now() + 5000; performance.now() < end;) await syncRound(quiet);

    // the run: the engine sends in its own process while the workstation keeps syncing
    const busy: number[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/strategy-send-worker.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: server.databaseUrl!,
        TWILIO_URL: twilio.url,
        TWILIO_SID: TW.accountSid,
        TWILIO_TOKEN: TW.authToken,
        SEND_RATE: String(RATE),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let started = false;
    let done = false;
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('"started"')) started = true;
    });
    const exited = new Promise<void>((resolve, reject) =>
      child.on('exit', (code) => {
        done = true;
        return code === 0 ? resolve() : reject(new Error(`send worker exited ${code}`));
      }),
    );
    while (!started && !done) await new Promise((r) => setTimeout(r, 20));
    while (!done) await syncRound(busy);
    await exited;
    const result = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; sent: number; failed: number };

    // floor of the sends: the same number straight to the fake provider, one after another
    const sms = twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006' });
    const t0 = performance.now();
    for (let i = 0; i < MESSAGES; i++) await sms.send({ messageId: randomUUID(), to: '+573001234567', body: 'Recordatorio' });
    const floorMs = performance.now() - t0;

    const jobsPerS = result.sent / (result.ms / 1000);
    const floorPerS = MESSAGES / (floorMs / 1000);
    const busyP99 = p99(busy);
    return [
      {
        name: `send: ${result.sent} strategy SMS through the fake Twilio (engine process, ${result.failed} failed)`,
        value: jobsPerS,
        unit: 'jobs/s',
        target: `all ${MESSAGES} sent`,
        ok: result.sent === MESSAGES,
      },
      { name: 'floor: the same SMS straight to the fake provider', value: floorPerS, unit: 'msg/s' },
      { name: 'send / floor', value: jobsPerS / floorPerS, unit: '×' },
      {
        name: `workstation sync p99 during the send (${busy.length} requests)`,
        value: busyP99,
        unit: 'ms',
        target: '< 100',
        ok: busyP99 < 100,
      },
      { name: `floor: sync p99 with no engine (${quiet.length} requests)`, value: p99(quiet), unit: 'ms' },
    ];
  } finally {
    await twilio.close();
    await server.close();
  }
}
