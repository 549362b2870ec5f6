import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { SipSettings, type Session, type SyncState } from '../../shared/api/contract';
import { User } from '../../shared/domain/entities';
import { LocalStore } from '../store/store';
import { SyncEngine, type Clock } from '../sync/engine';
import { LiveFeed } from '../sync/live-feed';
import { PresenceReporter } from '../sync/presence';
import { createServerClient, type FetchLike, type ServerClient } from '../sync/transport';
import { createFileVault, secretKeys, type SecretVault } from '../secrets/vault';
import { secretScope, secretsFile, storeFile } from './paths';

/**
 * What the main side keeps for the signed-in agent. The token and the SIP password live in the
 * secret vault; the store's meta table keeps the rest (with token and password null).
 */
export const StoredSession = z.object({ token: z.string().nullable(), user: User, serverUrl: z.string().url() });
export type StoredSession = z.infer<typeof StoredSession>;
export const StoredSip = z.object({ settings: SipSettings.nullable(), password: z.string().nullable() });
export type StoredSip = z.infer<typeof StoredSip>;

export interface UserContextDeps {
  dataDir: string;
  /** Where the token, SIP password and store key are kept; a 0600 file under dataDir by default. */
  vault?: SecretVault;
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
  /** The agent's state for the live board (heartbeats, calls, pauses). */
  readonly presence: PresenceReporter;
  /** A lead's live board (opened on first use). */
  readonly live: LiveFeed;
  private sessionCache: StoredSession;

  private readonly vault: SecretVault;
  private readonly scope: string;

  constructor(deps: UserContextDeps, serverUrl: string, user: User, token: string | null) {
    const clock = deps.clock;
    this.vault = vaultOf(deps.dataDir, deps.vault);
    this.scope = secretScope(serverUrl, user.id);
    this.store = openStore(deps.dataDir, serverUrl, user.id, this.vault, clock ? () => clock.now() : undefined);
    const prior = readSession(this.store, this.vault, this.scope);
    this.sessionCache = { token: token ?? prior?.token ?? null, user, serverUrl };
    this.saveSession();
    this.server = createServerClient({ serverUrl, fetch: deps.fetch, token: () => this.sessionCache.token });
    this.engine = new SyncEngine({
      store: this.store,
      server: this.server,
      clock,
      random: deps.random,
      intervalMs: deps.syncIntervalMs,
      onState: deps.onState,
      onDataChanged: deps.onDataChanged,
    });
    this.presence = new PresenceReporter(this.server, clock);
    this.live = new LiveFeed(serverUrl, () => this.sessionCache.token);
  }

  /** The session kept for a user's store, without starting anything. */
  static peek(dataDir: string, serverUrl: string, userId: string, vault?: SecretVault): StoredSession | null {
    const file = storeFile(dataDir, serverUrl, userId);
    if (!existsSync(file)) return null;
    const v = vaultOf(dataDir, vault);
    const store = openStore(dataDir, serverUrl, userId, v);
    try {
      return readSession(store, v, secretScope(serverUrl, userId));
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
    this.saveSession();
  }

  sip(): StoredSip {
    const raw = this.store.getMeta('sip');
    const r = raw ? StoredSip.safeParse(JSON.parse(raw)) : null;
    const settings = r?.success ? r.data.settings : null;
    return { settings, password: this.vault.get(secretKeys.sipPassword(this.scope)) };
  }
  setSip(sip: StoredSip): void {
    this.store.setMeta('sip', JSON.stringify({ settings: sip.settings, password: null }));
    putSecret(this.vault, secretKeys.sipPassword(this.scope), sip.password);
  }

  private saveSession(): void {
    putSecret(this.vault, secretKeys.token(this.scope), this.sessionCache.token);
    this.store.setMeta('session', JSON.stringify({ ...this.sessionCache, token: null }));
  }

  async close(): Promise<void> {
    this.live.close();
    await this.presence.stop();
    await this.engine.stop();
    this.store.close();
  }
}

export function vaultOf(dataDir: string, vault: SecretVault | undefined): SecretVault {
  return vault ?? createFileVault(secretsFile(dataDir));
}

/**
 * The store's encryption key: 32 random bytes made at its first open, kept only in the vault. A
 * vault that lost it (a reset keychain) gets a new one; the old file then reads as damaged, is
 * quarantined, and the store is rebuilt from the server (recovery.ts).
 */
function storeKey(vault: SecretVault, scope: string): Buffer {
  const name = secretKeys.storeKey(scope);
  const hex = vault.get(name);
  if (hex && /^[0-9a-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex');
  const key = randomBytes(32);
  vault.set(name, key.toString('hex'));
  return key;
}

function putSecret(vault: SecretVault, key: string, value: string | null): void {
  if (value === null) vault.delete(key);
  else vault.set(key, value);
}

function openStore(dataDir: string, serverUrl: string, userId: string, vault: SecretVault, now?: () => Date): LocalStore {
  const key = storeKey(vault, secretScope(serverUrl, userId));
  const store = LocalStore.open(storeFile(dataDir, serverUrl, userId), { agentId: userId, now, key });
  try {
    moveSecretsToVault(store, vault, secretScope(serverUrl, userId));
  } catch (e) {
    store.close();
    throw e;
  }
  return store;
}

/**
 * Stores written before the vault kept the token and SIP password in meta, as JSON: they move
 * to the vault (the vault first, so a crash between the two loses nothing) and leave meta.
 */
export function moveSecretsToVault(store: LocalStore, vault: SecretVault, scope: string): void {
  const session = parseMeta(store, 'session', StoredSession);
  if (session?.token) {
    vault.set(secretKeys.token(scope), session.token);
    store.setMeta('session', JSON.stringify({ ...session, token: null }));
  }
  const sip = parseMeta(store, 'sip', StoredSip);
  if (sip?.password) {
    vault.set(secretKeys.sipPassword(scope), sip.password);
    store.setMeta('sip', JSON.stringify({ ...sip, password: null }));
  }
}

function parseMeta<S extends z.ZodTypeAny>(store: LocalStore, key: 'session' | 'sip', schema: S): z.output<S> | null {
  const raw = store.getMeta(key);
  if (!raw) return null;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function readSession(store: LocalStore, vault: SecretVault, scope: string): StoredSession | null {
  const s = parseMeta(store, 'session', StoredSession);
  return s ? { ...s, token: vault.get(secretKeys.token(scope)) } : null;
}
