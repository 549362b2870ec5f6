import type { Migration } from './types';

/**
 * Field receipts (docs/field-collection.md): the blocks of receipt numbers the server handed this
 * device, with each block's verification key, and the receipts issued from them. Both are the
 * device's own (never replaced by a pull): a receipt's row is written in the same transaction as
 * its `receipt.issue` mutation, so a number is used exactly when its receipt exists.
 */
export const migration0011: Migration = {
  version: 11,
  name: 'field-receipts',
  up: `CREATE TABLE receipt_blocks (
  id TEXT PRIMARY KEY,
  first_no INTEGER NOT NULL,
  last_no INTEGER NOT NULL,
  key TEXT NOT NULL,
  received_at TEXT NOT NULL,
  -- the server retired it (this store was an old copy): no number of it is issued any more
  dropped INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE receipts (
  id TEXT PRIMARY KEY,
  number INTEGER NOT NULL UNIQUE,
  block_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  method TEXT NOT NULL,
  transfer_reference TEXT,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  day TEXT NOT NULL,
  code TEXT NOT NULL,
  voided_at TEXT,
  void_reason TEXT
);
CREATE INDEX receipts_day ON receipts (day);`,
};
