// Load: the central server on PostgreSQL under 1,000 agents syncing every 30 s (each cycle as the
// workstation makes it: a pull, then a GET of whatever cached organisation data its tokens say changed) plus outcome
// bursts. The server runs in a child process so its resident memory can be sampled alone.
// Run alone: `npx tsx bench/load.ts` (LOAD_AGENTS, LOAD_WINDOW_S, LOAD_ACCOUNTS_PER_AGENT tune it).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { openDb, type Db } from '../src/server/db';
import { migrate } from '../src/server/db/migrate';
import { createSession } from '../src/server/auth/sessions';
import { seedDemo } from '../src/server/demo/seed';
import { PROTOCOL_VERSION, type OrgDataVersions } from '../src/shared/sync/protocol';
import { createTestDatabase } from '../tests/helpers/pg';
import { seedBulkAccounts } from '../tests/torture/bulk-seed';
import { freePort, startServerProcess } from '../tests/integration/adversarial/processes';

export interface BenchRow {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  ok?: boolean;
}

// ---- latency bookkeeping ----------------------------------------------------------------------

export class Latencies {
  private readonly samples: number[] = [];
  errors = 0;
  readonly errorKinds = new Map<string, number>();
  add(ms: number): void {
    this.samples.push(ms);
  }
  error(kind: string): void {
    this.errors++;
    this.errorKinds.set(kind, (this.errorKinds.get(kind) ?? 0) + 1);
  }
  get count(): number {
    return this.samples.length;
  }
  percentile(p: number): number {
    if (this.samples.length === 0) return Number.NaN;
    const s = [...this.samples].sort((a, b) => a - b);
    const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
    return s[i]!;
  }
  max(): number {
    return this.samples.reduce((m, x) => Math.max(m, x), 0);
  }
}

// ---- a bounded loopback HTTP client -----------------------------------------------------------

export interface JsonResult<T> {
  status: number;
  body: T;
  ms: number;
  headers: http.IncomingHttpHeaders;
}

/** keepAlive false: a connection per request (no request can meet a connection the other side is closing). */
export function createJsonClient(baseUrl: string, maxSockets = 128, keepAlive = true) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive, maxSockets });
  function request<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    timeoutMs = 30_000,
    extraHeaders: Record<string, string> = {},
  ): Promise<JsonResult<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const t0 = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          hostname: url.hostname,
          port: url.port,
          method,
          path,
          agent,
          timeout: timeoutMs,
          headers: {
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...extraHeaders,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              /* keep text */
            }
            resolve({ status: res.statusCode ?? 0, body: parsed as T, ms: performance.now() - t0, headers: res.headers });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
  return { request, close: () => agent.destroy() };
}

// ---- resident memory of a child process -------------------------------------------------------

/** Samples VmRSS every `everyMs`; VmHWM (the kernel's own peak) is read at the end as a check. */
export function sampleRss(pid: number, everyMs = 100) {
  const read = (field: 'VmRSS' | 'VmHWM'): number => {
    try {
      const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    } catch {
      return 0;
    }
  };
  let peak = read('VmRSS');
  const timer = setInterval(() => {
    peak = Math.max(peak, read('VmRSS'));
  }, everyMs);
  timer.unref();
  return {
    /** Peak resident MB seen so far (sampled and kernel high-water mark, whichever is higher). */
    peakMb: () => Math.max(peak, read('VmHWM')),
    currentMb: () => read('VmRSS'),
    stop: () => clearInterval(timer),
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ---- the scenario -----------------------------------------------------------------------------

export interface SimulatedAgent {
  token: string;
  clientId: string;
  cursor: string | null;
  accounts: string[];
  nextMutation: number;
  pushing: boolean;
  orgData: OrgDataVersions | null;
}

export interface PullBody {
  cursor: string;
  hasMore: boolean;
  patch: { accounts: Array<{ id: string }> };
  orgData?: OrgDataVersions;
}

/**
 * The demo organisation plus `count` agents, each with `perAgent` accounts and a session: the
 * population every load bench (one instance here, three in instances.ts) drives.
 */
export async function seedLoadAgents(
  db: Db,
  o: { count: number; perAgent: number; prefix: string; displayName: string; demoAccounts: number },
): Promise<SimulatedAgent[]> {
  await migrate(db);
  const demo = await seedDemo(db, { accounts: o.demoAccounts });
  const users = await db.query<{ id: string }>(
    `INSERT INTO users (org_id, team_id, username, display_name, role, password_hash)
     SELECT $1, $2, $4 || g, $5 || ' ' || g, 'agent', 'unused' FROM generate_series(1, $3::int) g RETURNING id`,
    [demo.orgId, demo.teamId, o.count, o.prefix.toLowerCase(), o.displayName],
  );
  await seedBulkAccounts(db, { orgId: demo.orgId, agentIds: users.map((u) => u.id), accounts: o.count * o.perAgent, prefix: o.prefix });
  await db.exec('VACUUM ANALYZE');
  const agents: SimulatedAgent[] = [];
  for (const u of users)
    agents.push({
      token: (await createSession(db, u.id)).token,
      clientId: randomUUID(),
      cursor: null,
      accounts: [],
      nextMutation: 1,
      pushing: false,
      orgData: null,
    });
  return agents;
}

export async function benchLoad(): Promise<BenchRow[]> {
  const AGENTS = Number(process.env.LOAD_AGENTS ?? 1000);
  const PER_AGENT = Number(process.env.LOAD_ACCOUNTS_PER_AGENT ?? 100);
  const WINDOW_S = Number(process.env.LOAD_WINDOW_S ?? 30);
  const BURST_EVERY_S = 5;
  // 1,000 agents logging an outcome every ~2 minutes make ~8 outcomes/s. Each burst puts a
  // little more than that 5-second share on the server at one instant: 20 agents back online
  // at once, 3 queued outcomes each (LOAD_BURST_AGENTS / LOAD_BURST_OUTCOMES to stress it).
  const BURST_AGENTS = Number(process.env.LOAD_BURST_AGENTS ?? Math.max(1, Math.round(AGENTS / 50)));
  const BURST_OUTCOMES = Number(process.env.LOAD_BURST_OUTCOMES ?? 3);

  const tdb = await createTestDatabase('load');
  const db = await openDb({ url: tdb.url });
  let server: Awaited<ReturnType<typeof startServerProcess>> | null = null;
  const client = { current: null as ReturnType<typeof createJsonClient> | null };
  try {
    const agents = await seedLoadAgents(db, {
      count: AGENTS,
      perAgent: PER_AGENT,
      prefix: 'LOAD',
      displayName: 'Agente de carga',
      demoAccounts: 10,
    });

    const port = await freePort();
    server = await startServerProcess(tdb.url, port);
    const pid = server.child.pid!;
    const rss = sampleRss(pid);
    const http = createJsonClient(`http://127.0.0.1:${port}`, 64);
    client.current = http;

    // Warm-up (not measured): every agent's first full pull, 16 at a time, to hold a cursor.
    const warm = new Latencies();
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
            warm.add(r.ms);
            a.cursor = r.body.cursor;
            a.orgData = r.body.orgData ?? a.orgData; // fetched once at sign-in, as the workstation does
            a.accounts.push(...r.body.patch.accounts.map((x) => x.id));
            if (!r.body.hasMore) break;
          }
        }
      }),
    );
    const rssAfterWarm = rss.currentMb();

    // Measured window: each agent pulls once at a uniformly random moment (1,000 agents every
    // 30 s ≈ 33 pulls/s), and every 5 s a burst of agents pushes a handful of outcomes at once.
    const pulls = new Latencies();
    const gets = new Latencies();
    const cycles = new Latencies();
    const pushes = new Latencies();
    const all = new Latencies();
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    const record = (lat: Latencies, kind: string, p: Promise<JsonResult<unknown>>) =>
      inflight.push(
        p.then(
          (r) => {
            if (r.status === 200) {
              lat.add(r.ms);
              all.add(r.ms);
            } else {
              lat.error(`${kind} ${r.status}`);
              all.error(`${kind} ${r.status}`);
            }
          },
          (e: Error) => {
            lat.error(`${kind} ${e.message}`);
            all.error(`${kind} ${e.message}`);
          },
        ),
      );
    const pullAt = agents
      .map(() => Math.random() * WINDOW_S * 1000)
      .map((t, i) => ({ t, i }))
      .sort((a, b) => a.t - b.t);
    const bursts = Array.from({ length: Math.floor(WINDOW_S / BURST_EVERY_S) }, (_, k) => (k + 0.5) * BURST_EVERY_S * 1000);
    let pi = 0;
    let bi = 0;
    while (pi < pullAt.length || bi < bursts.length) {
      const nextPull = pullAt[pi]?.t ?? Infinity;
      const nextBurst = bursts[bi] ?? Infinity;
      const due = Math.min(nextPull, nextBurst);
      const wait = due - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
      if (nextPull <= nextBurst) {
        const a = agents[pullAt[pi++]!.i]!;
        // the workstation's whole cycle: the pull, then (after a successful sync) its negotiation
        // policies and its own approval requests (src/main/services/collections.ts), one after the other
        const tc = performance.now();
        const pulled = http
          .request<PullBody>(
            'POST',
            '/api/v1/sync/pull',
            { protocolVersion: PROTOCOL_VERSION, clientId: a.clientId, cursor: a.cursor },
            a.token,
          )
          .then((r) => {
            if (r.status === 200) a.cursor = r.body.cursor;
            return r;
          });
        record(pulls, 'pull', pulled);
        // what the pull's tokens say changed since the agent last fetched it (src/main/sync/org-versions.ts)
        const fetches = pulled.then(async (r) => {
          if (r.status !== 200) return;
          const now = r.body.orgData;
          for (const [kind, path] of [
            ['policies', '/api/v1/collections/policies'],
            ['approvals', '/api/v1/approvals/mine?since=0'],
            ['templates', '/api/v1/messages/templates'],
            ['compliance', '/api/v1/compliance/rules'],
          ] as const) {
            if (now && a.orgData && now[kind] === a.orgData[kind]) continue;
            const g = http.request('GET', path, undefined, a.token);
            record(gets, kind, g);
            await g;
          }
          a.orgData = now ?? null;
          cycles.add(performance.now() - tc);
        });
        inflight.push(fetches.catch(() => {}));
      } else {
        bi++;
        // distinct agents with no push in flight: a real client sends its outbox one push at a time
        const idle = agents.filter((x) => !x.pushing);
        for (let k = 0; k < BURST_AGENTS && idle.length > 0; k++) {
          const a = idle.splice(Math.floor(Math.random() * idle.length), 1)[0]!;
          a.pushing = true;
          const mutations = Array.from({ length: BURST_OUTCOMES }, () => ({
            id: a.nextMutation++,
            name: 'activity.log',
            clientTime: new Date().toISOString(),
            args: {
              id: randomUUID(),
              accountId: a.accounts[Math.floor(Math.random() * a.accounts.length)],
              channel: 'call',
              disposition: 'no_answer',
              startedAt: new Date().toISOString(),
              note: 'carga',
            },
          }));
          record(
            pushes,
            'push',
            http
              .request('POST', '/api/v1/sync/push', { protocolVersion: PROTOCOL_VERSION, clientId: a.clientId, mutations }, a.token)
              .finally(() => {
                a.pushing = false;
              }),
          );
        }
      }
    }
    await Promise.all(inflight);
    const elapsedS = (performance.now() - t0) / 1000;
    const peak = rss.peakMb();
    rss.stop();

    const [{ n: stored } = { n: 0 }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activities WHERE note = 'carga'`);
    const pushed = pushes.count * BURST_OUTCOMES;
    const p99 = all.percentile(99);
    const errors = all.errors;
    if (errors > 0) process.stderr.write(`load errors: ${JSON.stringify(Object.fromEntries(all.errorKinds))}\n`);
    return [
      { name: `agents × accounts each`, value: `${AGENTS} × ${PER_AGENT}`, unit: '' },
      {
        name: `requests in the ${WINDOW_S} s window (pulls + GETs of changed org data + pushes)`,
        value: `${pulls.count + pulls.errors} + ${gets.count + gets.errors} + ${pushes.count + pushes.errors}`,
        unit: 'req',
      },
      { name: 'achieved rate', value: (pulls.count + gets.count + pushes.count) / elapsedS, unit: 'req/s' },
      { name: 'pull p50', value: pulls.percentile(50), unit: 'ms' },
      { name: 'pull p99', value: pulls.percentile(99), unit: 'ms' },
      {
        name: 'whole workstation cycle (pull + GETs) p50 / p99',
        value: `${cycles.percentile(50).toFixed(1)} / ${cycles.percentile(99).toFixed(1)}`,
        unit: 'ms',
      },
      { name: `bursts: ${BURST_AGENTS} agents × ${BURST_OUTCOMES} outcomes every ${BURST_EVERY_S} s`, value: pushed, unit: 'outc.' },
      { name: `push (${BURST_OUTCOMES} outcomes) p50`, value: pushes.percentile(50), unit: 'ms' },
      { name: `push (${BURST_OUTCOMES} outcomes) p99`, value: pushes.percentile(99), unit: 'ms' },
      { name: 'all requests p99', value: p99, unit: 'ms', target: '< 100', ok: p99 < 100 },
      { name: 'max latency', value: all.max(), unit: 'ms' },
      { name: 'errors', value: errors, unit: '', target: '0', ok: errors === 0 },
      { name: 'outcomes pushed = stored once', value: `${pushed} = ${stored}`, unit: '', ok: pushed === stored },
      { name: 'warm-up full pull per agent p50', value: warm.percentile(50), unit: 'ms' },
      { name: 'server RSS after warm-up', value: rssAfterWarm, unit: 'MB' },
      { name: 'server peak RSS (VmHWM)', value: peak, unit: 'MB', target: '< 512', ok: peak < 512 },
    ];
  } finally {
    client.current?.close();
    await server?.kill();
    await db.close();
    await tdb.drop();
  }
}

function printTable(rows: BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const v = typeof r.value === 'number' ? (Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 2 : 1)) : r.value;
    console.log(
      `${r.name.padEnd(w)}  ${v.padStart(12)} ${r.unit.padEnd(5)} ${r.target ? `target ${r.target}` : ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchLoad().then(
    (rows) => {
      printTable(rows);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
