import type { Migration } from './types';

/**
 * The risk score of each account as the server last computed it (server migration 0029,
 * docs/risk.md): the propensity to pay, the roll probability and the three reasons, as JSON. The
 * queue's priority reads the propensity (src/shared/rules/priority.ts); offline it keeps the last
 * score it synced.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'account-scores',
  up: `CREATE TABLE account_scores (
  account_id TEXT PRIMARY KEY,
  pay_probability REAL NOT NULL,
  roll_probability REAL,
  reasons TEXT NOT NULL,
  as_of TEXT NOT NULL,
  version TEXT NOT NULL
);`,
};
