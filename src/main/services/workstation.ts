import type { WorkstationHandlers } from '../../shared/api/contract';
import { eraseUserData } from './wipe';
import { createAccountWriteHandlers } from './account-writes';
import { createAccountHandlers } from './accounts';
import { createCollectionsHandlers, refreshCollectionsCache } from './collections';
import { CurrentSession, OFFLINE_STATE, WorkstationCore, type WorkstationEvents, type WorkstationOptions } from './core';
import { toWorkstationError } from './errors';
import { readJson } from './files';
import { createMessagingHandlers } from './messaging';
import { createOrgAdminHandlers } from './org-admin';
import { createPassThroughHandlers } from './pass-through';
import { createLiveHandlers } from './live';
import { createPrivacyHandlers } from './privacy';
import { createFieldHandlers, refillReceiptBlocks } from './field';
import { currentSessionFile } from './paths';
import { createSessionHandlers } from './session';
import { createSettingsHandlers } from './settings';
import { lockReasonFor, setLock } from './lock';
import { SyncHttpError } from '../sync/transport';
import { UserContext, vaultOf, type StoredSession } from './user-context';

export type { DueCallback, WorkstationEvents, WorkstationOptions } from './core';

export interface Workstation {
  handlers: WorkstationHandlers;
  events: WorkstationEvents;
  /** The OS reports the network is back. */
  notifyOnline(): void;
  close(): Promise<void>;
}

/**
 * The main-side implementation of every API method, one module per feature over one shared core
 * (core.ts): the agent's session, their local store and sync engine, settings. Every write is
 * local first and queued; nothing waits for the network.
 */
export async function createWorkstation(o: WorkstationOptions): Promise<Workstation> {
  const core = new WorkstationCore(o);
  const { clock } = core;
  let lastTick = clock.now().toISOString();
  let tickTimer: unknown = null;
  // the collections cache (policies, the agent's approval requests) and the message templates follow each successful sync
  let collectionsSyncedAt: string | null = null;
  // requests started after a sync, awaited by close() so none is left half-read on a closed store
  const background = new Set<Promise<unknown>>();
  const inBackground = (p: Promise<unknown>) => {
    const q = p.catch(() => {});
    background.add(q);
    void q.finally(() => background.delete(q));
  };
  core.syncState.add((s) => {
    const ctx = core.ctx;
    // a 401 (user disabled, session expired or ended) locks the portfolio; the outbox is kept
    if (s.authRequired && ctx && s.lastError === 'device_wipe') {
      // the administrator's wipe order: the server let the outbox through first when after_sync
      core.ctx = null;
      const { serverUrl, user } = ctx.session;
      inBackground(
        ctx.close().then(() => {
          eraseUserData(o.dataDir, vaultOf(o.dataDir, o.vault), serverUrl, user.id);
          core.syncState.emit({ ...OFFLINE_STATE, lastError: 'device_wipe' });
        }),
      );
      return;
    }
    if (s.authRequired && ctx) setLock(ctx, lockReasonFor(s.lastError));
    if (!s.lastSuccessAt || s.lastSuccessAt === collectionsSyncedAt || !ctx) return;
    collectionsSyncedAt = s.lastSuccessAt;
    // receipt numbers for the days offline ahead (docs/field-collection.md)
    inBackground(refillReceiptBlocks(core, ctx));
    inBackground(
      refreshCollectionsCache(ctx).then((ids) => {
        if (ids.length) core.dataChanged.emit({ accountIds: ids });
      }),
    );
    // open message panels re-read their templates (previews of every account may have changed)
    inBackground(
      core.orgData.refreshTemplates(ctx).then((changed) => {
        if (changed) core.dataChanged.emit({ accountIds: null });
        // then the compliance rules, when the pull's token says they changed (templates are done)
        return core.orgData.refresh(ctx);
      }),
    );
  });

  // resume the last session, offline-first: the agent works from the store whatever the network
  const current = readJson(currentSessionFile(o.dataDir), CurrentSession);
  if (current) {
    // a store this app cannot open (written by a newer version) is left for the newer app
    let stored: StoredSession | null = null;
    try {
      stored = UserContext.peek(o.dataDir, current.serverUrl, current.userId, o.vault);
    } catch {
      stored = null;
    }
    if (stored?.token) core.ctx = core.openContext(stored.serverUrl, stored.user, stored.token);
  }

  let replySeen: { ctx: unknown; seq: number } = { ctx: null, seq: 0 };
  function tick() {
    const now = clock.now().toISOString();
    const ctx = core.ctx;
    if (ctx) {
      const touched = [...new Set([...ctx.store.refreshForTime(), ...ctx.store.refreshContactability()])];
      if (touched.length) core.dataChanged.emit({ accountIds: touched.length > 1000 ? null : touched });
      const due = ctx.store.callbacksDueBetween(lastTick, now);
      if (due.length) core.callbacksDue.emit(due);
      // replies pulled since the last tick; on the first tick of a session only the mark is set
      // (what was in the store before is not news)
      if (replySeen.ctx !== ctx) replySeen = { ctx, seq: ctx.store.lastActivitySeq() };
      const replies = ctx.store.repliesAfter(replySeen.seq, ctx.session.user.id);
      if (replies.length) {
        replySeen.seq = replies.at(-1)!.seq;
        core.repliesReceived.emit(replies.map(({ accountId, debtorName, channel }) => ({ accountId, debtorName, channel })));
      }
      if (ctx.engine.getState().online) void core.orgData.refresh(ctx).catch(() => {});
    }
    lastTick = now;
  }
  function scheduleTick() {
    tickTimer = clock.setTimeout(() => {
      try {
        tick();
      } finally {
        scheduleTick();
      }
    }, o.tickMs ?? 60_000);
  }
  core.ctx?.store.refreshForTime();
  scheduleTick();

  const need = () => core.need();
  const handlers: WorkstationHandlers = {
    ...createSessionHandlers(core),
    ...createAccountHandlers(core),
    ...createAccountWriteHandlers(core),
    ...createMessagingHandlers(core),
    ...createCollectionsHandlers({
      need,
      now: () => core.now(),
      write: (c, w) => core.write(c, w),
      dataChanged: (ids) => core.dataChanged.emit({ accountIds: ids }),
    }),
    ...createOrgAdminHandlers(core),
    ...createPassThroughHandlers(need),
    ...createLiveHandlers(core),
    ...createPrivacyHandlers(core),
    ...createFieldHandlers(core),
    ...createSettingsHandlers(core),
  };

  // every handler fails with a WorkstationError, whatever went wrong inside
  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        try {
          return await (fn as (i: unknown) => Promise<unknown>)(input);
        } catch (e) {
          if (e instanceof SyncHttpError && e.kind === 'auth' && core.ctx) setLock(core.ctx, lockReasonFor(e.code));
          throw toWorkstationError(e);
        }
      },
    ]),
  ) as unknown as WorkstationHandlers;

  return {
    handlers: guarded,
    events: {
      onSyncState: core.syncState.add,
      onDataChanged: core.dataChanged.add,
      onCallbacksDue: core.callbacksDue.add,
      onRepliesReceived: core.repliesReceived.add,
    },
    notifyOnline() {
      core.ctx?.engine.notifyOnline();
    },
    async close() {
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
      tickTimer = null;
      const c = core.ctx;
      core.ctx = null;
      await c?.engine.stop();
      await Promise.all([...background]);
      await c?.close();
    },
  };
}
