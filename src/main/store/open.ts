import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyKey, encryptInPlace, isPlaintextDatabase } from './cipher';
import { migrate } from './migrate';
import { isCorruption, quarantine, restoreSalvage, StoreCorruptError, type Salvage } from './recovery';

/** WAL pages at which a commit checkpoints by itself: 64 MB, only if writes never pause. */
export const WAL_AUTOCHECKPOINT = 16_000;

export interface OpenOptions {
  /** 32 bytes: the store is encrypted with it (a plaintext store is encrypted in place). None: plaintext. */
  key?: Buffer;
  /** Stamps a quarantined file's name. */
  now?: () => Date;
  /** Files up to this size are checked whole at every open. */
  fullCheckMaxBytes?: number;
}

export interface OpenedDatabase {
  db: Database.Database;
  /** Set when the file could not be read: it was moved aside and this is a new store with its salvaged outbox. */
  recovered: Salvage | null;
}

/**
 * Opens the store's SQLite file with the connection settings the store relies on, at the latest
 * schema. A file SQLite reports as damaged — at open, or by the quick check every open runs —
 * is quarantined (recovery.ts) and replaced by an empty store holding its salvaged outbox, which
 * the next full pull fills again: a bad file never locks the agent out.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): OpenedDatabase {
  if (file === ':memory:') return { db: configure(new Database(file), file, opts), recovered: null };
  ensurePrivateDir(dirname(file));
  try {
    if (opts.key && isPlaintextDatabase(file)) {
      const plain = new Database(file);
      try {
        encryptInPlace(plain, opts.key);
      } finally {
        plain.close();
      }
    }
    return { db: configure(new Database(file), file, opts), recovered: null };
  } catch (e) {
    if (!isCorruption(e)) throw e;
    // an encrypted store opened without its key (a tool, a test) is refused, never quarantined
    if (!opts.key && !isPlaintextDatabase(file) && existsSync(file) && statSync(file).size > 0) {
      throw new StoreCorruptError(`${file} is encrypted: it opens only with its key`);
    }
    const salvage = quarantine(file, opts.key, (opts.now ?? (() => new Date()))());
    const db = configure(new Database(file), file, opts);
    restoreSalvage(db, salvage);
    return { db, recovered: salvage };
  }
}

function configure(db: Database.Database, file: string, opts: OpenOptions): Database.Database {
  try {
    if (opts.key) applyKey(db, opts.key);
    // readable by this user only (SQLite gives the -wal and -shm files the database file's permissions)
    if (file !== ':memory:') chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma('busy_timeout = 5000');
    // the queue's indexes at 100k accounts are ~30 MB; keep them in memory
    db.pragma('cache_size = -131072');
    // checkpoints run when writes pause (durability.ts); this is only the safety net
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
    db.pragma('temp_store = MEMORY');
    if (file !== ':memory:') checkIntegrity(db, file, opts.fullCheckMaxBytes ?? FULL_CHECK_MAX_BYTES);
    migrate(db);
    clearSuspicion(file);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** A store file up to this size gets a full quick_check at every open (~0.1 s); a larger one only when suspected. */
const FULL_CHECK_MAX_BYTES = 16 * 1024 * 1024;

/**
 * quick_check (every page's structure, without integrity_check's cross-checks) of the whole
 * file when it is small or was suspected (a read hit a damaged page: see markSuspect), else of
 * what exists nowhere else and is read first — the outbox and meta: a whole check of a 100k
 * account store takes 0.5–2 s, which no open may cost. Damage elsewhere is found by the first
 * read that meets it, which marks the file, and the next open quarantines it.
 */
function checkIntegrity(db: Database.Database, file: string, fullCheckMaxBytes: number): void {
  const whole = existsSync(suspectFile(file)) || statSync(file).size <= fullCheckMaxBytes;
  // (a new file has none of these tables yet)
  const tables = whole
    ? ['']
    : (db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('outbox', 'meta', 'sqlite_sequence')`)
        .pluck()
        .all() as string[]);
  for (const target of tables) {
    const check = db.pragma(target ? `quick_check(${target})` : 'quick_check(1)', { simple: true });
    if (check !== 'ok') throw new StoreCorruptError(`store failed its integrity check: ${String(check)}`);
  }
}

function suspectFile(file: string): string {
  return `${file}.check`;
}

/** A read met a damaged page: the next open checks the whole file (and quarantines it if so). */
export function markSuspect(file: string): void {
  if (file === ':memory:') return;
  try {
    writeFileSync(suspectFile(file), new Date().toISOString(), { mode: 0o600 });
  } catch {
    /* a full disk: the error itself is reported */
  }
}

function clearSuspicion(file: string): void {
  if (file !== ':memory:') rmSync(suspectFile(file), { force: true });
}

/** Folders made for a store are this user's only (an existing folder is left as it is: it may be shared, like a temp dir). */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
