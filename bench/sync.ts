// Sync speed: initial sync of 100,000 accounts into an empty store (and its ratio to the floor
// measured in the same run), 1,000 queued mutations pushed and acknowledged, and a pull with
// nothing new (with the SQL it runs, and the plan of each statement that reads a table).
// Run alone: `npx tsx bench/sync.ts` (SYNC_ACCOUNTS overrides 100,000).
import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createWorkstation, type Workstation } from '../src/main/services';
import { storeFile } from '../src/main/services/paths';
import { migrate as migrateStore } from '../src/main/store/migrate';
import { createServer } from '../src/server/app';
import type { Db } from '../src/server/db';
import { API, type SyncState } from '../src/shared/api/contract';
import { PROTOCOL_VERSION } from '../src/shared/sync/protocol';
import { PULL_PAGE_ACCOUNTS } from '../src/main/sync/engine';
import { freePort, startServerProcess } from '../tests/integration/adversarial/processes';
import { call, login, startTestServer } from '../tests/helpers/server';
import { seedBulkAccounts } from '../tests/torture/bulk-seed';
import { openRawStore } from '../tests/helpers/raw-store';

export interface BenchRow {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  ok?: boolean;
}

const ACCOUNTS = Number(process.env.SYNC_ACCOUNTS ?? 100_000);

/** A Db that records every statement, also inside transactions (to count a request's queries). */
function recording(db: Db, log: string[]): Db {
  return {
    kind: db.kind,
    query: (sql, params) => {
      log.push(sql.replace(/\s+/g, ' ').trim());
      return db.query(sql, params);
    },
    exec: (sql) => {
      log.push(sql);
      return db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn(recording(tx, log))),
    close: () => db.close(),
  };
}

/** The real app on a fixed port over `db`, recording statements; stop() and start() again like a restart. */
async function recordingServer(db: Db, log: string[]) {
  let app = createServer({ db: recording(db, log) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  let up = true;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (up) {
        up = false;
        await app.close();
      }
    },
    async start() {
      app = createServer({ db: recording(db, log) });
      await app.listen({ port, host: '127.0.0.1' });
      up = true;
    },
  };
}

async function syncUntilQuiet(ws: Workstation): Promise<SyncState> {
  let s = await ws.handlers.syncNow(undefined);
  for (let i = 0; i < 10 && (s.pending > 0 || s.lastError); i++) s = await ws.handlers.syncNow(undefined);
  if (s.lastError) throw new Error(`sync failed: ${s.lastError}`);
  return s;
}

/**
 * The floor: the least work any sync of these rows must do — read them from PostgreSQL, turn
 * them into JSON and back (the wire), insert them into an empty client store in one
 * transaction — with none of the protocol, paging, validation, rebase, queue columns or
 * secondary indexes (the store's tables keep only their primary keys, as a full pull keeps
 * them while it inserts).
 */
async function floor(db: Db, agentId: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-floor-'));
  const store = new Database(join(dir, 'floor.sqlite'));
  try {
    // the client store's own settings (src/main/store/store.ts: WAL, a 128 MB page cache, pulled
    // pages under synchronous=NORMAL); with SQLite's default 2 MB cache the floor's index inserts
    // thrash at 100k rows and the floor would look several times slower than it is
    store.pragma('journal_mode = WAL');
    store.pragma('synchronous = NORMAL');
    store.pragma('cache_size = -131072');
    migrateStore(store);
    for (const { type, name } of store
      .prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL`)
      .all() as Array<{ type: string; name: string }>) {
      store.exec(`DROP ${type === 'index' ? 'INDEX' : 'TRIGGER'} ${name}`);
    }
    const t0 = performance.now();
    const accounts = await db.query<Record<string, unknown>>(
      `SELECT id, org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date::text,
              installments_total, installments_paid, installment_amount_minor, status, assigned_agent_id, callback_at,
              callback_note, last_contact_at, version::text FROM accounts WHERE assigned_agent_id = $1`,
      [agentId],
    );
    const debtors = await db.query<Record<string, unknown>>(
      `SELECT d.id, d.org_id, d.external_id, d.name, d.national_id, d.country, d.time_zone, d.debtor_type, d.segment,
              d.contact_prefs::text AS contact_prefs, d.version::text FROM debtors d
       WHERE d.id IN (SELECT debtor_id FROM accounts WHERE assigned_agent_id = $1)`,
      [agentId],
    );
    const cps = await db.query<Record<string, unknown>>(
      `SELECT c.id, c.debtor_id, c.kind, c.value, c.label, c.verified::int AS verified, c.invalid::int AS invalid,
              c.do_not_contact::int AS do_not_contact, c.version::text FROM contact_points c
       WHERE c.debtor_id IN (SELECT debtor_id FROM accounts WHERE assigned_agent_id = $1)`,
      [agentId],
    );
    const wire = JSON.parse(JSON.stringify({ accounts, debtors, cps })) as {
      accounts: typeof accounts;
      debtors: typeof debtors;
      cps: typeof cps;
    };
    const insert = (table: string, rows: Record<string, unknown>[]) => {
      if (rows.length === 0) return;
      const cols = Object.keys(rows[0]!);
      const st = store.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`);
      for (const r of rows) st.run(r);
    };
    store.transaction(() => {
      insert('debtors', wire.debtors);
      insert('accounts', wire.accounts);
      insert('contact_points', wire.cps);
    })();
    const ms = performance.now() - t0;
    const n = store.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number };
    if (n.n !== accounts.length) throw new Error('floor: rows missing');
    return ms;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSync(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const server = await startTestServer({ backend: 'pg', seed: { accounts: 30 } });
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const cleanup = [dir];
  let ws: Workstation | null = null;
  let host: Awaited<ReturnType<typeof recordingServer>> | null = null;
  try {
    const agentId = server.seed!.users.agente1!;
    const tSeed = performance.now();
    await seedBulkAccounts(server.db, { orgId: server.seed!.orgId, agentIds: [agentId], accounts: ACCOUNTS });
    await server.db.exec('VACUUM ANALYZE');
    const [{ n: visible } = { n: 0 }] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM accounts WHERE assigned_agent_id = $1',
      [agentId],
    );
    process.stderr.write(`bench sync: seeded ${ACCOUNTS} accounts in ${((performance.now() - tSeed) / 1000).toFixed(1)} s\n`);

    // The server under test: the real app over the test database, with every statement recorded
    // (to count what each request costs). stop()/start() keep the port, like a restarted server.
    const log: string[] = [];
    host = await recordingServer(server.db, log);
    await server.stop();

    // 1. initial sync into an empty store: login, then the full paged pull — from the server in
    // its own process, as in production (in this one it would take turns with the client on one
    // JavaScript thread); the workstation keeps its data dir for the later parts
    const child = await startServerProcess(server.databaseUrl!, await freePort());
    const childUrl = /listening on (\S+)/.exec(child.lines.find((l) => l.includes('listening on')) ?? '')?.[1];
    if (!childUrl) throw new Error('server process did not say where it listens');
    let s: SyncState;
    let initialMs: number;
    let indexedMs: number;
    let initialCpu: NodeJS.CpuUsage;
    let rawMs: number;
    let rawPages = 0;
    try {
      ws = await createWorkstation({ dataDir: dir, defaultServerUrl: childUrl, syncIntervalMs: 3_600_000, tickMs: 3_600_000 });
      await ws.handlers.login(API.login.input.parse({ username: 'agente1', password: 'agente123' }));
      // login starts the engine, whose first cycle is the initial sync: time from here to quiet
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      s = await syncUntilQuiet(ws);
      initialMs = performance.now() - t0;
      initialCpu = process.cpuUsage(c0);
      const page = await ws.handlers.listQueue(API.listQueue.input.parse({ limit: 1, contactableOnly: false }));
      if (page.total !== visible) throw new Error(`initial sync: store has ${page.total} accounts, server ${visible}`);
      if (s.pending !== 0) throw new Error('initial sync left pending mutations');
      // the sort and search indexes the engine builds after the sync, while the queue is in use
      const session = (await ws.handlers.getSession(undefined))!;
      const probe = openRawStore(dir, childUrl, session.user.id, { readonly: true });
      const pending = probe.prepare(`SELECT count(*) FROM meta WHERE key = 'pendingIndexes'`).pluck();
      while (pending.get() !== 0) await new Promise((r) => setTimeout(r, 20));
      indexedMs = performance.now() - t0;
      probe.close();
      // Where the time goes: the same full pull as raw HTTP pages from the same server (server
      // + wire + JSON.parse, no validation, no store).
      const { token: rawToken } = await login({ url: childUrl }, 'agente1', 'agente123');
      const tRaw = performance.now();
      let rawCursor: string | null = null;
      for (;;) {
        const r: { status: number; body: { cursor: string; hasMore: boolean } } = await call(
          { url: childUrl },
          'POST',
          '/api/v1/sync/pull',
          {
            token: rawToken,
            body: { protocolVersion: PROTOCOL_VERSION, clientId: randomUUID(), cursor: rawCursor, limit: PULL_PAGE_ACCOUNTS, tuples: true },
          },
        );
        if (r.status !== 200) throw new Error(`raw pull: ${r.status}`);
        rawPages++;
        rawCursor = r.body.cursor;
        if (!r.body.hasMore) break;
      }
      rawMs = performance.now() - tRaw;
    } finally {
      await ws?.close();
      ws = null;
      await child.kill();
    }
    const cf = process.cpuUsage();
    const floorMs = await floor(server.db, agentId);
    const floorCpu = process.cpuUsage(cf);
    const cpuS = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;
    rows.push({
      name: `initial sync, ${visible.toLocaleString('en')} accounts (login → store ready)`,
      value: initialMs / 1000,
      unit: 's',
      target: '< 5',
      ok: initialMs < 5000,
    });
    rows.push({ name: '  … and every sort and search index built (background, after ready)', value: indexedMs / 1000, unit: 's' });
    rows.push({ name: 'floor: PG read + JSON round trip + SQLite insert (1 tx)', value: floorMs / 1000, unit: 's' });
    rows.push({ name: 'initial sync / floor', value: initialMs / floorMs, unit: '×' });
    // on a shared, loaded machine wall time includes waiting for a core; CPU time of this process
    // (the client; the server and PostgreSQL run in others) is the steadier comparison
    rows.push({
      name: '  … CPU of the client process: initial sync / floor',
      value: `${cpuS(initialCpu).toFixed(2)} / ${cpuS(floorCpu).toFixed(2)} s = ${(cpuS(initialCpu) / cpuS(floorCpu)).toFixed(2)}`,
      unit: '×',
    });
    rows.push({ name: `  … of which server + wire (same pull as raw HTTP, ${rawPages} pages)`, value: rawMs / 1000, unit: 's' });
    rows.push({ name: '  … of which client (validate + apply + queue columns)', value: Math.max(0, initialMs - rawMs) / 1000, unit: 's' });

    // 2. 1,000 mutations queued offline, then pushed: time until the server acknowledged them all.
    // A workstation of the recording server (this process, counting statements), synced first.
    const dir2 = mkdtempSync(join(tmpdir(), 'bench-sync-'));
    cleanup.push(dir2);
    ws = await createWorkstation({ dataDir: dir2, defaultServerUrl: host.url, syncIntervalMs: 3_600_000, tickMs: 3_600_000 });
    await ws.handlers.login(API.login.input.parse({ username: 'agente1', password: 'agente123' }));
    await syncUntilQuiet(ws);
    const accountIds = (await ws.handlers.listQueue(API.listQueue.input.parse({ limit: 200, contactableOnly: false }))).rows.map(
      (r) => r.accountId,
    );
    await host.stop();
    for (let i = 0; i < 1000; i++) {
      await ws.handlers.logOutcome(
        API.logOutcome.input.parse({
          // inbound (the debtor called): 1,000 outbound outcomes on 200 accounts would rightly be refused by the daily caps
          accountId: accountIds[i % accountIds.length],
          channel: 'call',
          direction: 'inbound',
          disposition: 'no_answer',
          note: `bench ${i}`,
        }),
      );
    }
    const offline = await ws.handlers.syncNow(undefined); // fails fast: server down
    if (offline.pending !== 1000) throw new Error(`expected 1000 pending, got ${offline.pending}`);
    await host.start();
    log.length = 0;
    let ackedAt = 0;
    const off = ws.events.onSyncState((st) => {
      if (st.pending === 0 && ackedAt === 0) ackedAt = performance.now();
    });
    const tPush = performance.now();
    await syncUntilQuiet(ws);
    const cycleMs = performance.now() - tPush;
    off();
    const pushMs = (ackedAt || performance.now()) - tPush;
    const [{ n: onServer } = { n: 0 }] = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM activities WHERE note LIKE 'bench %'`,
    );
    if (onServer !== 1000) throw new Error(`push: ${onServer} of 1000 on the server`);
    const pushStatements = log.length;
    rows.push({ name: 'push 1,000 queued mutations → acknowledged', value: pushMs, unit: 'ms', target: '< 1000', ok: pushMs < 1000 });
    rows.push({ name: '  … SQL statements per pushed mutation (push + pull back)', value: pushStatements / 1000, unit: 'stmts' });
    rows.push({ name: '  … whole cycle incl. pulling them back', value: cycleMs, unit: 'ms' });

    // 3. pull with nothing new: the engine's cycle, and the raw request's SQL
    const idle: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await ws.handlers.syncNow(undefined);
      idle.push(performance.now() - t);
    }
    idle.sort((a, b) => a - b);
    const idleMs = idle[Math.floor(idle.length / 2)]!;
    rows.push({ name: 'sync with nothing new (engine cycle, median of 30)', value: idleMs, unit: 'ms' });

    const session = (await ws.handlers.getSession(undefined))!;
    const store = openRawStore(dir2, host.url, session.user.id, { readonly: true });
    const cursor = (store.prepare(`SELECT value FROM meta WHERE key = 'cursor'`).get() as { value: string } | undefined)?.value ?? null;
    store.close();
    if (!cursor) throw new Error('no cursor in the store after sync');
    const { token } = await login(host, 'agente1', 'agente123');
    const raw: number[] = [];
    let statements: string[] = [];
    for (let i = 0; i < 30; i++) {
      log.length = 0;
      const t = performance.now();
      const r = await call(host, 'POST', '/api/v1/sync/pull', {
        token,
        body: { protocolVersion: PROTOCOL_VERSION, clientId: session.clientId, cursor },
      });
      raw.push(performance.now() - t);
      if (r.status !== 200 || r.body.patch.accounts.length !== 0)
        throw new Error(`idle pull: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      statements = [...log];
    }
    raw.sort((a, b) => a - b);
    // Statements that read a table, planned as PostgreSQL would at scale (seq scans disabled, so
    // a query with no usable index still shows "Seq Scan"): each must be an index lookup.
    const tableReads = statements.filter((q) => /\bFROM\s+(?!change_version)\w+/i.test(q));
    const plans: string[] = [];
    for (const q of tableReads) {
      // the session lookup: the token's hash, and the idle timeout in seconds where it takes one
      const params = q.includes('token_hash')
        ? ['0'.repeat(64), ...(q.includes('$2') ? [43_200] : [])]
        : q.includes('$3')
          ? [session.clientId, session.user.orgId, session.user.id] // the client row and the org data tokens
          : q.includes('$1')
            ? [session.clientId]
            : [];
      const plan = await server.db.transaction(async (tx) => {
        await tx.query('SET LOCAL enable_seqscan = off');
        return tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q}`, params);
      });
      plans.push(plan.map((p) => p['QUERY PLAN'].trim()).join(' | '));
    }
    const seqScans = plans.filter((p) => /Seq Scan/.test(p)).length;
    rows.push({ name: 'pull with nothing new (raw HTTP, median of 30)', value: raw[Math.floor(raw.length / 2)]!, unit: 'ms' });
    rows.push({ name: 'idle pull: SQL statements (auth, head, client)', value: statements.length, unit: 'stmts' });
    rows.push({ name: 'idle pull: of which read a table, each by index', value: tableReads.length, unit: 'stmts', ok: seqScans === 0 });
    rows.push({
      name: 'idle pull: sync statements beyond auth',
      value: statements.filter((q) => !q.includes('token_hash')).length,
      unit: 'stmts',
    });
    if (process.env.BENCH_VERBOSE || import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
      process.stderr.write(
        `idle pull statements:\n${statements.map((q) => `  - ${q.slice(0, 140)}`).join('\n')}\nplans (seq scans off):\n${plans.map((p) => `  - ${p.slice(0, 160)}`).join('\n')}\n`,
      );
    }
    await host.stop();
    return rows;
  } finally {
    await ws?.close();
    await host?.stop();
    await server.close();
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  }
}

function printTable(rows: BenchRow[]): void {
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const v = typeof r.value === 'number' ? (Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(r.value < 10 ? 2 : 1)) : r.value;
    console.log(
      `${r.name.padEnd(w)}  ${v.padStart(9)} ${r.unit.padEnd(5)} ${r.target ? `target ${r.target}` : ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'MISSED'}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchSync().then(
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
