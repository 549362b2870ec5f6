import type { Migration } from './types';

/**
 * The first schema. Entity tables mirror src/shared/domain/entities.ts (snake_case); accounts
 * carry denormalised queue columns (debtor name, segment, dpd, bucket, priority) so one page of
 * the queue is one indexed query without joins on the sort path.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE debtors (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  national_id TEXT NOT NULL,
  country TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  debtor_type TEXT NOT NULL,
  segment TEXT NOT NULL,
  contact_prefs TEXT NOT NULL,
  version TEXT NOT NULL
);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  debtor_id TEXT NOT NULL,
  external_ref TEXT NOT NULL,
  product TEXT NOT NULL,
  currency TEXT NOT NULL,
  principal_minor INTEGER NOT NULL,
  balance_minor INTEGER NOT NULL,
  due_date TEXT,
  installments_total INTEGER NOT NULL,
  installments_paid INTEGER NOT NULL,
  installment_amount_minor INTEGER,
  status TEXT NOT NULL,
  assigned_agent_id TEXT,
  callback_at TEXT,
  callback_note TEXT,
  last_contact_at TEXT,
  version TEXT NOT NULL,
  -- queue columns, derived (refreshed on every change of the account and daily)
  debtor_name TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  segment TEXT NOT NULL DEFAULT 'medium',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  dpd INTEGER NOT NULL DEFAULT 0,
  bucket TEXT NOT NULL DEFAULT 'current',
  priority REAL NOT NULL DEFAULT 0,
  priority_reason TEXT NOT NULL DEFAULT '{"code":"none","params":{}}'
);
CREATE INDEX accounts_debtor ON accounts(debtor_id);
CREATE INDEX accounts_priority ON accounts(priority, id);
CREATE INDEX accounts_balance ON accounts(balance_minor, id);
CREATE INDEX accounts_dpd ON accounts(dpd, id);
CREATE INDEX accounts_name ON accounts(search_text, id);
CREATE INDEX accounts_bucket_priority ON accounts(bucket, priority, id);
CREATE INDEX accounts_segment_priority ON accounts(segment, priority, id);
CREATE INDEX accounts_status_priority ON accounts(status, priority, id);
CREATE INDEX accounts_callback ON accounts(callback_at) WHERE callback_at IS NOT NULL;

CREATE TABLE contact_points (
  id TEXT PRIMARY KEY,
  debtor_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  label TEXT,
  verified INTEGER NOT NULL,
  invalid INTEGER NOT NULL,
  do_not_contact INTEGER NOT NULL,
  version TEXT NOT NULL,
  -- phone digits reversed, so "the last 7+ digits" is an indexed prefix range
  digits_rev TEXT
);
CREATE INDEX contact_points_debtor ON contact_points(debtor_id);
CREATE INDEX contact_points_digits_rev ON contact_points(digits_rev) WHERE digits_rev IS NOT NULL;

CREATE TABLE activities (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  direction TEXT NOT NULL,
  contact_point_id TEXT,
  address TEXT,
  disposition TEXT,
  note TEXT,
  started_at TEXT NOT NULL,
  answered_at TEXT,
  ended_at TEXT,
  duration_sec INTEGER,
  sip_status INTEGER,
  hangup_by TEXT,
  promise_id TEXT,
  recorded_at TEXT,
  version TEXT NOT NULL
);
CREATE INDEX activities_account ON activities(account_id, started_at);

CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  author_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  recorded_at TEXT,
  version TEXT NOT NULL
);
CREATE INDEX notes_account ON notes(account_id, created_at);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  reference TEXT NOT NULL,
  amount_minor INTEGER NOT NULL,
  currency TEXT NOT NULL,
  paid_at TEXT NOT NULL,
  reversed_at TEXT,
  version TEXT NOT NULL
);
CREATE INDEX payments_account ON payments(account_id, paid_at);

CREATE TABLE promises (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  agent_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  currency TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  installments TEXT NOT NULL,
  plan_id TEXT,
  version TEXT NOT NULL
);
CREATE INDEX promises_account ON promises(account_id, created_at);

-- The agent's unsent work. id is the client's mutation id: increasing, never reused
-- (AUTOINCREMENT keeps ids increasing even after the outbox is trimmed empty).
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  client_time TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
  error TEXT
);
`,
};
