import type { SyncState } from '../../shared/api/contract';
import { recordOrgDataVersions } from './org-versions';
import type { LocalStore } from '../store/store';
import { isDiskFull } from '../store/disk-full';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { SyncHttpError, type ServerClient } from './transport';

export interface Clock {
  now(): Date;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Accounts per pulled page. Each page is one transaction, and each commit rewrites the index
 * pages it touched (ids are random, so nearly all of them): at 100k accounts, 10 pages of
 * 10,000 commit about half of what 20 pages of 5,000 do. A page of 10,000 is ~7 MB of JSON (tuples).
 */
export const PULL_PAGE_ACCOUNTS = 10_000;

export interface SyncEngineOptions {
  store: LocalStore;
  server: ServerClient;
  clock?: Clock;
  random?: () => number;
  intervalMs?: number;
  pushBatch?: number;
  pullLimit?: number;
  backoff?: BackoffOptions;
  onState?: (s: SyncState) => void;
  /** Accounts a pulled page changed (null: too many to list). */
  onDataChanged?: (accountIds: string[] | null) => void;
}

/**
 * Push the outbox in order, then pull until the server has nothing more, one transaction per
 * page. One cycle at a time: a write during a cycle asks for another one and it
 * follows at once, so nothing written while a pull applies waits 30 s (or is lost: the store
 * re-applies pending writes on top of every page).
 */
export class SyncEngine {
  private state: SyncState;
  private running: Promise<void> | null = null;
  /** Cycles asked for and cycles done, counted so a caller can wait for one that started after it asked. */
  private requested = 0;
  private completed = 0;
  private failures = 0;
  private timer: unknown = null;
  private indexTimer: unknown = null;
  private started = false;
  private stopped = false;
  private readonly clock: Clock;
  private readonly o: Required<Pick<SyncEngineOptions, 'intervalMs' | 'pushBatch' | 'pullLimit' | 'backoff' | 'random'>>;

  constructor(private readonly opts: SyncEngineOptions) {
    this.clock = opts.clock ?? systemClock;
    this.o = {
      intervalMs: opts.intervalMs ?? 30_000,
      pushBatch: Math.min(opts.pushBatch ?? 1000, 1000),
      pullLimit: opts.pullLimit ?? PULL_PAGE_ACCOUNTS,
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      random: opts.random ?? Math.random,
    };
    this.state = {
      online: false,
      syncing: false,
      pending: opts.store.pendingCount(),
      lastSuccessAt: opts.store.getMeta('lastSyncAt'),
      lastError: null,
      updateRequired: false,
      authRequired: false,
      progress: null,
      rejected: opts.store.rejected(),
    };
  }

  getState(): SyncState {
    return this.state;
  }

  /** Syncs now and every interval after. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.sync();
  }

  /** Stops the schedule and resolves once a running cycle has finished (the store can close then). */
  async stop(): Promise<void> {
    this.started = false;
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.indexTimer !== null) this.clock.clearTimeout(this.indexTimer);
    this.indexTimer = null;
    await this.running?.catch(() => {});
  }

  /** After a local write: count it at once, send it when we can. */
  notifyLocalWrite(): void {
    this.update({ pending: this.opts.store.pendingCount() });
    if (this.state.authRequired || this.state.updateRequired) return;
    if (this.started && (this.state.online || this.failures === 0)) void this.sync();
  }

  /** The OS says the network is back: try now instead of waiting out the back-off. */
  notifyOnline(): void {
    if (!this.started || this.state.authRequired || this.state.updateRequired) return;
    this.failures = 0;
    void this.sync();
  }

  /** New credentials after an authRequired stop; `andSync: false` when the caller syncs itself (one cycle, not two). */
  resume(andSync = true): void {
    this.update({ authRequired: false, updateRequired: false, lastError: null });
    this.failures = 0;
    if (andSync && this.started) void this.sync();
  }

  /**
   * Resolves once a cycle that started after this call has finished: joining a running cycle
   * is not enough, since it may have read the outbox (or met a dead connection) before the call.
   */
  async sync(): Promise<SyncState> {
    if (this.stopped) return this.state;
    const wanted = ++this.requested;
    while (this.completed < wanted && !this.stopped) {
      if (!this.running) {
        this.running = this.loop();
        try {
          await this.running;
        } finally {
          this.running = null;
        }
      } else {
        await this.running;
      }
      if (this.state.authRequired || this.state.updateRequired) break;
    }
    return this.state;
  }

  private async loop(): Promise<void> {
    do {
      const startedFor = this.requested;
      await this.cycle();
      this.completed = Math.max(this.completed, startedFor);
      // writes during the cycle asked for another one; after a failure the back-off decides
    } while (
      this.completed < this.requested &&
      !this.stopped &&
      !this.state.authRequired &&
      !this.state.updateRequired &&
      this.failures === 0
    );
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (!this.started || this.state.authRequired || this.state.updateRequired) return;
    const delay = this.failures > 0 ? backoffDelay(this.failures, this.o.random, this.o.backoff) : this.o.intervalMs;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      void this.sync();
    }, delay);
  }

  private async cycle(): Promise<void> {
    const { store, server } = this.opts;
    this.update({ syncing: true });
    try {
      // push, in order, in batches
      for (;;) {
        const batch = store.pendingMutations(this.o.pushBatch);
        if (batch.length === 0) break;
        const res = await server.push({ clientId: store.clientId, mutations: batch });
        store.acknowledge(res.lastMutationId, res.results);
        this.update({ online: true, pending: store.pendingCount(), rejected: store.rejected() });
        // the server did not advance: do not spin, the next cycle retries
        if (res.lastMutationId < batch[0]!.id)
          throw new SyncHttpError('server', 200, 'push.stalled', `server stopped at mutation ${res.lastMutationId}`);
      }
      // pull until the server has nothing more; while a page applies, the server already
      // prepares the next one (asked for with the cursor of the page in hand, which is what
      // the store will hold once it is applied; a page that fails to apply drops the one asked)
      let next = server.pull({ clientId: store.clientId, cursor: store.cursor, limit: this.o.pullLimit });
      for (;;) {
        const res = await next;
        const following = res.hasMore ? server.pull({ clientId: store.clientId, cursor: res.cursor, limit: this.o.pullLimit }) : null;
        // an unawaited failure is not unhandled: it is awaited (and thrown) on the next turn, or dropped
        following?.catch(() => {});
        // one turn of the event loop so the request leaves before the synchronous apply
        if (following) await new Promise<void>((r) => setImmediate(r));
        const touched = store.applyPull(res);
        if (res.orgData) recordOrgDataVersions(store, res.orgData);
        this.update({ online: true, pending: store.pendingCount(), progress: res.hasMore ? (res.progress ?? null) : null });
        if (touched.length) this.opts.onDataChanged?.(touched.length > 1000 ? null : touched);
        if (!following) break;
        next = following;
      }
      const at = this.clock.now().toISOString();
      store.setMeta('lastSyncAt', at);
      this.failures = 0;
      this.update({
        online: true,
        lastSuccessAt: at,
        lastError: null,
        authRequired: false,
        updateRequired: false,
        progress: null,
        storageFull: false,
      });
    } catch (e) {
      this.fail(e);
    } finally {
      this.update({ syncing: false, pending: store.pendingCount() });
      // after a failed cycle too: a workstation that starts offline still gets its fast sorts
      this.buildIndexesLater();
    }
  }

  /**
   * The sort and search indexes a full pull leaves for later (LocalStore.restoreIndexes), one
   * per turn of the event loop, between cycles: the agent works the queue meanwhile, and no
   * turn holds the main process longer than one index takes (~0.2 s; the search index ~1.5 s).
   */
  private buildIndexesLater(): void {
    const { store } = this.opts;
    if (this.indexTimer !== null || this.stopped || !store.db.open || store.pendingIndexCount() === 0) return;
    this.indexTimer = this.clock.setTimeout(() => {
      this.indexTimer = null;
      // a cycle in progress calls this again when it ends; a closed store keeps them owed
      if (this.stopped || this.running || !store.db.open) return;
      try {
        store.buildPendingIndex();
      } catch {
        // (a full disk, say) the queue still answers without it; the next open tries again
        return;
      }
      this.buildIndexesLater();
    }, 0);
  }

  private fail(e: unknown): void {
    if (isDiskFull(e)) {
      // the server answered; this side could not store its answer: retried at the back-off's pace
      this.failures++;
      this.update({ online: true, storageFull: true, lastError: 'storage.full', progress: null });
      return;
    }
    const err = e instanceof SyncHttpError ? e : new SyncHttpError('network', null, 'sync.failed', (e as Error)?.message ?? String(e));
    switch (err.kind) {
      case 'auth':
        this.update({ online: true, authRequired: true, lastError: err.code });
        break;
      case 'update':
        this.update({ online: true, updateRequired: true, lastError: err.code });
        break;
      case 'network':
        this.failures++;
        this.update({ online: false, lastError: err.message, progress: null });
        break;
      case 'server':
        this.failures++;
        // 502/503/504 come from a gateway, or from a server shutting down: the server itself did not answer
        this.update({ online: !(err.status !== null && err.status >= 502 && err.status <= 504), lastError: err.message, progress: null });
        break;
      case 'client':
        // a refused request (not a refused mutation): report it and retry at the normal pace
        this.update({ online: true, lastError: `${err.code}: ${err.message}`, progress: null });
        break;
    }
  }

  private update(patch: Partial<SyncState>): void {
    const next = { ...this.state, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.state)) return;
    this.state = next;
    this.opts.onState?.(next);
  }
}
