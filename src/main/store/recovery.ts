import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, renameSync } from 'node:fs';
import { applyKey } from './cipher';

/** SQLite's answers for a file that is not (or no longer) a readable database. */
const CORRUPT_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_VTAB',
]);

export class StoreCorruptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreCorruptError';
  }
}

export function isCorruption(e: unknown): boolean {
  if (e instanceof StoreCorruptError) return true;
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

/** What a quarantined store gave back: the outbox rows still readable, and the sync identity they belong to. */
export interface Salvage {
  /** Where the bad file now is. */
  quarantinedAs: string;
  clientId: string | null;
  /** The highest outbox id ever used (sqlite_sequence), so new writes never reuse an id the server saw. */
  outboxSeq: number | null;
  rows: Array<{ id: number; name: string; args: string; client_time: string; status: string; error: string | null }>;
}

/**
 * Moves a store SQLite cannot read aside (with its -wal and -shm, the name stamped with the
 * time) so the agent can sign in again to a store rebuilt from the server, and reads back what
 * it can of what exists nowhere else: the outbox. Rows are read forwards until a bad page and
 * backwards until one, so a hole in the middle loses only the rows in it.
 */
export function quarantine(file: string, key: Buffer | undefined, now: Date): Salvage {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const quarantinedAs = `${file}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, quarantinedAs + suffix);
  }
  const salvage: Salvage = { quarantinedAs, clientId: null, outboxSeq: null, rows: [] };
  let db: Database.Database | null = null;
  try {
    db = new Database(quarantinedAs, { readonly: true, fileMustExist: true });
    if (key) applyKey(db, key);
    salvage.clientId =
      tryRead(() => db!.prepare(`SELECT value FROM meta WHERE key = 'clientId'`).pluck().get() as string | undefined) ?? null;
    salvage.outboxSeq =
      tryRead(() => db!.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).pluck().get() as number | undefined) ?? null;
    const byId = new Map<number, Salvage['rows'][number]>();
    for (const order of ['ASC', 'DESC']) {
      try {
        for (const r of db.prepare(`SELECT id, name, args, client_time, status, error FROM outbox ORDER BY id ${order}`).iterate()) {
          const row = r as Salvage['rows'][number];
          byId.set(row.id, row);
        }
      } catch {
        /* a bad page: the other direction reads what lies beyond it */
      }
    }
    salvage.rows = [...byId.values()].sort((a, b) => a.id - b.id);
  } catch {
    // not even the header reads (or the key is not this file's): nothing to salvage
  } finally {
    try {
      db?.close();
    } catch {
      /* already unusable */
    }
  }
  return salvage;
}

function tryRead<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Puts the salvaged outbox into the new store with its ids and the old client id, so the server
 * — which acknowledges per client and mutation id — takes each exactly once: the full pull that
 * rebuilds the store trims the rows it had already processed. Without the client id or the
 * outbox's sequence the rows go under this store's own new id.
 */
export function restoreSalvage(db: Database.Database, s: Salvage): void {
  db.transaction(() => {
    const keepIdentity = s.clientId !== null && s.outboxSeq !== null;
    if (keepIdentity) {
      db.prepare(`INSERT INTO meta (key, value) VALUES ('clientId', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(
        s.clientId,
      );
    }
    const insert = keepIdentity
      ? db.prepare(
          'INSERT INTO outbox (id, name, args, client_time, status, error) VALUES (@id, @name, @args, @client_time, @status, @error)',
        )
      : db.prepare('INSERT INTO outbox (name, args, client_time, status, error) VALUES (@name, @args, @client_time, @status, @error)');
    for (const r of s.rows) insert.run(r);
    if (keepIdentity) {
      // ids continue after every id the old store handed out, sent or not
      const seq = Math.max(s.outboxSeq!, ...s.rows.map((r) => r.id));
      db.prepare(`UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'outbox'`).run(seq);
      db.prepare(
        `INSERT INTO sqlite_sequence (name, seq) SELECT 'outbox', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox')`,
      ).run(seq);
    }
  })();
}
