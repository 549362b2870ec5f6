import type Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import type { AccountDetail, QueuePage, QueueQuery } from '../../shared/api/contract';
import type { Account, ContactPoint, Debtor } from '../../shared/domain/entities';
import type { MyDay } from '../../shared/reports/activity';
import type { ContactAttempt } from '../../shared/rules/compliance';
import type { MutationEnvelope } from '../../shared/sync/mutations';
import type { MutationResult, PullResponse } from '../../shared/sync/protocol';
import type { z } from 'zod';
import { createMutationApplier } from './apply-mutation';
import type { StoreCore } from './core';
import { createDerivedRefresher } from './derived';
import { createDurability } from './durability';
import { createDeferredIndexes } from './indexes';
import { createMeta, type Meta, type MetaKey } from './meta';
import { markSuspect, openDatabase } from './open';
import { isCorruption, type Salvage } from './recovery';
import { createOutbox, type LocalWrite, type RejectedEntry } from './outbox';
import { createPullApplier } from './pull';
import { createReads } from './reads';
import { createUpkeep } from './upkeep';

export { InvalidWriteError, type LocalWrite, type OutboxEntry, type RejectedEntry } from './outbox';
export type { MetaKey } from './meta';
export type { Salvage } from './recovery';

export interface StoreOptions {
  /** The signed-in agent: author of local activities, notes and promises. */
  agentId: string;
  now?: () => Date;
  /** 32 random bytes from the secret vault: the file is encrypted with them. None: a plaintext file (tests, tools). */
  key?: Buffer;
  /** Files up to this size are checked whole at every open (see open.ts); for tests. */
  fullCheckMaxBytes?: number;
}

/**
 * The agent's local store: one SQLite file per server + user. This class only wires the
 * store's parts together, each in its own module: open.ts (file, pragmas, schema),
 * indexes.ts (indexes deferred during a full pull), durability.ts (WAL fsync and checkpoints),
 * outbox.ts (local writes), pull.ts (pulled pages and snapshots), reads.ts, upkeep.ts and
 * meta.ts (the typed registry of the meta table's keys).
 */
export class LocalStore {
  readonly db: Database.Database;
  private readonly meta: Meta;
  private readonly indexes: ReturnType<typeof createDeferredIndexes>;
  private readonly durability: ReturnType<typeof createDurability>;
  private readonly outbox: ReturnType<typeof createOutbox>;
  private readonly reads: ReturnType<typeof createReads>;
  private readonly upkeep: ReturnType<typeof createUpkeep>;
  private readonly pull: ReturnType<typeof createPullApplier>;
  /** Bumped on every change of the tables, so readers know when cached answers went stale. */
  private generation = 0;

  /** Set when the file was unreadable at open: where it was moved and what of its outbox was kept (see recovery.ts). */
  recovered: Salvage | null = null;

  static open(file: string, opts: StoreOptions): LocalStore {
    const { db, recovered } = openDatabase(file, { key: opts.key, now: opts.now, fullCheckMaxBytes: opts.fullCheckMaxBytes });
    try {
      const store = new LocalStore(db, file, opts);
      store.recovered = recovered;
      return store;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private constructor(
    db: Database.Database,
    private readonly file: string,
    opts: StoreOptions,
  ) {
    this.db = db;
    const meta = (this.meta = createMeta(db));
    const core: StoreCore = {
      db,
      file,
      meta,
      agentId: opts.agentId,
      now: opts.now ?? (() => new Date()),
      applyMutation: createMutationApplier(db),
      refreshDerived: createDerivedRefresher(db),
      changed: () => {
        this.generation++;
      },
    };
    this.indexes = createDeferredIndexes(db, meta);
    const durability = (this.durability = createDurability(db, file, this.indexes.busy));
    this.outbox = createOutbox(core, () => {
      durability.flushWal();
      durability.checkpointWhenIdle();
    });
    this.reads = createReads(core, this.outbox, () => this.generation);
    const judgedAtPull = new Set<string>();
    this.upkeep = createUpkeep(core, judgedAtPull);
    this.pull = createPullApplier(core, {
      outbox: this.outbox,
      indexes: this.indexes,
      judgedAtPull,
      afterPull: durability.checkpointWhenIdle,
    });
    if (!meta.get('clientId')) meta.set('clientId', randomUUID());
    if (this.indexes.deferred()) {
      // the app stopped in the middle of a full pull (see indexes.ts): the queue gets its
      // indexes and restarts the full pull (a reset page clears the rest); like the last page
      // of a pull, it builds only what the first screen reads and leaves the rest for later
      db.transaction(() => {
        this.indexes.restore(true);
        meta.set('cursor', null);
      })();
    }
    // indexes still owed are not built here: opening must not hold the app for seconds;
    // the sync engine builds them one per event-loop turn once it runs
  }

  /** A damaged page met by any call marks the file, so the next open checks it whole and quarantines it. */
  private guard<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (isCorruption(e)) markSuspect(this.file);
      throw e;
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  close(): void {
    this.durability.close();
  }
  /** Resolves once every local write made so far has reached the disk. */
  durable(): Promise<void> {
    return this.durability.durable();
  }
  /** Builds the next index a full pull left for later (one transaction); returns how many remain. */
  buildPendingIndex(): number {
    return this.guard(() => this.indexes.buildPending());
  }
  /** Indexes still to be built by buildPendingIndex. */
  pendingIndexCount(): number {
    return this.guard(() => this.indexes.pendingCount());
  }

  // ---- meta -----------------------------------------------------------------------------------

  getMeta(key: MetaKey): string | null {
    return this.guard(() => this.meta.get(key));
  }
  setMeta(key: MetaKey, value: string | null): void {
    this.guard(() => this.meta.set(key, value));
  }
  get clientId(): string {
    return this.guard(() => this.meta.get('clientId')!);
  }
  get cursor(): string | null {
    return this.guard(() => this.meta.get('cursor'));
  }

  // ---- outbox ---------------------------------------------------------------------------------

  write(writes: readonly LocalWrite[]): { mutationIds: number[]; accountIds: string[] } {
    return this.guard(() => this.outbox.write(writes));
  }
  pendingMutations(limit: number): MutationEnvelope[] {
    return this.guard(() => this.outbox.pendingMutations(limit));
  }
  pendingCount(): number {
    return this.guard(() => this.outbox.pendingCount());
  }
  acknowledge(lastMutationId: number, results: readonly MutationResult[]): void {
    this.guard(() => this.outbox.acknowledge(lastMutationId, results));
  }
  rejected(): RejectedEntry[] {
    return this.guard(() => this.outbox.rejected());
  }
  /** The highest id this store ever gave a mutation. */
  outboxSeq(): number {
    return this.guard(() => this.outbox.seq());
  }
  /** An old copy of this store (restored from a backup) starts again as a new sync client: see outbox.ts. */
  becomeNewClient(): void {
    this.guard(() => this.outbox.becomeNewClient(randomUUID()));
  }

  // ---- pull and time --------------------------------------------------------------------------

  applyPull(page: PullResponse): string[] {
    return this.guard(() => this.pull(page));
  }
  refreshForTime(): string[] {
    return this.guard(() => this.upkeep.refreshForTime());
  }
  refreshContactability(): string[] {
    return this.guard(() => this.upkeep.refreshContactability());
  }
  recomputeAll(): number {
    return this.guard(() => this.upkeep.recomputeAll());
  }

  // ---- reads ----------------------------------------------------------------------------------

  myDay(agentId: string, since: string): Omit<MyDay, 'since'> {
    return this.guard(() => this.reads.myDay(agentId, since));
  }
  listQueue(query: z.input<typeof QueueQuery>): QueuePage {
    return this.guard(() => this.reads.listQueue(query));
  }
  getAccount(accountId: string): AccountDetail | null {
    return this.guard(() => this.reads.getAccount(accountId));
  }
  getAccountRow(accountId: string): Account | null {
    return this.guard(() => this.reads.getAccountRow(accountId));
  }
  getDebtor(debtorId: string): Debtor | null {
    return this.guard(() => this.reads.getDebtor(debtorId));
  }
  getContactPoint(id: string): ContactPoint | null {
    return this.guard(() => this.reads.getContactPoint(id));
  }
  getActivity(id: string) {
    return this.guard(() => this.reads.getActivity(id));
  }
  findAccountByPhone(phone: string): { accountId: string; debtorName: string } | null {
    return this.guard(() => this.reads.findAccountByPhone(phone));
  }
  attemptsOnDebtor(debtorId: string): ContactAttempt[] {
    return this.guard(() => this.reads.attemptsOnDebtor(debtorId));
  }
  callbacksDueBetween(from: string, to: string): Array<{ accountId: string; debtorName: string; callbackAt: string }> {
    return this.guard(() => this.reads.callbacksDueBetween(from, to));
  }
  repliesAfter(seq: number, agentId: string): Array<{ seq: number; accountId: string; debtorName: string; channel: string }> {
    return this.guard(() => this.reads.repliesAfter(seq, agentId));
  }
  lastActivitySeq(): number {
    return this.guard(() => this.reads.lastActivitySeq());
  }
}
