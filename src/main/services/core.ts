import { z } from 'zod';
import type { ApiEvents, DataChangedEvent, SyncState } from '../../shared/api/contract';
import type { LocalWrite } from '../store/store';
import { systemClock, type Clock } from '../sync/engine';
import type { FetchLike } from '../sync/transport';
import type { ComplianceDecision } from '../../shared/api/contract';
import { checkContact } from '../../shared/rules/compliance';
import type { SecretVault } from '../secrets/vault';
import { nameHolders } from './contact-compliance';
import { notSignedIn } from './errors';
import { locked, offlineTooLong, readLock, setLock } from './lock';
import { ensurePrivateDataDir, readJson, writePrivateJson } from './files';
import { createOrgData } from './org-data';
import { currentSessionFile, settingsFile } from './paths';
import { UserContext, type StoredSession } from './user-context';
import { checkRestoredStore, markMutations } from '../field/restore-check';
import { deviceMarkOf } from './field';

export interface WorkstationOptions {
  dataDir: string;
  /** Where secrets are kept (the desktop app: the OS keychain); a 0600 file under dataDir by default. */
  vault?: SecretVault;
  defaultServerUrl: string;
  fetch?: FetchLike;
  clock?: Clock;
  /** The workstation's idea of now (tests, e2e): replaces clock.now, timers stay real. */
  now?: () => Date;
  random?: () => number;
  syncIntervalMs?: number;
  /** How often time-driven queue changes (new day, callbacks falling due) are checked. */
  tickMs?: number;
  /**
   * The operating system's language (Electron's app.getLocale()), for the login screen of a machine
   * where nobody chose one yet; Spanish when not given or neither Spanish nor English.
   */
  systemLocale?: string;
}

export interface DueCallback {
  accountId: string;
  debtorName: string;
  callbackAt: string;
}

/** A debtor's reply (SMS, WhatsApp, e-mail) that just reached the agent's store. */
export interface NewReply {
  accountId: string;
  debtorName: string;
  channel: string;
}

export interface WorkstationEvents extends ApiEvents {
  /** Main side only: callbacks that just fell due (for desktop notifications). */
  onCallbacksDue(listener: (due: DueCallback[]) => void): () => void;
  /** Main side only: debtors' replies the last sync brought (for desktop notifications). */
  onRepliesReceived(listener: (replies: NewReply[]) => void): () => void;
}

type Check = Parameters<typeof checkContact>[0];

const UiLocale = z.enum(['es', 'en']);
const GlobalSettings = z.object({
  serverUrl: z.string().url(),
  /** The machine's language: the login screen's, and a user's until they choose their own. */
  locale: UiLocale,
  organization: z.string().default(''),
  /**
   * Each user's own language (key: secretScope(server, user)). Kept here rather than in the user's
   * store so a logout that erases the store does not forget it, and so the next person on the same
   * machine does not inherit it.
   */
  userLocales: z.record(z.string(), UiLocale).default({}),
});
type GlobalSettings = z.infer<typeof GlobalSettings>;
export const CurrentSession = z.object({ serverUrl: z.string().url(), userId: z.string().uuid() });

export const OFFLINE_STATE: SyncState = {
  online: false,
  syncing: false,
  pending: 0,
  lastSuccessAt: null,
  lastError: null,
  updateRequired: false,
  authRequired: false,
  progress: null,
  rejected: [],
};

function listeners<T>() {
  const set = new Set<(v: T) => void>();
  return {
    add(l: (v: T) => void) {
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    emit(v: T) {
      for (const l of set) {
        try {
          l(v);
        } catch {
          /* a listener's bug must not break the caller */
        }
      }
    },
  };
}

/**
 * What every feature module of the workstation shares: the options and clock, the global settings,
 * the signed-in agent's context (null when signed out), the event channels and the organisation
 * data cache. The feature modules (session.ts, accounts.ts …) each get this one object.
 */
export class WorkstationCore {
  readonly clock: Clock;
  readonly syncState = listeners<SyncState>();
  readonly dataChanged = listeners<DataChangedEvent>();
  readonly callbacksDue = listeners<DueCallback[]>();
  readonly repliesReceived = listeners<NewReply[]>();
  readonly orgData: ReturnType<typeof createOrgData>;
  settings: GlobalSettings;
  ctx: UserContext | null = null;

  constructor(readonly o: WorkstationOptions) {
    const baseClock = o.clock ?? systemClock;
    this.clock = o.now ? { ...baseClock, now: o.now } : baseClock;
    ensurePrivateDataDir(o.dataDir);
    this.settings = readJson(settingsFile(o.dataDir), GlobalSettings) ?? {
      serverUrl: o.defaultServerUrl,
      locale: o.systemLocale?.toLowerCase().startsWith('en') ? 'en' : 'es',
      organization: '',
      userLocales: {},
    };
    this.orgData = createOrgData(() => this.clock.now());
  }

  now(): Date {
    return this.clock.now();
  }

  saveSettings(): void {
    writePrivateJson(settingsFile(this.o.dataDir), this.settings);
  }

  /** The signed-in agent's context; every handler that reads or writes their data goes through here. */
  need(): UserContext {
    if (!this.ctx) throw notSignedIn();
    // a locked portfolio is read by no one until the same user signs in again
    const reason = readLock(this.ctx);
    if (reason) throw locked(reason);
    if (offlineTooLong(this.ctx, this.now())) {
      setLock(this.ctx, 'offline_too_long');
      throw locked('offline_too_long');
    }
    return this.ctx;
  }

  /**
   * The one compliance check, offline with the organisation's cached rules, over every attempt on
   * the debtor this store knows; a cap's refusal names the contact holding it (contact-compliance.ts).
   */
  complianceFor(
    c: UserContext,
    account: Check['account'],
    debtor: Check['debtor'],
    cp: Check['contactPoint'],
    channel: Check['channel'],
    at: Date,
  ): ComplianceDecision {
    const org = this.orgData.compliance(c);
    return nameHolders(
      c,
      checkContact({
        channel,
        contactPoint: cp,
        debtor,
        account,
        history: c.store.attemptsOnDebtor(debtor.id),
        at,
        ...(org
          ? { org: { country: org.country, timeZone: org.timeZone, dncNumbers: org.rules.dncNumbers, overrides: org.rules.overrides } }
          : {}),
      }),
    );
  }

  /** A local write: stored and queued at once, sent when the server can be reached. */
  write(c: UserContext, writes: LocalWrite[]): string[] {
    const r = c.store.write(writes);
    markMutations(c.store, deviceMarkOf(this.o.dataDir, c));
    c.engine.notifyLocalWrite();
    this.dataChanged.emit({ accountIds: r.accountIds });
    return r.accountIds;
  }

  contextDeps() {
    const o = this.o;
    return {
      dataDir: o.dataDir,
      vault: o.vault,
      fetch: o.fetch,
      clock: o.clock || o.now ? this.clock : undefined,
      random: o.random,
      syncIntervalMs: o.syncIntervalMs,
      onState: (s: SyncState) => this.syncState.emit(s),
      onDataChanged: (accountIds: string[] | null) => {
        // accounts a pull just brought in are judged for the queue's "contactable today" filter
        const judged = this.ctx?.store.refreshContactability() ?? [];
        this.dataChanged.emit({
          accountIds: accountIds === null || judged.length > 1000 ? null : [...new Set([...accountIds, ...judged])],
        });
      },
    };
  }

  openContext(serverUrl: string, user: StoredSession['user'], token: string | null): UserContext {
    const c = new UserContext(this.contextDeps(), serverUrl, user, token);
    // a store copied back from a backup must not send new work under ids the server already counted
    checkRestoredStore(c.store, deviceMarkOf(this.o.dataDir, c));
    writePrivateJson(currentSessionFile(this.o.dataDir), { serverUrl, userId: user.id });
    c.engine.start();
    // collectors (and leads, who take calls too) are on the live board; an admin is not
    if (user.role !== 'admin') c.presence.start();
    return c;
  }
}
