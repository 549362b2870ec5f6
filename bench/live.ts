// Live board: 200 agents sending heartbeats (every HEARTBEAT_MS, a share of them changing state)
// to two real server processes on one PostgreSQL database; a team lead's server-sent events stream
// is open on the first. Measured: from an agent's report leaving the client to the lead's stream
// carrying it (p50/p95/max), for reports made on the lead's instance and on the other one; beside
// the floor, a bare NOTIFY → LISTEN round trip on the same database during the same window.
// Run alone: `npx tsx bench/live.ts`; LIVE_AGENTS (200), LIVE_WINDOW_S (30).
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { createSession } from '../src/server/auth/sessions';
import { openPgDb } from '../src/server/db/pg';
import { HEARTBEAT_MS, PAUSE_REASONS, type BoardAgent } from '../src/shared/live/presence';
import { readSse } from '../src/shared/live/sse';
import { startInstances, type Instance } from '../tests/helpers/haproxy';
import { createTestDatabase } from '../tests/helpers/pg';
import { createJsonClient, Latencies, seedLoadAgents, sleep, type BenchRow } from './load';

export async function benchLive(): Promise<BenchRow[]> {
  const AGENTS = Number(process.env.LIVE_AGENTS ?? 200);
  const WINDOW_S = Number(process.env.LIVE_WINDOW_S ?? 30);
  const tdb = await createTestDatabase('live');
  const db = openPgDb(tdb.url, 10, { connectMs: 5000, statementMs: 0, idleInTransactionMs: 0 });
  let instances: Instance[] = [];
  const abort = new AbortController();
  const floorClient = new pg.Client({ connectionString: tdb.url });
  try {
    const agents = await seedLoadAgents(db, { count: AGENTS, perAgent: 2, prefix: 'LIVE', displayName: 'Asesor', demoAccounts: 10 });
    const [lider] = await db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'lider'`);
    const leadToken = (await createSession(db, lider!.id)).token;
    instances = await startInstances(tdb.url, 2, { PROMISE_BATCH_MINUTES: '0' });
    const clients = instances.map((i) => createJsonClient(`http://127.0.0.1:${i.port}`, 64));

    // the lead's stream on instance 1: each agent event's arrival, by agent and heartbeat instant
    const arrived = new Map<string, number>();
    let boardAgents = 0;
    const stream = readSse(
      `http://127.0.0.1:${instances[0]!.port}/api/v1/live/stream`,
      { headers: { authorization: `Bearer ${leadToken}` }, signal: abort.signal },
      (e) => {
        const at = performance.now();
        if (e.event === 'board') boardAgents = (JSON.parse(e.data) as { agents: unknown[] }).agents.length;
        else if (e.event === 'agent') {
          const a = (JSON.parse(e.data) as { agent: BoardAgent }).agent;
          arrived.set(`${a.userId}|${a.lastHeartbeatAt}`, at);
        }
      },
    ).catch(() => {});
    while (boardAgents === 0) await sleep(50);

    // the floor: NOTIFY on one connection, heard on another, under the same load
    await floorClient.connect();
    await floorClient.query('LISTEN bench_floor');
    const floor = new Latencies();
    const floorSent = new Map<string, number>();
    floorClient.on('notification', (n) => {
      const t0 = floorSent.get(n.payload ?? '');
      if (t0 !== undefined) floor.add(performance.now() - t0);
    });

    // reports: when each left the client, keyed as the stream will carry it once the server answers
    const sent: Array<{ key: string; t0: number; other: boolean }> = [];
    let errors = 0;
    const end = performance.now() + WINDOW_S * 1000;
    const reasons = [...PAUSE_REASONS];
    const agentLoops = agents.map(async (agent, i) => {
      const other = i % 2 === 1;
      const client = clients[i % 2]!;
      await sleep(Math.random() * HEARTBEAT_MS);
      while (performance.now() < end) {
        // about one report in four is a change of state; the others are plain heartbeats
        const roll = Math.random();
        const body =
          roll < 0.125
            ? { state: 'paused', pauseReason: reasons[i % reasons.length] }
            : roll < 0.25
              ? { state: 'wrap_up' }
              : { state: 'available' };
        const t0 = performance.now();
        try {
          const r = await client.request<{ userId: string; lastHeartbeatAt: string }>('POST', '/api/v1/live/presence', body, agent.token);
          if (r.status !== 200) errors++;
          else sent.push({ key: `${r.body.userId}|${r.body.lastHeartbeatAt}`, t0, other });
        } catch {
          errors++;
        }
        await sleep(HEARTBEAT_MS * (0.9 + Math.random() * 0.2));
      }
    });
    const floorLoop = (async () => {
      let n = 0;
      while (performance.now() < end) {
        const id = String(n++);
        floorSent.set(id, performance.now());
        await db.query('SELECT pg_notify($1, $2)', ['bench_floor', id]);
        await sleep(100);
      }
    })();
    await Promise.all([...agentLoops, floorLoop]);
    await sleep(2_000); // the last events in flight

    const same = new Latencies();
    const cross = new Latencies();
    let missing = 0;
    for (const s of sent) {
      const at = arrived.get(s.key);
      if (at === undefined) missing++;
      else (s.other ? cross : same).add(at - s.t0);
    }
    const all = new Latencies();
    for (const s of sent) {
      const at = arrived.get(s.key);
      if (at !== undefined) all.add(at - s.t0);
    }
    abort.abort();
    await stream;
    for (const c of clients) c.close();
    const p95 = all.percentile(95);
    return [
      { name: `reports sent by ${AGENTS} agents in ${WINDOW_S} s (2 instances)`, value: sent.length, unit: 'reports' },
      { name: 'report → lead stream p50', value: all.percentile(50), unit: 'ms' },
      { name: 'report → lead stream p95', value: p95, unit: 'ms', target: '< 2000', ok: p95 < 2000 },
      { name: 'report → lead stream max', value: all.max(), unit: 'ms' },
      { name: '  p95, agent on the lead’s instance', value: same.percentile(95), unit: 'ms' },
      { name: '  p95, agent on the other instance', value: cross.percentile(95), unit: 'ms' },
      {
        name: 'floor: bare NOTIFY → LISTEN p50 / p95',
        value: `${floor.percentile(50).toFixed(1)} / ${floor.percentile(95).toFixed(1)}`,
        unit: 'ms',
      },
      {
        name: 'reports lost on the stream / failed requests',
        value: `${missing} / ${errors}`,
        unit: '',
        ok: missing === 0 && errors === 0,
      },
    ];
  } finally {
    abort.abort();
    await floorClient.end().catch(() => {});
    await Promise.all(instances.map((i) => i.process.kill()));
    await db.close();
    await tdb.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const r of await benchLive()) console.log(`${r.name}: ${typeof r.value === 'number' ? r.value.toFixed(1) : r.value} ${r.unit}`);
}
