import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { createWorkstation, type Workstation } from '../../src/main/services';
import { storeFile } from '../../src/main/services/paths';
import { systemClock, type Clock } from '../../src/main/sync/engine';
import type { FetchLike } from '../../src/main/sync/transport';
import { API, type ApiMethod, type SyncState, type WorkstationApi } from '../../src/shared/api/contract';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from '../helpers/fault-proxy';
import { openRawStore } from '../helpers/raw-store';

/**
 * One simulated collector: a REAL workstation (main-side handlers, better-sqlite3 store on a
 * temp dir, sync engine) talking to the server through its own fault proxy, so each agent can
 * be offline on its own. Restart = close the workstation and open a new one on the same dir.
 */
export interface SimAgentOptions {
  name: string;
  serverUrl: string;
  username: string;
  password: string;
  proxy: Omit<FaultProxyOptions, 'target'>;
  /** Milliseconds added to this client's clock (clock skew). */
  skewMs?: number;
  /** Background sync interval; the tests drive syncs explicitly, so the default is long. */
  syncIntervalMs?: number;
  dataDir?: string;
  /** Replaces the HTTP client (e.g. to play an older app version on the wire). */
  fetch?: FetchLike;
}

export function skewedClock(skewMs: number): Clock {
  return { ...systemClock, now: () => new Date(Date.now() + skewMs) };
}

export class SimAgent {
  ws!: Workstation;
  readonly proxy: FaultProxy;
  readonly dataDir: string;
  userId = '';
  clientId = '';
  restarts = 0;
  private readonly ownDir: boolean;

  private constructor(
    public o: SimAgentOptions,
    proxy: FaultProxy,
    dataDir: string,
    ownDir: boolean,
  ) {
    this.proxy = proxy;
    this.dataDir = dataDir;
    this.ownDir = ownDir;
  }

  static async start(o: SimAgentOptions): Promise<SimAgent> {
    const proxy = await startFaultProxy({ ...o.proxy, target: o.serverUrl });
    const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), `torture-${o.name}-`));
    const agent = new SimAgent(o, proxy, dataDir, !o.dataDir);
    await agent.open();
    return agent;
  }

  get url(): string {
    return this.proxy.url;
  }

  /**
   * Calls a handler the way the IPC / HTTP transport does: input parsed (defaults filled) by
   * the contract's schema first.
   */
  readonly api = new Proxy({} as Omit<WorkstationApi, 'onSyncState' | 'onDataChanged'>, {
    get: (_t, method: string) => (input?: unknown) => {
      const m = method as ApiMethod;
      const handler = this.ws.handlers[m] as (i: unknown) => Promise<unknown>;
      return handler(API[m].input.parse(input));
    },
  });

  async open(): Promise<void> {
    this.ws = await createWorkstation({
      dataDir: this.dataDir,
      defaultServerUrl: this.proxy.url,
      clock: skewedClock(this.o.skewMs ?? 0),
      syncIntervalMs: this.o.syncIntervalMs ?? 3_600_000,
      tickMs: 3_600_000,
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
    });
  }

  /** Signs in through the proxy, retrying through injected faults (bounded). */
  async login(): Promise<void> {
    let last: unknown;
    for (let i = 0; i < 40; i++) {
      try {
        const s = await this.api.login({ username: this.o.username, password: this.o.password });
        this.userId = s.user.id;
        this.clientId = s.clientId;
        return;
      } catch (e) {
        last = e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    throw new Error(`${this.o.name}: login failed 40 times: ${(last as Error)?.message}`);
  }

  async restart(): Promise<void> {
    // May land mid-cycle: close() waits for the running cycle, like the app quitting mid-sync.
    await this.ws.close();
    await this.open();
    this.restarts++;
    const s = await this.api.getSession();
    if (!s || s.clientId !== this.clientId) throw new Error(`${this.o.name}: session or client id lost across restart`);
  }

  async sync(): Promise<SyncState> {
    return this.api.syncNow();
  }

  /** Syncs until the outbox is empty and a cycle succeeded, or gives up after `rounds`. */
  async settle(rounds = 30): Promise<SyncState> {
    let s = await this.sync();
    for (let i = 1; i < rounds && (s.pending > 0 || s.lastError !== null || s.syncing); i++) {
      await new Promise((r) => setTimeout(r, 10));
      s = await this.sync();
    }
    return s;
  }

  /** Every account id in the agent's local queue. */
  async visibleAccountIds(): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await this.api.listQueue({
        offset,
        limit: 200,
        sort: 'priority',
        dir: 'desc',
        contactableOnly: false,
        groupBy: 'account',
      });
      ids.push(...page.rows.map((r) => r.accountId));
      if (page.rows.length < 200) break;
    }
    return ids;
  }

  /** Highest mutation id this client ever allocated (SQLite AUTOINCREMENT keeps it after trims). */
  highestMutationId(): number {
    const db = openRawStore(this.dataDir, this.proxy.url, this.userId, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).get() as { seq: number } | undefined;
      return row?.seq ?? 0;
    } finally {
      db.close();
    }
  }

  async close(removeDir = true): Promise<void> {
    await this.ws.close();
    await this.proxy.close();
    if (removeDir && this.ownDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
