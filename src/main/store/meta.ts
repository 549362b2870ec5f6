import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * Every key of the store's `meta` table, with what it holds. A key not listed here is a compile
 * error at getMeta/setMeta, so a typo cannot quietly read nothing, and a new key gets its
 * meaning written down where the others are. Values are strings (JSON where noted).
 */
export const META_KEYS = {
  clientId: 'this store as a sync client (uuid, made at first open)',
  cursor: 'the pull cursor the tables are at (null: the next pull is a full one)',
  lastSyncAt: 'ISO instant of the last successful sync',
  zoneDates: 'JSON {timeZone: yyyy-mm-dd} of the calendar day each zone was last refreshed for',
  deferredIndexes: 'JSON list of index/trigger SQL dropped while a full pull is under way',
  pendingIndexes: 'JSON list of SQL units a finished full pull left to build one at a time',
  orgCompliance: "JSON: the organisation's compliance rules as last fetched",
  messageTemplates: "JSON: the organisation's message templates as last fetched",
  orgDataVersions: 'JSON: the org-data tokens of the last pull',
  orgDataFetched: 'JSON: the org-data token each kind was last fetched at',
  'collections.policies': 'JSON: settlement and plan policies as last fetched',
  'collections.approvals': "JSON: the agent's approval requests",
  'collections.approvalsSince': 'the newest approval update seen (ms)',
  session: 'JSON: the signed-in user and server (the token lives in the secret vault)',
  sip: 'JSON: SIP settings (the password lives in the secret vault)',
  lock: "why the portfolio is locked behind a new login ('' or absent: not locked; services/lock.ts)",
  security: "JSON: the organisation's security policy as last fetched (max offline days …)",
  lastLoginAt: 'ISO instant of the last successful login on this store',
  receiptGeneration: 'the generation of the last receipt-block answer (docs/field-collection.md; 0 or absent: none yet)',
  receiptIssuer: 'JSON: the organisation as its receipts name it, from the last receipt-block answer',
  receiptHwm: 'the highest receipt number this store must never issue again, beside its receipts (blocks dropped by a restore)',
} as const;
export type MetaKey = keyof typeof META_KEYS;

export interface Meta {
  get(key: MetaKey): string | null;
  /** null deletes the key */
  set(key: MetaKey, value: string | null): void;
  /** A JSON value, or `fallback` when absent or unreadable. */
  json<T>(key: MetaKey, fallback: T): T;
}

export function createMeta(db: Database.Database): Meta {
  const getStmt = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
  const setStmt = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const delStmt = db.prepare('DELETE FROM meta WHERE key = ?');
  const get = (key: MetaKey) => (getStmt.get(key) as string | undefined) ?? null;
  return {
    get,
    set(key, value) {
      if (value === null) delStmt.run(key);
      else setStmt.run(key, value);
    },
    json<T>(key: MetaKey, fallback: T): T {
      const raw = get(key);
      if (raw === null) return fallback;
      try {
        return JSON.parse(raw) as T;
      } catch {
        return fallback;
      }
    },
  };
}
