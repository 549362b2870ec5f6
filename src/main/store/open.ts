import Database from 'better-sqlite3';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate';

/** WAL pages at which a commit checkpoints by itself: 64 MB, only if writes never pause. */
export const WAL_AUTOCHECKPOINT = 16_000;

/** Opens the store's SQLite file with the connection settings the store relies on, at the latest schema. */
export function openDatabase(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  // readable by this user only (SQLite gives the -wal and -shm files the database file's permissions)
  if (file !== ':memory:') chmodSync(file, 0o600);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma('busy_timeout = 5000');
    // the queue's indexes at 100k accounts are ~30 MB; keep them in memory
    db.pragma('cache_size = -131072');
    // checkpoints run when writes pause (durability.ts); this is only the safety net
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT}`);
    db.pragma('temp_store = MEMORY');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
