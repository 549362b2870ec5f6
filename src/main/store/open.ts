import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
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
  if (file === ':memory:') return { db: configure(new Database(file), file, opts.key), recovered: null };
  ensurePrivateDir(dirname(file));
  try {
    if (opts.key && isPlaintextDatabase(file)) {
      const plain = new Database(file);
      try { encryptInPlace(plain, opts.key); } finally { plain.close(); }
    }
    return { db: configure(new Database(file), file, opts.key), recovered: null };
  } catch (e) {
    if (!isCorruption(e)) throw e;
    // an encrypted store opened without its key (a tool, a test) is refused, never quarantined
    if (!opts.key && !isPlaintextDatabase(file) && existsSync(file) && statSync(file).size > 0) {
      throw new StoreCorruptError(`${file} is encrypted: it opens only with its key`);
    }
    const salvage = quarantine(file, opts.key, (opts.now ?? (() => new Date()))());
    const db = configure(new Database(file), file, opts.key);
    restoreSalvage(db, salvage);
    return { db, recovered: salvage };
  }
}

function configure(db: Database.Database, file: string, key: Buffer | undefined): Database.Database {
  try {
    if (key) applyKey(db, key);
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
    if (file !== ':memory:') {
      // every page's structure, without the cross-checks of integrity_check: a damaged file is
      // found here, not by the agent's first screen
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw new StoreCorruptError(`store failed its integrity check: ${String(check)}`);
    }
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Folders made for a store are this user's only (an existing folder is left as it is: it may be shared, like a temp dir). */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}
