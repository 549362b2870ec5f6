import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkstation } from '../../../src/main/services';
import { storeFile } from '../../../src/main/services/paths';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { seedDemo } from '../../../src/server/demo/seed';
import { API } from '../../../src/shared/api/contract';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { startTestServer, type TestServer } from '../../helpers/server';
import { freePort, runTs, startServerProcess } from './processes';
import { openRawStore } from '../../helpers/raw-store';

/**
 * Crash safety. A workstation in a child process is killed with SIGKILL while it writes and
 * while it syncs; whatever it had reported as committed locally must be in its store after the
 * restart and on the server exactly once after a sync. The server, killed or stopped in the
 * middle of a big push, must neither lose the batch nor apply it twice.
 */
const CHILD = 'tests/integration/adversarial/crash-child.ts';

interface Acked {
  activities: Set<string>;
  promises: Set<string>;
}

function parseAcks(lines: string[], into: Acked): void {
  for (const l of lines) {
    const m = /^ACK (\S+) (\S+)$/.exec(l);
    if (!m) continue;
    into.activities.add(m[1]!);
    if (m[2] !== '-') into.promises.add(m[2]!);
  }
}

function readStore(dataDir: string, serverUrl: string, userId: string) {
  const db = openRawStore(dataDir, serverUrl, userId, { readonly: true, fileMustExist: true });
  try {
    return {
      activities: new Map(
        (
          db.prepare(`SELECT id, promise_id FROM activities WHERE note LIKE 'crash %'`).all() as Array<{
            id: string;
            promise_id: string | null;
          }>
        ).map((r) => [r.id, r.promise_id]),
      ),
      promises: new Set((db.prepare('SELECT id FROM promises').all() as Array<{ id: string }>).map((r) => r.id)),
      highestMutationId:
        (db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined)?.seq ?? 0,
    };
  } finally {
    db.close();
  }
}

describe('workstation killed with SIGKILL', () => {
  let server: TestServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startTestServer({ backend: 'pg', seed: { accounts: 40 } });
    // Every request is slowed down, so a good share of the time a sync cycle is in flight.
    proxy = await startFaultProxy({ target: server.url, seed: 99, weights: { pass: 1, delay: 3 }, maxDelayMs: 250 });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('mid-write and mid-sync: every locally acknowledged write survives and reaches the server exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crash-ws-'));
    const acked: Acked = { activities: new Set(), promises: new Set() };
    let killedMidSync = 0;
    try {
      for (let round = 0; round < 6; round++) {
        const child = runTs(CHILD, { DATA_DIR: dataDir, SERVER_URL: proxy.url, USERNAME: 'agente1', PASSWORD: 'agente123' });
        try {
          await child.waitFor((l) => l.startsWith('READY'), 60_000);
          if (round % 2 === 0) {
            // mid-write: the loop commits every millisecond or so; kill at an arbitrary moment in it
            await child.waitFor((l) => l.startsWith('ACK'));
            await new Promise((r) => setTimeout(r, 50 + round * 40));
          } else {
            // mid-sync: wait for writes, then kill the moment a sync cycle starts
            const before = child.lines.length;
            await child.waitFor((l) => l.startsWith('ACK'));
            await child.waitFor((l) => l.startsWith('SYNC 1') && child.lines.indexOf(l) >= before, 20_000);
            const syncLine = child.lines.length;
            await new Promise((r) => setTimeout(r, 20));
            // still syncing (no "SYNC 0" since): this kill lands inside the cycle
            if (!child.lines.slice(syncLine).some((l) => l.startsWith('SYNC 0'))) killedMidSync++;
          }
        } finally {
          const { signal } = await child.kill();
          parseAcks(child.lines, acked);
          if (signal !== 'SIGKILL') throw new Error(`child ended by itself (${signal}): ${child.stderr().slice(-2000)}`);
        }
      }
      expect(acked.activities.size).toBeGreaterThan(20);
      expect(killedMidSync).toBeGreaterThan(0);

      // After the crashes, before any further sync: everything acknowledged is in the store, and
      // each outcome-with-promise is whole (both mutations or neither).
      const session = JSON.parse(readFileSession(dataDir));
      const file = storeFile(dataDir, proxy.url, session.userId);
      const local = readStore(dataDir, proxy.url, session.userId);
      for (const id of acked.activities) expect(local.activities.has(id), `acked activity ${id} missing from the store`).toBe(true);
      for (const id of acked.promises) expect(local.promises.has(id), `acked promise ${id} missing from the store`).toBe(true);
      for (const [id, promiseId] of local.activities)
        if (promiseId) expect(local.promises.has(promiseId), `activity ${id} without its promise`).toBe(true);

      // Restart the workstation here (same data dir, same server URL) and sync through a clean network.
      proxy.setMode('pass');
      const ws = await createWorkstation({ dataDir, defaultServerUrl: proxy.url, syncIntervalMs: 3_600_000, tickMs: 3_600_000 });
      try {
        let state = await ws.handlers.syncNow(undefined);
        for (let i = 0; i < 20 && (state.pending > 0 || state.lastError); i++) state = await ws.handlers.syncNow(undefined);
        expect(state).toMatchObject({ pending: 0, lastError: null, rejected: [] });
        const clientId = (await ws.handlers.getSession(undefined))!.clientId;
        const after = readStore(dataDir, proxy.url, session.userId);

        // Exactly once on the server: every activity the store holds (acknowledged or committed
        // just before a kill), no other, each once; the server processed every mutation id.
        const rows = await server.db.query<{ id: string; n: number }>(
          `SELECT id::text, count(*)::int AS n FROM activities WHERE note LIKE 'crash %' GROUP BY id`,
        );
        expect(rows.every((r) => r.n === 1)).toBe(true);
        expect(new Set(rows.map((r) => r.id))).toEqual(new Set(after.activities.keys()));
        for (const id of acked.activities) expect(rows.some((r) => r.id === id)).toBe(true);
        const proms = await server.db.query<{ id: string }>('SELECT id::text FROM promises WHERE id = ANY($1::uuid[])', [
          [...acked.promises],
        ]);
        expect(proms.length).toBe(acked.promises.size);
        const [client] = await server.db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [
          clientId,
        ]);
        expect(client?.last).toBe(after.highestMutationId);
      } finally {
        await ws.close();
      }
    } finally {
      proxy.setMode('faulty');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(what)), ms))]);
}

function readFileSession(dataDir: string): string {
  return readFileSync(join(dataDir, 'session.json'), 'utf8');
}

describe('server killed or stopped in the middle of a big push', () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase('crash');
    db = await openDb({ url: tdb.url });
    await migrate(db);
    await seedDemo(db, { accounts: 30 });
  });
  afterAll(async () => {
    await db?.close();
    await tdb?.drop();
  });

  it('SIGKILL of the server process mid-batch: the batch rolls back whole, the retry applies it once', async () => {
    const port = await freePort();
    let srv = await startServerProcess(tdb.url, port);
    const pushArrived: Array<() => void> = [];
    const proxy = await startFaultProxy({
      target: `http://127.0.0.1:${port}`,
      seed: 5,
      mode: 'offline',
      plan: (req) => {
        if (req.path.includes('/sync/push')) for (const f of pushArrived.splice(0)) f();
        return 'pass';
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'crash-srv-'));
    const ws = await createWorkstation({ dataDir: dir, defaultServerUrl: proxy.url, syncIntervalMs: 3_600_000, tickMs: 3_600_000 });
    try {
      proxy.setMode('pass');
      await ws.handlers.login(API.login.input.parse({ username: 'agente2', password: 'agente123' }));
      await ws.handlers.syncNow(undefined);
      const session = (await ws.handlers.getSession(undefined))!;
      const accounts = (await ws.handlers.listQueue(API.listQueue.input.parse({ limit: 50, contactableOnly: false }))).rows.map(
        (r) => r.accountId,
      );

      proxy.setMode('offline');
      const ids: string[] = [];
      for (let i = 0; i < 1200; i++) {
        const r = await ws.handlers.logOutcome(
          API.logOutcome.input.parse({
            accountId: accounts[i % accounts.length],
            channel: 'sms',
            disposition: 'message_sent',
            note: `batch #${i}`,
            direction: 'inbound', // inbound: logged outbound contacts are checked like placing them (refused at night, or twice a day); this test is about sync
          }),
        );
        ids.push(r.activityId);
      }
      // let the attempt made while offline fail, so the next cycle starts clean
      expect((await ws.handlers.syncNow(undefined)).pending).toBe(1200);

      // Back online; the moment the first push reaches the server, give it 40 ms inside the
      // 1,000-mutation transaction and kill it.
      const arrived = new Promise<void>((r) => pushArrived.push(r));
      proxy.setMode('faulty'); // the plan only passes, but sees each request
      const syncing = ws.handlers.syncNow(undefined);
      await withTimeout(arrived, 20_000, 'no push reached the server');
      await new Promise((r) => setTimeout(r, 40));
      await srv.kill();
      const afterKill = await syncing;
      expect(afterKill.pending).toBe(1200);
      expect(afterKill.lastError).not.toBeNull();
      const [mid] = await db.query<{ last: number | null }>(
        'SELECT max(last_mutation_id)::int AS last FROM sync_clients WHERE client_id = $1',
        [session.clientId],
      );
      // the batch in flight was not committed: nothing of it is on the server
      expect(mid?.last ?? 0).toBe(0);
      const [partial] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM activities WHERE id = ANY($1::uuid[])`, [ids]);
      expect(partial?.n).toBe(0);

      srv = await startServerProcess(tdb.url, port);
      let state = await ws.handlers.syncNow(undefined);
      for (let i = 0; i < 10 && (state.pending > 0 || state.lastError); i++) state = await ws.handlers.syncNow(undefined);
      expect(state).toMatchObject({ pending: 0, lastError: null, rejected: [] });
      const counts = await db.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM activities WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(counts[0]).toEqual({ n: 1200, distinct: 1200 });
      const [done] = await db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [
        session.clientId,
      ]);
      expect(done?.last).toBe(1200);
    } finally {
      await ws.close();
      await proxy.close();
      await srv.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('stop() while a push is in flight, restart(): nothing lost, nothing applied twice', async () => {
    const server = await startTestServer({ backend: 'pg', seed: { accounts: 30 } });
    const pushArrived: Array<() => void> = [];
    const proxy = await startFaultProxy({
      target: server.url,
      seed: 6,
      mode: 'pass',
      plan: (req) => {
        if (req.path.includes('/sync/push')) for (const f of pushArrived.splice(0)) f();
        return 'pass';
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'stop-srv-'));
    const ws = await createWorkstation({ dataDir: dir, defaultServerUrl: proxy.url, syncIntervalMs: 3_600_000, tickMs: 3_600_000 });
    try {
      await ws.handlers.login(API.login.input.parse({ username: 'agente3', password: 'agente123' }));
      await ws.handlers.syncNow(undefined);
      const session = (await ws.handlers.getSession(undefined))!;
      const accounts = (await ws.handlers.listQueue(API.listQueue.input.parse({ limit: 50, contactableOnly: false }))).rows.map(
        (r) => r.accountId,
      );
      proxy.setMode('offline');
      const ids: string[] = [];
      for (let i = 0; i < 1100; i++) {
        ids.push(
          (await ws.handlers.addNote(API.addNote.input.parse({ accountId: accounts[i % accounts.length], body: `nota ${i}` }))).noteId,
        );
      }
      expect((await ws.handlers.syncNow(undefined)).pending).toBe(1100);
      const arrived = new Promise<void>((r) => pushArrived.push(r));
      proxy.setMode('faulty'); // the plan only passes, but sees each request
      const syncing = ws.handlers.syncNow(undefined);
      await withTimeout(arrived, 20_000, 'no push reached the server');
      await new Promise((r) => setTimeout(r, 20));
      await server.stop();
      await syncing;
      await server.restart();
      let state = await ws.handlers.syncNow(undefined);
      for (let i = 0; i < 10 && (state.pending > 0 || state.lastError); i++) state = await ws.handlers.syncNow(undefined);
      expect(state).toMatchObject({ pending: 0, lastError: null, rejected: [] });
      const [c] = await server.db.query<{ n: number; distinct: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM notes WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      expect(c).toEqual({ n: 1100, distinct: 1100 });
      const [done] = await server.db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [
        session.clientId,
      ]);
      expect(done?.last).toBe(1100);
    } finally {
      await ws.close();
      await proxy.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
