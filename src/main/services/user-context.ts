import { existsSync } from 'node:fs';
import { z } from 'zod';
import { SipSettings, type Session, type SyncState } from '../../shared/api/contract';
import { User } from '../../shared/domain/entities';
import { LocalStore } from '../store/store';
import { SyncEngine, type Clock } from '../sync/engine';
import { createServerClient, type FetchLike, type ServerClient } from '../sync/transport';
import { storeFile } from './paths';

/** What the main side keeps for the signed-in agent, in their store's meta table. */
export const StoredSession = z.object({ token: z.string().nullable(), user: User, serverUrl: z.string().url() });
export type StoredSession = z.infer<typeof StoredSession>;
export const StoredSip = z.object({ settings: SipSettings.nullable(), password: z.string().nullable() });
export type StoredSip = z.infer<typeof StoredSip>;

export interface UserContextDeps {
  dataDir: string;
  fetch?: FetchLike;
  clock?: Clock;
  random?: () => number;
  syncIntervalMs?: number;
  onState(s: SyncState): void;
  onDataChanged(accountIds: string[] | null): void;
}

/** The signed-in agent's store, server client and sync engine, opened and closed together. */
export class UserContext {
  readonly store: LocalStore;
  readonly server: ServerClient;
  readonly engine: SyncEngine;
  private sessionCache: StoredSession;

  constructor(deps: UserContextDeps, serverUrl: string, user: User, token: string | null) {
    const clock = deps.clock;
    this.store = LocalStore.open(storeFile(deps.dataDir, serverUrl, user.id), {
      agentId: user.id, now: clock ? () => clock.now() : undefined,
    });
    const prior = this.readSession();
    this.sessionCache = { token: token ?? prior?.token ?? null, user, serverUrl };
    this.store.setMeta('session', JSON.stringify(this.sessionCache));
    this.server = createServerClient({ serverUrl, fetch: deps.fetch, token: () => this.sessionCache.token });
    this.engine = new SyncEngine({
      store: this.store, server: this.server, clock, random: deps.random, intervalMs: deps.syncIntervalMs,
      onState: deps.onState, onDataChanged: deps.onDataChanged,
    });
  }

  /** The session kept in a user's store, without starting anything. */
  static peek(dataDir: string, serverUrl: string, userId: string): StoredSession | null {
    const file = storeFile(dataDir, serverUrl, userId);
    if (!existsSync(file)) return null;
    const store = LocalStore.open(file, { agentId: userId });
    try {
      const raw = store.getMeta('session');
      const r = raw ? StoredSession.safeParse(JSON.parse(raw)) : null;
      return r?.success ? r.data : null;
    } finally {
      store.close();
    }
  }

  get session(): StoredSession {
    return this.sessionCache;
  }

  publicSession(): Session {
    return { user: this.sessionCache.user, serverUrl: this.sessionCache.serverUrl, clientId: this.store.clientId };
  }

  setToken(token: string | null, user?: User): void {
    this.sessionCache = { ...this.sessionCache, token, ...(user ? { user } : {}) };
    this.store.setMeta('session', JSON.stringify(this.sessionCache));
  }

  sip(): StoredSip {
    const raw = this.store.getMeta('sip');
    const r = raw ? StoredSip.safeParse(JSON.parse(raw)) : null;
    return r?.success ? r.data : { settings: null, password: null };
  }
  setSip(sip: StoredSip): void {
    this.store.setMeta('sip', JSON.stringify(sip));
  }

  private readSession(): StoredSession | null {
    const raw = this.store.getMeta('session');
    if (!raw) return null;
    const r = StoredSession.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  }

  async close(): Promise<void> {
    await this.engine.stop();
    this.store.close();
  }
}
