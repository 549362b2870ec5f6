import type { Migration } from './types';

/**
 * Each debtor's best hours to call, recommended channel and rule segment (server migration 0024,
 * docs/contact-habits.md), as pulled: best_hours and channel are JSON text. The queue's priority
 * reads best_hours offline; the account screen shows them with their reasons.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'contact-habits',
  up: `CREATE TABLE contact_habits (
  debtor_id TEXT PRIMARY KEY,
  best_hours TEXT NOT NULL DEFAULT '[]',
  best_rate REAL NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  rpc INTEGER NOT NULL DEFAULT 0,
  segment TEXT NOT NULL,
  channel TEXT,
  computed_at TEXT NOT NULL,
  version TEXT NOT NULL
);`,
};
