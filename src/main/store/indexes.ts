import type Database from 'better-sqlite3-multiple-ciphers';
import type { Meta } from './meta';
import { WAL_AUTOCHECKPOINT } from './open';

/** The default queue (contactable first, by priority), all accounts by priority, due callbacks, a caller's number. */
const BUILT_WITH_LAST_PAGE = ['accounts_contactable', 'accounts_priority', 'accounts_callback', 'contact_points_digits_rev'];
/** Refills the external-content search index from accounts (after its triggers were off). */
const FTS_REBUILD = `INSERT INTO accounts_fts(accounts_fts) VALUES ('rebuild')`;
/** Read while a page applies: accounts and contact points of a debtor (touched accounts, contactability). */
const KEPT_DURING_FULL_PULL = new Set(['accounts_debtor', 'contact_points_debtor']);

export type DeferredIndexes = ReturnType<typeof createDeferredIndexes>;

/**
 * A full pull into a cleared store inserts every account once: maintaining the queue's sort and
 * filter indexes row by row costs more than building them once at the end (the last page
 * does). Their definitions are kept in meta in the same transaction, so a store closed halfway
 * knows to rebuild them and restart the pull. Indexes the apply itself reads stay.
 */
export function createDeferredIndexes(db: Database.Database, meta: Meta) {
  function defer(): void {
    if (meta.get('deferredIndexes')) return;
    const indexes = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
      AND tbl_name IN ('accounts', 'contact_points')`,
      )
      .all() as Array<{ name: string; sql: string }>;
    const deferred = indexes.filter((i) => !KEPT_DURING_FULL_PULL.has(i.name));
    for (const i of deferred) db.exec(`DROP INDEX ${i.name}`);
    // the search index too: its triggers go, and one rebuild from the content follows the indexes
    const triggers = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'accounts_fts_%'`)
      .all() as Array<{ name: string; sql: string }>;
    for (const t of triggers) db.exec(`DROP TRIGGER ${t.name}`);
    const rebuild = triggers.length ? [...triggers.map((t) => t.sql), FTS_REBUILD] : [];
    // indexes the previous full pull had not built yet are owed too
    const pending = meta.json<string[][]>('pendingIndexes', []).flat();
    meta.set('pendingIndexes', null);
    meta.set('deferredIndexes', JSON.stringify([...deferred.map((i) => i.sql), ...rebuild, ...pending]));
    // one checkpoint after the last page instead of one (with its fsync) every few pages;
    // a connection setting, so a store reopened after a crash is back to the default
    db.pragma('wal_autocheckpoint = 0');
  }

  /**
   * At the end of a full pull (`later`: the last page) or when reopening a store left in the
   * middle of one. The indexes the queue's first screen and an incoming call read are built in
   * the page's transaction; the other sort and filter indexes and the search index (~3 s of CPU
   * at 100k accounts) are left in meta as units, built one per transaction by buildPending
   * while the agent already works — until then those sorts and searches scan, with the same answers.
   */
  function restore(later = false): void {
    const raw = meta.get('deferredIndexes');
    if (!raw) return;
    const all = JSON.parse(raw) as string[];
    const search = all.filter((sql) => sql.includes('accounts_fts'));
    const indexes = all.filter((sql) => !search.includes(sql));
    const now = later ? indexes.filter((sql) => BUILT_WITH_LAST_PAGE.some((name) => sql.includes(` ${name} `))) : all;
    for (const sql of now) db.exec(sql);
    const units = later ? [...indexes.filter((sql) => !now.includes(sql)).map((sql) => [sql]), ...(search.length ? [search] : [])] : [];
    meta.set('deferredIndexes', null);
    meta.set('pendingIndexes', units.length ? JSON.stringify(units) : null);
    // the WAL holds the whole pull: copying it into the database file is work for later too
    if (units.length === 0) db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
  }

  /** Builds the next index a full pull left for later (one transaction); returns how many remain. */
  function buildPending(): number {
    const raw = meta.get('pendingIndexes');
    if (!raw) return 0;
    const [unit = [], ...rest] = JSON.parse(raw) as string[][];
    db.transaction(() => {
      for (const sql of unit) db.exec(sql);
      meta.set('pendingIndexes', rest.length ? JSON.stringify(rest) : null);
    })();
    if (rest.length === 0) {
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
      db.pragma('wal_checkpoint(PASSIVE)');
    }
    return rest.length;
  }

  return {
    defer,
    restore,
    buildPending,
    /** Indexes still to be built by buildPending. */
    pendingCount: () => meta.json<unknown[]>('pendingIndexes', []).length,
    /** A full pull is under way (its indexes are off). */
    deferred: () => meta.get('deferredIndexes') !== null,
    /** Index work is under way or owed: the WAL is checkpointed when it is done. */
    busy: () => meta.get('deferredIndexes') !== null || meta.get('pendingIndexes') !== null,
  };
}
