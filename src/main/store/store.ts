import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, close as closeFd, fsync, mkdirSync, open as openFd } from 'node:fs';
import { dirname } from 'node:path';
import type { AccountDetail, QueuePage } from '../../shared/api/contract';
import { QueueQuery } from '../../shared/api/contract';
import type { Account, ContactPoint, Debtor } from '../../shared/domain/entities';
import type { MyDay } from '../../shared/reports/activity';
import { RIGHT_PARTY_DISPOSITIONS, type Channel, type Disposition } from '../../shared/domain/enums';
import type { ContactAttempt } from '../../shared/rules/compliance';
import { RECENT_CONTACT_HOURS } from '../../shared/rules/priority';
import {
  MUTATION_ARGS, parseMutation, type MutationEnvelope, type MutationName, type ParsedMutation,
} from '../../shared/sync/mutations';
import type { MutationResult, PullResponse } from '../../shared/sync/protocol';
import {
  A, ACCOUNT_COLUMNS as WIRE_ACCOUNT_COLUMNS, C, CONTACT_POINT_COLUMNS as WIRE_CONTACT_POINT_COLUMNS, D,
  DEBTOR_COLUMNS as WIRE_DEBTOR_COLUMNS, type Snapshot,
} from '../../shared/sync/snapshot';
import type { z } from 'zod';
import { createMutationApplier } from './apply-mutation';
import { createContactability, createContactPointsOfDebtors, UNJUDGED, type JudgedAccount } from './contactability';
import { createContactabilityRefresher, createDerivedRefresher, createDeriver, quarterOf, type DerivedSource } from './derived';

const DERIVED_COLUMNS = ['debtor_name', 'search_text', 'segment', 'time_zone', 'dpd', 'bucket', 'priority', 'priority_reason'];
// a pulled account is judged in the transaction that brings it (see applyPullTx)
const JUDGED_COLUMNS = ['contactable_today', 'not_contactable_reason', 'contactable_judged'];
import { migrate } from './migrate';
import { createQueueReader } from './queue';
import {
  accountFromRow, accountParams, activityFromRow, activityParams, contactPointFromRow, contactPointParams,
  debtorFromRow, debtorParams, noteFromRow, noteParams, paymentFromRow, paymentParams, promiseFromRow,
  promiseParams, upsertSql, inColumnOrder,
} from './rows';
import { digitsOnly, PHONE_SUFFIX_MIN, reverseDigits } from './text';

/**
 * The agent's local store: one SQLite file per server + user.
 *
 * Durability: WAL journal, synchronous=NORMAL. A commit returns only after its pages are written
 * to the WAL file, so a killed process (SIGKILL, crash) never loses an acknowledged write — the
 * data sits in the OS page cache. A power cut could still lose the last commits, and the agent's
 * own writes exist nowhere else: after each of them the WAL file is fsync'd on libuv's thread
 * pool (flushWal), so the agent does not wait for the disk (an fsync in the commit cost 2–3 ms
 * of the 2 ms an outcome may take) and the window in which a power cut loses a write is the
 * fsync's own few milliseconds. `durable()` resolves when every write so far is on disk.
 */
export type LocalWrite = { [N in MutationName]: { name: N; args: z.input<(typeof MUTATION_ARGS)[N]> } }[MutationName];

export interface OutboxEntry { id: number; name: string; args: unknown; clientTime: string }
export interface RejectedEntry { mutationId: number; name: string; code: string; message: string; at: string }

export interface StoreOptions {
  /** The signed-in agent: author of local activities, notes and promises. */
  agentId: string;
  now?: () => Date;
}

export class InvalidWriteError extends Error {
  constructor(message: string, public readonly field: string | undefined) {
    super(message);
    this.name = 'InvalidWriteError';
  }
}

export class LocalStore {
  readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly applyMutation: ReturnType<typeof createMutationApplier>;
  private readonly refreshDerived: ReturnType<typeof createDerivedRefresher>;
  private readonly contactability: ReturnType<typeof createContactabilityRefresher>;
  private readonly deriver: ReturnType<typeof createDeriver>;
  private readonly judge: ReturnType<typeof createContactability>;
  private readonly contactPointsOf: ReturnType<typeof createContactPointsOfDebtors>;
  private readonly queue: ReturnType<typeof createQueueReader>;
  private readonly stmts;
  /** Accounts a pull judged not contactable since the last refreshContactability (which reports them). */
  private readonly judgedAtPull = new Set<string>();
  /** Bumped on every change of the tables, so readers know when cached answers went stale. */
  private generation = 0;

  static open(file: string, opts: StoreOptions): LocalStore {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const db = new Database(file);
    // the session token and SIP password live in meta: readable by this user only
    // (SQLite gives the -wal and -shm files the database file's permissions)
    if (file !== ':memory:') chmodSync(file, 0o600);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = OFF');
      db.pragma('busy_timeout = 5000');
      // the queue's indexes at 100k accounts are ~30 MB; keep them in memory
      db.pragma('cache_size = -131072');
      // checkpoints run when writes pause (checkpointWhenIdle); this is only the safety net
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
      db.pragma('temp_store = MEMORY');
      migrate(db);
      return new LocalStore(db, file, opts);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private constructor(db: Database.Database, private readonly file: string, private readonly opts: StoreOptions) {
    this.db = db;
    this.now = opts.now ?? (() => new Date());
    this.applyMutation = createMutationApplier(db);
    this.refreshDerived = createDerivedRefresher(db);
    this.contactability = createContactabilityRefresher(db);
    this.deriver = createDeriver(db);
    this.judge = createContactability(db);
    this.contactPointsOf = createContactPointsOfDebtors(db);
    this.queue = createQueueReader(db, () => this.generation);
    this.stmts = {
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?').pluck(),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
      delMeta: db.prepare('DELETE FROM meta WHERE key = ?'),
      appendOutbox: db.prepare('INSERT INTO outbox (name, args, client_time) VALUES (?, ?, ?)'),
      pending: db.prepare(`SELECT id, name, args, client_time FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?`),
      pendingAll: db.prepare(`SELECT id, name, args, client_time FROM outbox WHERE status = 'pending' ORDER BY id`),
      pendingCount: db.prepare(`SELECT count(*) FROM outbox WHERE status = 'pending'`).pluck(),
      trim: db.prepare(`DELETE FROM outbox WHERE status = 'pending' AND id <= ?`),
      reject: db.prepare(`UPDATE outbox SET status = 'rejected', error = ? WHERE id = ?`),
      rejected: db.prepare(`SELECT id, name, error FROM outbox WHERE status = 'rejected' ORDER BY id`),
      upsertDebtor: db.prepare(upsertSql('debtors', DEBTOR_COLS)),
      upsertAccount: db.prepare(upsertSql('accounts', ACCOUNT_COLS)),
      debtorById: db.prepare(`SELECT name AS debtorName, national_id AS nationalId, segment, time_zone AS timeZone,
        country, contact_prefs AS prefs FROM debtors WHERE id = ?`),
      accountsOfDebtors: db.prepare('SELECT id FROM accounts WHERE debtor_id IN (SELECT value FROM json_each(?))').pluck(),
      upsertContactPoint: db.prepare(upsertSql('contact_points', CONTACT_POINT_COLS)),
      upsertActivity: db.prepare(upsertSql('activities', ACTIVITY_COLS)),
      upsertNote: db.prepare(upsertSql('notes', NOTE_COLS)),
      upsertPayment: db.prepare(upsertSql('payments', PAYMENT_COLS)),
      upsertPromise: db.prepare(upsertSql('promises', PROMISE_COLS)),
      debtorsWithAttempts: db.prepare(`SELECT DISTINCT a.debtor_id FROM accounts a JOIN activities t ON t.account_id = a.id
        WHERE a.debtor_id IN (SELECT value FROM json_each(?))`).pluck(),
      setContactable: db.prepare('UPDATE accounts SET contactable_today = ?, not_contactable_reason = ? WHERE id = ?'),
      accountsOfDebtor: db.prepare('SELECT id FROM accounts WHERE debtor_id = ?').pluck(),
      removeAccount: db.prepare('DELETE FROM accounts WHERE id = ? RETURNING debtor_id').pluck(),
      removeFacts: ['activities', 'notes', 'payments', 'promises'].map((t) => db.prepare(`DELETE FROM ${t} WHERE account_id = ?`)),
      orphanDebtor: db.prepare(`DELETE FROM debtors WHERE id = ? AND NOT EXISTS (SELECT 1 FROM accounts WHERE debtor_id = ?)`),
      orphanContactPoints: db.prepare(`DELETE FROM contact_points WHERE debtor_id = ? AND NOT EXISTS (SELECT 1 FROM debtors WHERE id = ?)`),
      allAccountIds: db.prepare('SELECT id FROM accounts').pluck(),
      accountIdsInZone: db.prepare('SELECT id FROM accounts WHERE time_zone = ?').pluck(),
      zones: db.prepare('SELECT DISTINCT time_zone FROM accounts').pluck(),
      dueCallbacks: db.prepare(`SELECT id FROM accounts WHERE callback_at IS NOT NULL AND callback_at <= ?
        AND priority_reason NOT LIKE '{"code":"callback_due"%'`).pluck(),
      // "recently contacted" sinks an account for a while (see rules/priority); lift it when that ends
      contactAged: db.prepare(`SELECT id FROM accounts WHERE priority_reason LIKE '{"code":"recently_contacted"%'
        AND last_contact_at <= ?`).pluck(),
      account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
      debtor: db.prepare('SELECT * FROM debtors WHERE id = ?'),
      contactPoints: db.prepare('SELECT * FROM contact_points WHERE debtor_id = ? ORDER BY kind, id'),
      contactPoint: db.prepare('SELECT * FROM contact_points WHERE id = ?'),
      activities: db.prepare('SELECT * FROM activities WHERE account_id = ? ORDER BY started_at DESC, id'),
      activity: db.prepare('SELECT * FROM activities WHERE id = ?'),
      notes: db.prepare('SELECT * FROM notes WHERE account_id = ? ORDER BY created_at DESC, id'),
      payments: db.prepare('SELECT * FROM payments WHERE account_id = ? ORDER BY paid_at DESC, id'),
      promises: db.prepare('SELECT * FROM promises WHERE account_id = ? ORDER BY created_at DESC, id'),
      siblings: db.prepare('SELECT id FROM accounts WHERE debtor_id = ? AND id <> ? ORDER BY id').pluck(),
      byPhone: db.prepare(`SELECT a.id, a.debtor_name FROM contact_points c JOIN accounts a ON a.debtor_id = c.debtor_id
        WHERE c.digits_rev >= ? AND c.digits_rev < ? ORDER BY a.priority DESC, a.id LIMIT 1`),
      debtorAttempts: db.prepare(`SELECT t.account_id, t.agent_id, t.channel, t.direction, t.started_at, t.disposition FROM activities t
        JOIN accounts a ON a.id = t.account_id WHERE a.debtor_id = ?
          -- a message the server refused to send (recorded without disposition) never reached the debtor
          AND NOT (t.channel IN ('sms', 'whatsapp', 'email') AND t.disposition IS NULL AND t.recorded_at IS NOT NULL)
        ORDER BY t.started_at`),
      callbacksDue: db.prepare(`SELECT id AS accountId, debtor_name AS debtorName, callback_at AS callbackAt FROM accounts
        WHERE callback_at IS NOT NULL AND callback_at > ? AND callback_at <= ? ORDER BY callback_at`),
      clearTables: ['debtors', 'accounts', 'contact_points', 'activities', 'notes', 'payments', 'promises']
        .map((t) => db.prepare(`DELETE FROM ${t}`)),
    };
    if (!this.getMeta('clientId')) this.setMeta('clientId', randomUUID());
    if (this.getMeta(DEFERRED_INDEXES)) {
      // the app stopped in the middle of a full pull (see deferIndexes): the queue gets its
      // indexes and restarts the full pull (a reset page clears the rest); like the last page
      // of a pull, it builds only what the first screen reads and leaves the rest for later
      db.transaction(() => { this.restoreIndexes(true); this.setMeta('cursor', null); })();
    }
    // indexes still owed (see restoreIndexes) are not built here: opening must not hold the
    // app for seconds; the sync engine builds them one per event-loop turn once it runs
  }

  /**
   * A full pull into a cleared store inserts every account once: maintaining the queue's sort and
   * filter indexes row by row costs more than building them once at the end (the last page
   * does). Their definitions are kept in meta in the same transaction, so a store closed halfway
   * knows to rebuild them and restart the pull. Indexes the apply itself reads stay.
   */
  private deferIndexes(): void {
    if (this.getMeta(DEFERRED_INDEXES)) return;
    const indexes = this.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
      AND tbl_name IN ('accounts', 'contact_points')`).all() as Array<{ name: string; sql: string }>;
    const deferred = indexes.filter((i) => !KEPT_DURING_FULL_PULL.has(i.name));
    for (const i of deferred) this.db.exec(`DROP INDEX ${i.name}`);
    // the search index too: its triggers go, and one rebuild from the content follows the indexes
    const triggers = this.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'accounts_fts_%'`)
      .all() as Array<{ name: string; sql: string }>;
    for (const t of triggers) this.db.exec(`DROP TRIGGER ${t.name}`);
    const rebuild = triggers.length ? [...triggers.map((t) => t.sql), FTS_REBUILD] : [];
    // indexes the previous full pull had not built yet are owed too
    const pending = (JSON.parse(this.getMeta(PENDING_INDEXES) ?? '[]') as string[][]).flat();
    this.setMeta(PENDING_INDEXES, null);
    this.setMeta(DEFERRED_INDEXES, JSON.stringify([...deferred.map((i) => i.sql), ...rebuild, ...pending]));
    // one checkpoint after the last page instead of one (with its fsync) every few pages;
    // a connection setting, so a store reopened after a crash is back to the default
    this.db.pragma('wal_autocheckpoint = 0');
  }

  /**
   * At the end of a full pull (`later`: the last page) or when reopening a store left in the
   * middle of one. The indexes the queue's first screen and an incoming call read are built in
   * the page's transaction; the other sort and filter indexes and the search index (~3 s of CPU
   * at 100k accounts) are left in meta as units, built one per transaction by buildPendingIndex
   * while the agent already works — until then those sorts and searches scan, with the same answers.
   */
  private restoreIndexes(later = false): void {
    const raw = this.getMeta(DEFERRED_INDEXES);
    if (!raw) return;
    const all = JSON.parse(raw) as string[];
    const search = all.filter((sql) => sql.includes('accounts_fts'));
    const indexes = all.filter((sql) => !search.includes(sql));
    const now = later ? indexes.filter((sql) => BUILT_WITH_LAST_PAGE.some((name) => sql.includes(` ${name} `))) : all;
    for (const sql of now) this.db.exec(sql);
    const units = later ? [...indexes.filter((sql) => !now.includes(sql)).map((sql) => [sql]), ...(search.length ? [search] : [])] : [];
    this.setMeta(DEFERRED_INDEXES, null);
    this.setMeta(PENDING_INDEXES, units.length ? JSON.stringify(units) : null);
    // the WAL holds the whole pull: copying it into the database file is work for later too
    if (units.length === 0) this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
  }

  /** Builds the next index a full pull left for later (one transaction); returns how many remain. */
  buildPendingIndex(): number {
    const raw = this.getMeta(PENDING_INDEXES);
    if (!raw) return 0;
    const [unit = [], ...rest] = JSON.parse(raw) as string[][];
    this.db.transaction(() => {
      for (const sql of unit) this.db.exec(sql);
      this.setMeta(PENDING_INDEXES, rest.length ? JSON.stringify(rest) : null);
    })();
    if (rest.length === 0) {
      this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
      this.db.pragma('wal_checkpoint(PASSIVE)');
    }
    return rest.length;
  }

  /** Indexes still to be built by buildPendingIndex. */
  pendingIndexCount(): number {
    const raw = this.getMeta(PENDING_INDEXES);
    return raw ? (JSON.parse(raw) as unknown[]).length : 0;
  }

  close(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = null;
    // closing checkpoints the WAL into the database file and syncs it
    if (this.db.open) this.db.close();
  }

  private checkpointTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * Copies the WAL into the database file once writes have paused for a moment. SQLite's own
   * automatic checkpoint runs inside the commit that crosses its threshold — an outcome write
   * that happened to be the thousandth page took 5–50 ms instead of under 1 — so it is set far
   * out (WAL_AUTOCHECKPOINT) and this does the work between the agent's actions.
   */
  private checkpointWhenIdle(): void {
    if (this.file === ':memory:') return;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      // a full pull in progress checkpoints once at its end (see deferIndexes)
      if (this.db.open && this.getMeta(DEFERRED_INDEXES) === null && this.getMeta(PENDING_INDEXES) === null) {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      }
    }, CHECKPOINT_IDLE_MS);
    this.checkpointTimer.unref?.();
  }

  private flushing: Promise<void> | null = null;
  private flushAgain = false;

  /** fsync of the WAL off the main thread, after a local write (see the durability note above). */
  private flushWal(): void {
    if (this.file === ':memory:') return;
    if (this.flushing) { this.flushAgain = true; return; }
    this.flushing = new Promise<void>((resolve) => {
      openFd(`${this.file}-wal`, 'r+', (err, fd) => {
        // no WAL file: checkpointed and closed, already in the synced database file
        if (err) { resolve(); return; }
        fsync(fd, () => closeFd(fd, () => resolve()));
      });
    }).then(() => {
      this.flushing = null;
      if (this.flushAgain) { this.flushAgain = false; this.flushWal(); }
    });
  }

  /** Resolves once every local write made so far has reached the disk. */
  async durable(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  // ---- meta ---------------------------------------------------------------------------------

  getMeta(key: string): string | null {
    return (this.stmts.getMeta.get(key) as string | undefined) ?? null;
  }
  setMeta(key: string, value: string | null): void {
    if (value === null) this.stmts.delMeta.run(key);
    else this.stmts.setMeta.run(key, value);
  }
  get clientId(): string {
    return this.getMeta('clientId')!;
  }
  get cursor(): string | null {
    return this.getMeta('cursor');
  }

  // ---- local writes -------------------------------------------------------------------------

  /**
   * Applies the mutations to the local tables and appends them to the outbox in ONE
   * transaction: either the agent sees the change and it will be sent, or neither.
   * Returns the account ids touched.
   */
  write(writes: readonly LocalWrite[]): { mutationIds: number[]; accountIds: string[] } {
    const clientTime = this.now().toISOString();
    const parsed: ParsedMutation[] = writes.map((w) => {
      const r = parseMutation({ id: 1, name: w.name, args: w.args, clientTime });
      if (!r.ok) throw new InvalidWriteError(r.message, r.field);
      return r.mutation;
    });
    this.generation++;
    const result = this.db.transaction(() => {
      const mutationIds: number[] = [];
      const touched = new Set<string>();
      for (const m of parsed) {
        const info = this.stmts.appendOutbox.run(m.name, JSON.stringify(m.args), clientTime);
        mutationIds.push(Number(info.lastInsertRowid));
        for (const id of this.applyMutation(m, { agentId: this.opts.agentId })) touched.add(id);
      }
      this.refreshDerived(touched, this.now());
      return { mutationIds, accountIds: [...touched] };
    })();
    this.flushWal();
    this.checkpointWhenIdle();
    return result;
  }

  // ---- outbox -------------------------------------------------------------------------------

  pendingMutations(limit: number): MutationEnvelope[] {
    return (this.stmts.pending.all(limit) as Array<{ id: number; name: string; args: string; client_time: string }>)
      .map((r) => ({ id: r.id, name: r.name, args: JSON.parse(r.args), clientTime: r.client_time }));
  }
  pendingCount(): number {
    return this.stmts.pendingCount.get() as number;
  }

  /** Records the server's answer to a push: rejected ones stay visible, processed ones leave. */
  acknowledge(lastMutationId: number, results: readonly MutationResult[]): void {
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const r of results) {
        if (r.status !== 'rejected') continue;
        this.stmts.reject.run(JSON.stringify({
          code: r.error?.code ?? 'rejected', message: r.error?.message ?? 'rejected by the server', at,
        }), r.id);
      }
      this.stmts.trim.run(lastMutationId);
    })();
  }

  rejected(): RejectedEntry[] {
    return (this.stmts.rejected.all() as Array<{ id: number; name: string; error: string | null }>).map((r) => {
      const e = r.error ? JSON.parse(r.error) as { code: string; message: string; at: string } : null;
      return { mutationId: r.id, name: r.name, code: e?.code ?? 'rejected', message: e?.message ?? '', at: e?.at ?? '' };
    });
  }

  // ---- pull ---------------------------------------------------------------------------------

  /**
   * Applies one pulled page in one transaction: the server's rows overwrite local ones, then the
   * still-pending outbox is re-applied on top (rebase) so the agent keeps seeing their unsent
   * edits, the outbox is trimmed by the server's lastMutationId, and the cursor advances with
   * the data it describes. Returns the account ids touched.
   */
  applyPull(page: PullResponse): string[] {
    this.generation++;
    const judged: string[] = [];
    const fullPullEnds = !page.hasMore && this.getMeta(DEFERRED_INDEXES) !== null;
    const touched = this.db.transaction(() => this.applyPullTx(page, judged))();
    // building the indexes filled the page cache with every page of the tables: hand it back
    // (the queue reads a small part of it) to keep the main process's resident memory down
    if (fullPullEnds) this.db.pragma('shrink_memory');
    // reported by the next refreshContactability, like the verdicts it reaches itself
    for (const id of judged) this.judgedAtPull.add(id);
    this.checkpointWhenIdle();
    return touched;
  }

  private applyPullTx(page: PullResponse, judgedOut: string[]): string[] {
    const s = this.stmts;
    const p = page.patch;
    const now = this.now();
    // accounts of this page get their queue columns in the same INSERT; others the page
    // affects (through their debtor, promises, payments, activities) are refreshed after
    const touched = new Set<string>();
    if (page.reset) {
      // indexes and search triggers off first: the clear then maintains none of them
      if (page.hasMore) this.deferIndexes();
      for (const st of s.clearTables) st.run();
    }
    const debtors = new Map<string, { d: Debtor; prefs: string }>();
    for (const d of p.debtors) {
      const row = debtorParams(d);
      s.upsertDebtor.run(inColumnOrder(DEBTOR_COLS, row));
      debtors.set(d.id, { d, prefs: row.contact_prefs });
    }
    if (debtors.size) for (const id of s.accountsOfDebtors.all(JSON.stringify([...debtors.keys()])) as string[]) touched.add(id);
    for (const c of p.contactPoints) s.upsertContactPoint.run(inColumnOrder(CONTACT_POINT_COLS, contactPointParams(c)));
    for (const a of p.activities) { s.upsertActivity.run(inColumnOrder(ACTIVITY_COLS, activityParams(a))); touched.add(a.accountId); }
    for (const n of p.notes) s.upsertNote.run(inColumnOrder(NOTE_COLS, noteParams(n)));
    for (const x of p.payments) { s.upsertPayment.run(inColumnOrder(PAYMENT_COLS, paymentParams(x))); touched.add(x.accountId); }
    for (const x of p.promises) { s.upsertPromise.run(inColumnOrder(PROMISE_COLS, promiseParams(x))); touched.add(x.accountId); }
    const derive = this.deriver(now);
    const q = quarterOf(now);
    const judged: JudgedAccount[] = [];
    const fresh = new Set<string>();
    if (page.snapshot) this.applySnapshot(page.snapshot, p.activities, now, { fresh, judged, touched, judgedOut });
    for (const a of p.accounts) {
      const inPage = debtors.get(a.debtorId);
      const known = inPage
        ? { debtorName: inPage.d.name, nationalId: inPage.d.nationalId, segment: inPage.d.segment, timeZone: inPage.d.timeZone, country: inPage.d.country, prefs: inPage.prefs }
        : (s.debtorById.get(a.debtorId) as (Pick<DerivedSource, 'debtorName' | 'nationalId' | 'segment' | 'timeZone'> & { country: string; prefs: string }) | undefined);
      const dv = known ?? { debtorName: '', nationalId: '', segment: 'medium' as const, timeZone: 'UTC', country: '', prefs: '{}' };
      // stored as visible and judged now; the verdict is written below, once the page is in
      s.upsertAccount.run(inColumnOrder(ACCOUNT_COLS, {
        ...accountParams(a), ...derive(a.id, { ...a, ...dv }), ...UNJUDGED, contactable_judged: q,
      }));
      // an account whose debtor the store lacks stays visible, as refreshContactability leaves it
      if (known) judged.push({ id: a.id, status: a.status, debtorId: a.debtorId, country: dv.country, timeZone: dv.timeZone, prefs: dv.prefs });
      touched.delete(a.id);
    }
    for (const a of p.accounts) fresh.add(a.id);
    for (const id of p.removedAccountIds) {
      const debtorId = s.removeAccount.get(id) as string | undefined;
      for (const st of s.removeFacts) st.run(id);
      touched.delete(id);
      fresh.delete(id);
      if (debtorId) {
        s.orphanDebtor.run(debtorId, debtorId);
        s.orphanContactPoints.run(debtorId, debtorId);
      }
    }
    s.trim.run(page.lastMutationId);
    for (const id of this.rebase()) touched.add(id);
    this.refreshDerived(touched, now);
    judgedOut.push(...this.judgePulled(judged.filter((a) => fresh.has(a.id) && !touched.has(a.id)), now));
    if (!page.hasMore) this.restoreIndexes(true);
    this.setMeta('cursor', page.cursor);
    for (const id of fresh) touched.add(id);
    return [...touched];
  }

  /**
   * The tuples of a full-pull page (src/shared/sync/snapshot.ts), inserted as they arrive: a
   * debtor or contact point tuple is already a row of its table, an account tuple gets its queue
   * columns and its verdict appended. Judging needs the debtor's contact points (all in this
   * page) and past attempts: a debtor with none — nearly all at a first pull — is judged here,
   * before the insert, so the row is written once; the others after, by judgePulled.
   */
  private applySnapshot(
    snap: Snapshot, pageActivities: readonly { accountId: string }[], now: Date,
    out: { fresh: Set<string>; judged: JudgedAccount[]; touched: Set<string>; judgedOut: string[] },
  ): void {
    const s = this.stmts;
    const debtors = new Map<string, unknown[]>();
    for (const d of snap.debtors) {
      s.upsertDebtor.run(d);
      debtors.set(d[D.id] as string, d);
    }
    const cps = new Map<string, Array<{ kind: ContactPoint['kind']; value: string; invalid: boolean; doNotContact: boolean; verified: boolean }>>();
    for (const c of snap.contactPoints) {
      const kind = c[C.kind] as ContactPoint['kind'];
      const value = c[C.value] as string;
      c.push(kind === 'phone' || kind === 'whatsapp' ? reverseDigits(value) : null);
      s.upsertContactPoint.run(c);
      const debtorId = c[C.debtorId] as string;
      let list = cps.get(debtorId);
      if (!list) cps.set(debtorId, list = []);
      list.push({ kind, value, invalid: c[C.invalid] === 1, doNotContact: c[C.doNotContact] === 1, verified: c[C.verified] === 1 });
    }
    const debtorIds = [...debtors.keys()];
    // accounts of earlier pages whose debtor this page sends again: their queue columns follow it
    if (debtorIds.length) for (const id of s.accountsOfDebtors.all(JSON.stringify(debtorIds)) as string[]) out.touched.add(id);
    // debtors with attempts: on accounts of earlier pages, or on this page's (its activities)
    const withAttempts = new Set(debtorIds.length ? s.debtorsWithAttempts.all(JSON.stringify(debtorIds)) as string[] : []);
    if (pageActivities.length) {
      const attempted = new Set(pageActivities.map((t) => t.accountId));
      for (const a of snap.accounts) if (attempted.has(a[A.id] as string)) withAttempts.add(a[A.debtorId] as string);
    }
    const derive = this.deriver(now);
    const judge = this.judge(now);
    const q = quarterOf(now);
    for (const a of snap.accounts) {
      const id = a[A.id] as string;
      const debtorId = a[A.debtorId] as string;
      const d = debtors.get(debtorId);
      const debtor = d ?? this.debtorTuple(debtorId);
      const dv = debtor
        ? { debtorName: debtor[D.name] as string, nationalId: debtor[D.nationalId] as string, segment: debtor[D.segment] as Debtor['segment'], timeZone: debtor[D.timeZone] as string }
        : { debtorName: '', nationalId: '', segment: 'medium' as const, timeZone: 'UTC' };
      const dc = derive(id, {
        dueDate: a[A.dueDate] as string | null, balanceMinor: a[A.balanceMinor] as number, currency: a[A.currency] as Account['currency'],
        status: a[A.status] as Account['status'], callbackAt: a[A.callbackAt] as string | null,
        lastContactAt: a[A.lastContactAt] as string | null, externalRef: a[A.externalRef] as string, ...dv,
      });
      let verdict = UNJUDGED;
      if (debtor) {
        const ja: JudgedAccount = {
          id, status: a[A.status] as Account['status'], debtorId, country: debtor[D.country] as string, timeZone: dv.timeZone,
          prefs: debtor[D.contactPrefs] as string,
        };
        if (withAttempts.has(debtorId) || !d) out.judged.push(ja);
        else {
          verdict = judge.known(ja, false, cps.get(debtorId) ?? []);
          if (verdict.contactable_today !== UNJUDGED.contactable_today || verdict.not_contactable_reason !== UNJUDGED.not_contactable_reason) out.judgedOut.push(id);
        }
      }
      a.push(dc.debtor_name, dc.search_text, dc.segment, dc.time_zone, dc.dpd, dc.bucket, dc.priority, dc.priority_reason,
        verdict.contactable_today, verdict.not_contactable_reason, q);
      s.upsertAccount.run(a);
      out.fresh.add(id);
      out.touched.delete(id);
    }
  }

  /** A debtor already in the store, in tuple form (an account whose debtor came in an earlier page). */
  private debtorTuple(debtorId: string): unknown[] | null {
    const r = this.stmts.debtorById.get(debtorId) as { debtorName: string; nationalId: string; segment: string; timeZone: string; country: string; prefs: string } | undefined;
    if (!r) return null;
    const t = new Array<unknown>(WIRE_DEBTOR_COLUMNS.length);
    t[D.id] = debtorId; t[D.name] = r.debtorName; t[D.nationalId] = r.nationalId; t[D.segment] = r.segment;
    t[D.timeZone] = r.timeZone; t[D.country] = r.country; t[D.contactPrefs] = r.prefs;
    return t;
  }

  /**
   * "Contactable today" for the accounts a page brought (those the rebase touched were judged by
   * refreshDerived): the same shared rules as refreshContactability, reading the page's account
   * and debtor fields as just stored, and the attempts query only for debtors that have any.
   */
  private judgePulled(accounts: JudgedAccount[], now: Date): string[] {
    const notVisible: string[] = [];
    if (accounts.length === 0) return notVisible;
    const debtorIds = [...new Set(accounts.map((a) => a.debtorId))];
    const withAttempts = new Set(this.stmts.debtorsWithAttempts.all(JSON.stringify(debtorIds)) as string[]);
    const cps = this.contactPointsOf(debtorIds);
    const judge = this.judge(now);
    for (const a of accounts) {
      const v = judge.known(a, withAttempts.has(a.debtorId), cps.get(a.debtorId));
      if (v.contactable_today !== UNJUDGED.contactable_today || v.not_contactable_reason !== UNJUDGED.not_contactable_reason) {
        this.stmts.setContactable.run(v.contactable_today, v.not_contactable_reason, a.id);
        notVisible.push(a.id);
      }
    }
    return notVisible;
  }

  /** Re-applies every pending mutation in order; each effect is idempotent (see apply-mutation). */
  private rebase(): Set<string> {
    const touched = new Set<string>();
    for (const r of this.stmts.pendingAll.all() as Array<{ id: number; name: string; args: string; client_time: string }>) {
      const parsed = parseMutation({ id: r.id, name: r.name, args: JSON.parse(r.args), clientTime: r.client_time });
      if (!parsed.ok) continue;
      for (const id of this.applyMutation(parsed.mutation, { agentId: this.opts.agentId })) touched.add(id);
    }
    return touched;
  }

  /**
   * Recomputes dpd and priority where time moved them: every account whose debtor's calendar
   * day changed since the last refresh, and every account whose callback has fallen due.
   */
  refreshForTime(): string[] {
    const now = this.now();
    const seen = JSON.parse(this.getMeta('zoneDates') ?? '{}') as Record<string, string>;
    const next: Record<string, string> = {};
    const touched = new Set<string>();
    this.generation++;
    return this.db.transaction(() => {
      for (const tz of this.stmts.zones.all() as string[]) {
        let today: string;
        try { today = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(now); } catch { continue; }
        next[tz] = today;
        if (seen[tz] !== today) for (const id of this.stmts.accountIdsInZone.all(tz) as string[]) touched.add(id);
      }
      for (const id of this.stmts.dueCallbacks.all(now.toISOString()) as string[]) touched.add(id);
      const aged = new Date(now.getTime() - RECENT_CONTACT_HOURS * 3_600_000).toISOString();
      for (const id of this.stmts.contactAged.all(aged) as string[]) touched.add(id);
      this.refreshDerived(touched, now);
      this.setMeta('zoneDates', JSON.stringify(next));
      return [...touched];
    })();
  }

  /**
   * Judges "contactable today" (the queue's compliance filter) for accounts not judged in this
   * quarter hour: new accounts after a pull, and every account as hours close and days change.
   * Returns the accounts whose verdict changed.
   */
  refreshContactability(): string[] {
    const changed = this.contactability(this.now());
    if (changed.length) this.generation++;
    if (this.judgedAtPull.size === 0) return changed;
    const all = [...new Set([...this.judgedAtPull, ...changed])];
    this.judgedAtPull.clear();
    return all;
  }

  /** Callbacks whose time fell in (from, to]: what a desktop notification announces. */
  callbacksDueBetween(from: string, to: string): Array<{ accountId: string; debtorName: string; callbackAt: string }> {
    return this.stmts.callbacksDue.all(from, to) as Array<{ accountId: string; debtorName: string; callbackAt: string }>;
  }

  recomputeAll(): number {
    this.generation++;
    return this.db.transaction(() => this.refreshDerived(this.stmts.allAccountIds.all() as string[], this.now()))();
  }

  // ---- reads --------------------------------------------------------------------------------

  /** The agent's own attempts and promises since `since` (ISO instant), local writes included. */
  myDay(agentId: string, since: string): Omit<MyDay, 'since'> {
    const rpc = [...RIGHT_PARTY_DISPOSITIONS];
    const a = this.db.prepare(`SELECT
        count(*) FILTER (WHERE channel = 'call') AS calls,
        count(*) FILTER (WHERE channel IN ('sms', 'whatsapp', 'email') AND disposition IS NOT NULL) AS messages,
        count(*) FILTER (WHERE channel = 'visit') AS visits,
        count(*) FILTER (WHERE disposition IN (${rpc.map(() => '?').join(', ')})) AS rpc
      FROM activities WHERE agent_id = ? AND started_at >= ?`).get(...rpc, agentId, since) as { calls: number; messages: number; visits: number; rpc: number };
    const promised = this.db.prepare(`SELECT p.currency, sum(json_extract(i.value, '$.amountMinor')) AS amount, count(DISTINCT p.id) AS n
      FROM promises p, json_each(p.installments) i
      WHERE p.agent_id = ? AND p.created_at >= ? AND p.status <> 'cancelled' GROUP BY p.currency ORDER BY p.currency`)
      .all(agentId, since) as Array<{ currency: string; amount: number; n: number }>;
    return {
      calls: a.calls, messages: a.messages, visits: a.visits, rightPartyContacts: a.rpc,
      promisesMade: promised.reduce((n, r) => n + r.n, 0),
      promised: promised.map((r) => ({ currency: r.currency, amountMinor: r.amount })),
    };
  }

  listQueue(query: z.input<typeof QueueQuery>): QueuePage {
    return this.queue(QueueQuery.parse(query));
  }

  getAccount(accountId: string): AccountDetail | null {
    const s = this.stmts;
    const row = s.account.get(accountId) as Record<string, unknown> | undefined;
    if (!row) return null;
    const account = accountFromRow(row);
    const debtorRow = s.debtor.get(account.debtorId) as Record<string, unknown> | undefined;
    if (!debtorRow) return null;
    const activities = (s.activities.all(accountId) as Array<Record<string, unknown>>).map(activityFromRow);
    const notes = (s.notes.all(accountId) as Array<Record<string, unknown>>).map(noteFromRow);
    const pendingIds = new Set(this.pendingWrittenIds());
    return {
      account,
      debtor: debtorFromRow(debtorRow),
      contactPoints: (s.contactPoints.all(account.debtorId) as Array<Record<string, unknown>>).map(contactPointFromRow),
      activities,
      notes,
      payments: (s.payments.all(accountId) as Array<Record<string, unknown>>).map(paymentFromRow),
      promises: (s.promises.all(accountId) as Array<Record<string, unknown>>).map(promiseFromRow),
      siblingAccountIds: s.siblings.all(account.debtorId, accountId) as string[],
      dpd: Number(row.dpd),
      pendingActivityIds: [...activities.map((a) => a.id), ...notes.map((n) => n.id)].filter((id) => pendingIds.has(id)),
    };
  }

  getAccountRow(accountId: string): Account | null {
    const row = this.stmts.account.get(accountId) as Record<string, unknown> | undefined;
    return row ? accountFromRow(row) : null;
  }
  getDebtor(debtorId: string): Debtor | null {
    const row = this.stmts.debtor.get(debtorId) as Record<string, unknown> | undefined;
    return row ? debtorFromRow(row) : null;
  }
  getContactPoint(id: string): ContactPoint | null {
    const row = this.stmts.contactPoint.get(id) as Record<string, unknown> | undefined;
    return row ? contactPointFromRow(row) : null;
  }
  getActivity(id: string) {
    const row = this.stmts.activity.get(id) as Record<string, unknown> | undefined;
    return row ? activityFromRow(row) : null;
  }

  /** Ids of activities, notes and promises created by writes still waiting in the outbox. */
  private pendingWrittenIds(): string[] {
    const ids: string[] = [];
    for (const r of this.stmts.pendingAll.all() as Array<{ name: string; args: string }>) {
      const args = JSON.parse(r.args) as { id?: unknown; activityId?: unknown };
      if (typeof args.id === 'string') ids.push(args.id);
      if (typeof args.activityId === 'string') ids.push(args.activityId);
    }
    return ids;
  }

  /** The account a caller's number belongs to: the last 7+ digits are enough. */
  findAccountByPhone(phone: string): { accountId: string; debtorName: string } | null {
    const digits = digitsOnly(phone);
    if (digits.length < PHONE_SUFFIX_MIN) return null;
    const rev = reverseDigits(digits).slice(0, Math.min(digits.length, 10));
    const r = this.stmts.byPhone.get(rev, `${rev}:`) as { id: string; debtor_name: string } | undefined;
    return r ? { accountId: r.id, debtorName: r.debtor_name } : null;
  }

  /** Every attempt on a debtor this store knows of, unsynced ones included, for the compliance check. */
  attemptsOnDebtor(debtorId: string): ContactAttempt[] {
    return (this.stmts.debtorAttempts.all(debtorId) as Array<{ account_id: string; agent_id: string | null; channel: Channel; direction: 'outbound' | 'inbound'; started_at: string; disposition: Disposition | null }>)
      .map((r) => ({
        accountId: r.account_id, agentId: r.agent_id, debtorId, channel: r.channel, direction: r.direction, at: r.started_at,
        conversation: r.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(r.disposition),
      }));
  }
}

// Samples only used to derive column lists from the param builders (one source of truth).
const sampleDebtor: Debtor = {
  id: '', orgId: '', externalId: '', name: '', nationalId: '', country: 'CO', timeZone: 'UTC', debtorType: 'individual',
  segment: 'low', contactPrefs: { authorizedChannels: [], preferredChannel: null, windows: [], preferredPaymentDay: null }, version: '0',
};
const sampleAccount: Account = {
  id: '', orgId: '', debtorId: '', externalRef: '', product: '', currency: 'COP', principalMinor: 0, balanceMinor: 0,
  dueDate: null, installmentsTotal: 0, installmentsPaid: 0, installmentAmountMinor: null, status: 'active',
  assignedAgentId: null, callbackAt: null, callbackNote: null, lastContactAt: null, version: '0',
};
const sampleContactPoint: ContactPoint = {
  id: '', debtorId: '', kind: 'phone', value: '', label: null, verified: false, invalid: false, doNotContact: false, version: '0',
};

const DEFERRED_INDEXES = 'deferredIndexes';
/** Units (statement lists) of indexes a finished full pull left to buildPendingIndex. */
const PENDING_INDEXES = 'pendingIndexes';
/** The default queue (contactable first, by priority), all accounts by priority, due callbacks, a caller's number. */
const BUILT_WITH_LAST_PAGE = ['accounts_contactable', 'accounts_priority', 'accounts_callback', 'contact_points_digits_rev'];
/** Refills the external-content search index from accounts (after its triggers were off). */
const FTS_REBUILD = `INSERT INTO accounts_fts(accounts_fts) VALUES ('rebuild')`;
/** WAL pages at which a commit checkpoints by itself: 64 MB, only if writes never pause. */
const WAL_AUTOCHECKPOINT = 16_000;
/** Quiet time after a write before the WAL is checkpointed. */
const CHECKPOINT_IDLE_MS = 2_000;
/** Read while a page applies: accounts and contact points of a debtor (touched accounts, contactability). */
const KEPT_DURING_FULL_PULL = new Set(['accounts_debtor', 'contact_points_debtor']);

// column lists of the positional upserts (used at run time only, so defined after the samples)
const DEBTOR_COLS = Object.keys(debtorParams(sampleDebtor));
const ACCOUNT_COLS = [...Object.keys(accountParams(sampleAccount)), ...DERIVED_COLUMNS, ...JUDGED_COLUMNS];
const CONTACT_POINT_COLS = Object.keys(contactPointParams(sampleContactPoint));
const ACTIVITY_COLS = ['id', 'account_id', 'agent_id', 'channel', 'direction', 'contact_point_id', 'address', 'disposition', 'note',
  'started_at', 'answered_at', 'ended_at', 'duration_sec', 'sip_status', 'hangup_by', 'promise_id', 'manual_dial', 'recorded_at', 'version'];
const NOTE_COLS = ['id', 'account_id', 'author_id', 'body', 'created_at', 'recorded_at', 'version'];
const PAYMENT_COLS = ['id', 'account_id', 'reference', 'amount_minor', 'currency', 'paid_at', 'reversed_at', 'version'];
const PROMISE_COLS = ['id', 'account_id', 'agent_id', 'channel', 'currency', 'created_at', 'status', 'installments', 'plan_id', 'version'];

// A tuple of the wire is a row of the store: the same columns in the same order (see snapshot.ts).
for (const [wire, cols, extra] of [
  [WIRE_DEBTOR_COLUMNS, DEBTOR_COLS, 0], [WIRE_CONTACT_POINT_COLUMNS, CONTACT_POINT_COLS, 1],
  [WIRE_ACCOUNT_COLUMNS, ACCOUNT_COLS, DERIVED_COLUMNS.length + JUDGED_COLUMNS.length],
] as const) {
  const snake = wire.map((c) => c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`));
  if (snake.join() !== cols.slice(0, cols.length - extra).join()) throw new Error(`store columns ${cols.join()} do not follow the wire tuple ${wire.join()}`);
}
