// Instances: the load bench's agents (bench/load.ts: a pull every 30 s each, then the org data
// its tokens say changed; bursts of outcomes every 5 s) against one server instance and against
// three behind Debian's HAProxy (tests/helpers/haproxy.ts), on one PostgreSQL database:
// throughput and p99 side by side, p99 while one of the three is killed with SIGKILL (clients
// resend what failed, as the workstation does), and the saturation point — agents simulated until
// the all-requests p99 crosses 100 ms — for one instance and for three.
// Run alone: `npx tsx bench/instances.ts`; SCALE_AGENTS (1000), SCALE_WINDOW_S (20),
// SCALE_STEPS ("100,250,500,1000,2000,3000,4000"), SCALE_STEP_S (10), SCALE_ACCOUNTS_PER_AGENT (20).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Db } from '../src/server/db';
import { openPgDb } from '../src/server/db/pg';
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol';
import { startHaproxy, startInstances, type Haproxy, type Instance } from '../tests/helpers/haproxy';
import { createTestDatabase } from '../tests/helpers/pg';
import {
  createJsonClient,
  Latencies,
  seedLoadAgents,
  sleep,
  type BenchRow,
  type JsonResult,
  type PullBody,
  type SimulatedAgent,
} from './load';

type Client = ReturnType<typeof createJsonClient>;

interface Agent extends SimulatedAgent {
  tag: string;
  sent: number;
}

interface WindowResult {
  all: Latencies;
  /** latencies of requests that started in [from, to) ms of the window */
  slice: Latencies;
  /** attempts that failed (and were resent) */
  failedAttempts: number;
  /** requests given up on after the resends */
  lost: number;
  requests: number;
  elapsedS: number;
}

/**
 * One measured window at the load of `agents.length` agents, each pulling once every 30 s on
 * average. A request that fails (no answer, or 5xx) is sent again after 100 ms, up to 20 times, as
 * the workstation's sync does; its latency is the agent's, from the first attempt to the answer.
 */
async function runWindow(
  http: Client,
  agents: Agent[],
  windowS: number,
  opts: { onTick?: (elapsedMs: number) => void; slice?: [number, number] } = {},
): Promise<WindowResult> {
  const BURST_EVERY_S = 5;
  const burstAgents = Math.max(1, Math.round(agents.length / 50));
  const all = new Latencies();
  const slice = new Latencies();
  let failedAttempts = 0;
  let lost = 0;
  const inflight: Promise<void>[] = [];
  const t0 = performance.now();
  const measured = async <T>(send: () => Promise<JsonResult<T>>): Promise<JsonResult<T> | null> => {
    const started = performance.now();
    for (let attempt = 0; attempt < 20; attempt++) {
      const r = await send().catch(() => null);
      if (r && r.status < 500) {
        const ms = performance.now() - started;
        if (r.status === 200) {
          all.add(ms);
          const at = started - t0;
          if (opts.slice && at >= opts.slice[0] && at < opts.slice[1]) slice.add(ms);
        } else all.error(`status ${r.status}`);
        return r;
      }
      failedAttempts++;
      await sleep(100);
    }
    lost++;
    return null;
  };
  const pulls = Math.round((agents.length * windowS) / 30);
  const pullAt = Array.from({ length: pulls }, () => Math.random() * windowS * 1000).sort((a, b) => a - b);
  const bursts = Array.from({ length: Math.floor(windowS / BURST_EVERY_S) }, (_, k) => (k + 0.5) * BURST_EVERY_S * 1000);
  let pi = 0;
  let bi = 0;
  while (pi < pullAt.length || bi < bursts.length) {
    const nextPull = pullAt[pi] ?? Infinity;
    const nextBurst = bursts[bi] ?? Infinity;
    const due = Math.min(nextPull, nextBurst);
    const wait = due - (performance.now() - t0);
    if (wait > 0) await sleep(wait);
    opts.onTick?.(performance.now() - t0);
    if (nextPull <= nextBurst) {
      pi++;
      const a = agents[Math.floor(Math.random() * agents.length)]!;
      inflight.push(
        (async () => {
          const r = await measured(() =>
            http.request<PullBody>(
              'POST',
              '/api/v1/sync/pull',
              { protocolVersion: PROTOCOL_VERSION, clientId: a.clientId, cursor: a.cursor },
              a.token,
            ),
          );
          if (r?.status !== 200) return;
          a.cursor = r.body.cursor;
          const now = r.body.orgData;
          for (const [kind, path] of [
            ['policies', '/api/v1/collections/policies'],
            ['approvals', '/api/v1/approvals/mine?since=0'],
            ['templates', '/api/v1/messages/templates'],
            ['compliance', '/api/v1/compliance/rules'],
          ] as const) {
            if (now && a.orgData && now[kind] === a.orgData[kind]) continue;
            await measured(() => http.request('GET', path, undefined, a.token));
          }
          a.orgData = now ?? null;
        })(),
      );
    } else {
      bi++;
      const idle = agents.filter((x) => !x.pushing);
      for (let k = 0; k < burstAgents && idle.length > 0; k++) {
        const a = idle.splice(Math.floor(Math.random() * idle.length), 1)[0]!;
        a.pushing = true;
        const mutations = Array.from({ length: 3 }, () => ({
          id: a.nextMutation++,
          name: 'activity.log',
          clientTime: new Date().toISOString(),
          args: {
            id: randomUUID(),
            accountId: a.accounts[Math.floor(Math.random() * a.accounts.length)],
            channel: 'call',
            disposition: 'no_answer',
            startedAt: new Date().toISOString(),
            note: a.tag,
          },
        }));
        a.sent += mutations.length;
        inflight.push(
          measured(() =>
            http.request('POST', '/api/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, clientId: a.clientId, mutations }, a.token),
          ).then(() => {
            a.pushing = false;
          }),
        );
      }
    }
  }
  await Promise.all(inflight);
  return {
    all,
    slice,
    failedAttempts,
    lost,
    requests: all.count + all.errors + lost,
    elapsedS: (performance.now() - t0) / 1000,
  };
}

async function seed(db: Db, count: number, perAgent: number): Promise<Agent[]> {
  const agents = await seedLoadAgents(db, { count, perAgent, prefix: 'SCALE', displayName: 'Agente', demoAccounts: 4 });
  return agents.map((a) => ({ ...a, tag: 'scale', sent: 0 }));
}

/** Every agent's first full pull (not measured), 16 at a time, to hold a cursor. */
async function warmUp(http: Client, agents: Agent[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < agents.length) {
        const a = agents[next++]!;
        for (;;) {
          const r = await http.request<PullBody>(
            'POST',
            '/api/v1/sync/pull',
            { protocolVersion: PROTOCOL_VERSION, clientId: a.clientId, cursor: a.cursor },
            a.token,
          );
          if (r.status !== 200) throw new Error(`warm-up pull: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
          a.cursor = r.body.cursor;
          a.orgData = r.body.orgData ?? a.orgData;
          a.accounts.push(...r.body.patch.accounts.map((x) => x.id));
          if (!r.body.hasMore) break;
        }
      }
    }),
  );
}

/** Agents simulated, step by step, until the all-requests p99 crosses 100 ms (or a step fails). */
async function saturation(
  http: Client,
  agents: Agent[],
  steps: number[],
  stepS: number,
): Promise<{ last: number | null; crossed: number | null; p99s: string }> {
  let last: number | null = null;
  let crossed: number | null = null;
  const seen: string[] = [];
  for (const n of steps) {
    if (n > agents.length) break;
    const r = await runWindow(http, agents.slice(0, n), stepS);
    const p99 = r.all.percentile(99);
    seen.push(`${n}: ${p99.toFixed(0)}`);
    if (p99 > 100 || r.lost > 0 || r.all.errors > 0) {
      crossed = n;
      break;
    }
    last = n;
    await sleep(2000);
  }
  return { last, crossed, p99s: seen.join(', ') };
}

export async function benchInstances(): Promise<BenchRow[]> {
  const AGENTS = Number(process.env.SCALE_AGENTS ?? 1000);
  const WINDOW_S = Number(process.env.SCALE_WINDOW_S ?? 20);
  const STEPS = (process.env.SCALE_STEPS ?? '100,250,500,1000,2000,3000,4000').split(',').map(Number);
  const STEP_S = Number(process.env.SCALE_STEP_S ?? 10);
  const PER_AGENT = Number(process.env.SCALE_ACCOUNTS_PER_AGENT ?? 20);
  const total = Math.max(AGENTS, ...STEPS);

  const tdb = await createTestDatabase('scale');
  // seeding hundreds of thousands of accounts in one statement outlasts a request's timeout
  const db = openPgDb(tdb.url, 10, { connectMs: 5000, statementMs: 0, idleInTransactionMs: 0 });
  let instances: Instance[] = [];
  let lb: Haproxy | null = null;
  const clients: Client[] = [];
  try {
    const agents = await seed(db, total, PER_AGENT);
    instances = await startInstances(tdb.url, 3, { PROMISE_BATCH_MINUTES: '0' });
    lb = await startHaproxy(instances.map((i) => ({ name: i.name, port: i.port })));
    const one = createJsonClient(`http://127.0.0.1:${instances[0]!.port}`, 64);
    const three = createJsonClient(lb.url, 64);
    clients.push(one, three);
    await warmUp(one, agents);
    // every instance has served some load (compiled code, prepared statements) before measuring
    await runWindow(three, agents.slice(0, AGENTS), 5);
    const load = agents.slice(0, AGENTS);
    const rows: BenchRow[] = [{ name: 'agents × accounts each (one PostgreSQL database)', value: `${AGENTS} × ${PER_AGENT}`, unit: '' }];
    // the machine is shared: its load says how much of it the bench had
    const loadAtStart = loadavg()[0]!;

    const single = await runWindow(one, load, WINDOW_S);
    await sleep(2000);
    const behind = await runWindow(three, load, WINDOW_S);
    await sleep(2000);
    for (const [label, r] of [
      ['one instance', single],
      ['three instances behind HAProxy', behind],
    ] as const) {
      rows.push(
        { name: `${label}: throughput`, value: r.all.count / r.elapsedS, unit: 'req/s' },
        { name: `${label}: all requests p99`, value: r.all.percentile(99), unit: 'ms', target: '< 100', ok: r.all.percentile(99) < 100 },
      );
    }

    const sat1 = await saturation(one, agents, STEPS, STEP_S);
    await sleep(2000);
    const sat3 = await saturation(three, agents, STEPS, STEP_S);
    await sleep(2000);
    for (const [label, s] of [
      ['one instance', sat1],
      ['three instances', sat3],
    ] as const) {
      rows.push({
        name: `${label}: saturation, most agents with p99 ≤ 100 ms (${STEP_S} s steps; p99 ms per step: ${s.p99s})`,
        value: s.last === null ? `< ${STEPS[0]}` : s.crossed === null ? `≥ ${s.last}` : s.last,
        unit: 'agents',
      });
    }

    // the kill: a third of the way through the window, the instance serving the most agents dies
    const victim = instances[1]!;
    let killAt = -1;
    const sentBefore = load.reduce((n, a) => n + a.sent, 0);
    const [before] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activities WHERE note = 'scale'`);
    const killWindow = await runWindow(three, load, WINDOW_S, {
      slice: [(WINDOW_S * 1000) / 3 - 1000, (WINDOW_S * 1000) / 3 + 2000],
      onTick: (ms) => {
        if (killAt < 0 && ms >= (WINDOW_S * 1000) / 3) {
          killAt = ms;
          victim.process.child.kill('SIGKILL');
        }
      },
    });
    const sentDuring = load.reduce((n, a) => n + a.sent, 0) - sentBefore;
    const [after] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activities WHERE note = 'scale'`);
    const stored = after!.n - before!.n;
    rows.push(
      { name: 'kill of one of three: all requests p99 (whole window)', value: killWindow.all.percentile(99), unit: 'ms' },
      {
        name: 'kill of one of three: p99 of requests started 1 s before to 2 s after it',
        value: killWindow.slice.percentile(99),
        unit: 'ms',
      },
      { name: 'kill of one of three: attempts failed (in flight on it), resent', value: killWindow.failedAttempts, unit: '' },
      {
        name: 'kill of one of three: requests lost after resends',
        value: killWindow.lost,
        unit: '',
        target: '0',
        ok: killWindow.lost === 0,
      },
      {
        name: 'kill of one of three: outcomes pushed = stored once',
        value: `${sentDuring} = ${stored}`,
        unit: '',
        ok: sentDuring === stored,
      },
    );
    rows.push({
      name: 'machine load average (1 min) at the start / end of the measurements',
      value: `${loadAtStart.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}`,
      unit: '',
    });
    return rows;
  } finally {
    for (const c of clients) c.close();
    await lb?.close();
    await Promise.all(instances.map((i) => i.process.kill()));
    await db.close();
    await tdb.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchInstances().then(
    (rows) => {
      for (const r of rows) {
        const v = typeof r.value === 'number' ? r.value.toFixed(1) : r.value;
        console.log(
          `${r.name.padEnd(90)} ${v.padStart(14)} ${r.unit} ${r.target ? `target ${r.target}` : ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'}`,
        );
      }
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
