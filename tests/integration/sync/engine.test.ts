import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/main/store/store';
import { SyncEngine, type Clock } from '../../../src/main/sync/engine';
import { createServerClient, type FetchLike } from '../../../src/main/sync/transport';
import type { SyncState } from '../../../src/shared/api/contract';
import { login, startTestServer, type TestServer } from '../../helpers/server';

/** The engine alone, on a real store and the real server, with the network and clock in the test's hands. */
let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer({ backend: 'pglite', seed: { accounts: 90 } });
  dir = mkdtempSync(join(tmpdir(), 'engine-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A clock whose timers the test fires by hand. */
function manualClock() {
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const clock: Clock = {
    now: () => new Date(),
    setTimeout: (fn, ms) => {
      const t = { fn, ms };
      timers.push(t);
      return t;
    },
    clearTimeout: (h) => {
      const i = timers.indexOf(h as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  return { clock, timers };
}

async function setup(username: string, fetchImpl: FetchLike, over: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) {
  const { token, user } = await login(server, username, 'agente123');
  const store = LocalStore.open(join(dir, `${randomUUID()}.sqlite`), { agentId: user.id });
  const client = createServerClient({ serverUrl: server.url, fetch: fetchImpl, token: () => token });
  const states: SyncState[] = [];
  const engine = new SyncEngine({ store, server: client, onState: (s) => states.push(s), ...over });
  return { store, engine, states, user };
}

const realFetch: FetchLike = (url, init) => fetch(url, init);

describe('sync engine', () => {
  it('pulls in pages and reports progress', async () => {
    const { store, engine, states } = await setup('agente1', realFetch, { pullLimit: 10 });
    const s = await engine.sync();
    expect(s).toMatchObject({ online: true, syncing: false, progress: null, lastError: null });
    const progress = states.map((x) => x.progress).filter((p) => p !== null);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.total).toBe(store.listQueue({ limit: 1 }).total);
    expect(progress.map((p) => p!.done)).toEqual([...progress.map((p) => p!.done)].sort((a, b) => a - b));
    store.close();
  });

  it('a full disk is said as such, not as offline, and clears once a sync fits again', async () => {
    const { store, engine } = await setup('agente1', realFetch, { pullLimit: 10 });
    // the store may not grow: the pull's pages fail with SQLITE_FULL, as on a full disk
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    const full = await engine.sync();
    // the server answered: it is not offline that is reported
    expect(full).toMatchObject({ storageFull: true, online: true, lastError: 'storage.full', syncing: false });
    store.db.pragma('max_page_count = 1073741823');
    const ok = await engine.sync();
    expect(ok).toMatchObject({ storageFull: false, online: true, lastError: null });
    await engine.stop();
    store.close();
  });

  it('builds the indexes a full pull left for later one per timer turn after the sync, and not once stopped', async () => {
    const { clock, timers } = manualClock();
    const { store, engine } = await setup('agente2', realFetch, { pullLimit: 10, clock });
    await engine.sync();
    const owed = store.pendingIndexCount();
    expect(owed).toBeGreaterThan(1);
    const build = timers.find((t) => t.ms === 0)!;
    expect(build).toBeDefined();
    timers.splice(timers.indexOf(build), 1);
    build.fn();
    expect(store.pendingIndexCount()).toBe(owed - 1);
    for (let t = timers.find((x) => x.ms === 0); t; t = timers.find((x) => x.ms === 0)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    expect(store.pendingIndexCount()).toBe(0);
    expect(store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'accounts_fts_insert'`).pluck().get()).toBe(1);
    // a store whose engine stopped keeps what is owed for the next open
    const other = await setup('agente3', realFetch, { pullLimit: 10, clock });
    await other.engine.sync();
    expect(other.store.pendingIndexCount()).toBeGreaterThan(0);
    await other.engine.stop();
    expect(timers.some((t) => t.ms === 0)).toBe(false);
    store.close();
    other.store.close();
  });

  it('a reopened store owing indexes gets them from the engine, even when its first cycle is offline', async () => {
    const { clock, timers } = manualClock();
    const first = await setup('agente3', realFetch, { pullLimit: 10, clock });
    await first.engine.sync();
    const owed = first.store.pendingIndexCount();
    expect(owed).toBeGreaterThan(1);
    await first.engine.stop();
    const file = first.store.db.name;
    first.store.close(); // the app quits before they were built
    timers.length = 0;

    const store = LocalStore.open(file, { agentId: first.user.id });
    expect(store.pendingIndexCount()).toBe(owed); // opening did not build them
    const offline: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    const client = createServerClient({ serverUrl: server.url, fetch: offline, token: () => 'none' });
    const engine = new SyncEngine({ store, server: client, clock });
    const s = await engine.sync();
    expect(s.online).toBe(false);
    for (let t = timers.find((x) => x.ms === 0); t; t = timers.find((x) => x.ms === 0)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
    expect(store.pendingIndexCount()).toBe(0);
    expect(store.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'accounts_fts_insert'`).pluck().get()).toBe(1);
    await engine.stop();
    store.close();
  });

  it('a write made while a pull is applying is kept and sent by a follow-up cycle', async () => {
    let hold: (() => void) | null = null;
    let pulls = 0;
    const slowPull: FetchLike = async (url, init) => {
      if (url.endsWith('/sync/pull') && ++pulls === 2)
        await new Promise<void>((r) => {
          hold = r;
        });
      return realFetch(url, init);
    };
    const { store, engine } = await setup('agente2', slowPull, { pullLimit: 1000 });
    await engine.sync(); // pull 1: initial
    const accountId = store.listQueue({ limit: 1 }).rows[0]!.accountId;
    const running = engine.sync(); // pull 2 is held
    while (!hold) await new Promise((r) => setTimeout(r, 5));
    const noteId = randomUUID();
    store.write([
      { name: 'note.add', args: { id: noteId, accountId, body: 'durante la sincronización', createdAt: new Date().toISOString() } },
    ]);
    const joined = engine.sync(); // joins, marks dirty
    (hold as () => void)();
    await running;
    const s = await joined;
    expect(s.pending).toBe(0);
    expect(store.getAccount(accountId)!.notes.find((n) => n.id === noteId)?.recordedAt).not.toBeNull();
    store.close();
  });

  it('network errors back off with growing delays; the next success resets them', async () => {
    let down = true;
    const flaky: FetchLike = async (url, init) => {
      if (down) throw new TypeError('fetch failed');
      return realFetch(url, init);
    };
    const { clock, timers } = manualClock();
    const { store, engine } = await setup('agente3', flaky, { clock, random: () => 0.5, intervalMs: 30_000 });
    engine.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      while (engine.getState().syncing || timers.length === 0) await new Promise((r) => setTimeout(r, 5));
      expect(engine.getState()).toMatchObject({ online: false });
      delays.push(timers[0]!.ms);
      timers.shift()!.fn();
    }
    expect(delays).toEqual([750, 1500, 3000, 6000]);
    while (engine.getState().syncing || timers.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(timers[0]!.ms).toBe(12_000);
    down = false;
    timers.shift()!.fn();
    while (engine.getState().syncing || timers.length === 0) await new Promise((r) => setTimeout(r, 5));
    while (engine.getState().syncing || timers.length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(engine.getState()).toMatchObject({ online: true, lastError: null });
    expect(timers[0]!.ms).toBe(30_000);
    await engine.stop();
    store.close();
  });

  it('pushes a long outbox in batches of at most 1000, in order', async () => {
    const batches: number[][] = [];
    const spy: FetchLike = async (url, init) => {
      if (url.endsWith('/sync/push'))
        batches.push((JSON.parse(init.body!) as { mutations: Array<{ id: number }> }).mutations.map((m) => m.id));
      return realFetch(url, init);
    };
    const { store, engine } = await setup('agente1', spy);
    await engine.sync();
    const accountId = store.listQueue({ limit: 1 }).rows[0]!.accountId;
    for (let i = 0; i < 2001; i++) {
      store.write([{ name: 'note.add', args: { id: randomUUID(), accountId, body: `n${i}`, createdAt: new Date().toISOString() } }]);
    }
    const s = await engine.sync();
    expect(s.pending).toBe(0);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 1]);
    expect(batches.flat()).toEqual(Array.from({ length: 2001 }, (_, i) => i + 1));
    store.close();
  });
});
