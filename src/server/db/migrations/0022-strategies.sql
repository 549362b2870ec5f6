-- Collection strategies (src/shared/domain/strategy.ts): a ladder of steps per organisation, and the
-- run ledger that makes every step run at most once per account and occurrence, whatever happens
-- to the servers or the job queue (pg-boss jobs are only wake-ups; this table is the truth).
CREATE TABLE strategies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  name text NOT NULL,
  active boolean NOT NULL DEFAULT false,
  rank integer NOT NULL DEFAULT 100,
  scope jsonb NOT NULL,
  steps jsonb NOT NULL,
  challenger jsonb,
  revision integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id),
  UNIQUE (org_id, name)
);

CREATE TABLE strategy_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  strategy_id uuid NOT NULL REFERENCES strategies(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  step_key text NOT NULL,
  -- due:<date>, inst:<promise>:<seq>, broken:<promise> (src/shared/rules/strategy.ts occurrences)
  occurrence text NOT NULL,
  anchor_date date NOT NULL,
  variant text NOT NULL CHECK (variant IN ('champion', 'challenger')),
  action text NOT NULL CHECK (action IN ('email', 'sms', 'whatsapp', 'call_task', 'letter', 'handover')),
  status text NOT NULL CHECK (status IN ('waiting', 'sent', 'tasked', 'handed_over', 'skipped')),
  -- when a waiting run may go next (the engine wakes it then; a sweep catches lost wake-ups)
  due_at timestamptz NOT NULL,
  reason_code text,
  reasons jsonb,
  message_id uuid,
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (strategy_id, account_id, step_key, occurrence)
);
CREATE INDEX strategy_runs_waiting ON strategy_runs (org_id, due_at) WHERE status = 'waiting';
CREATE INDEX strategy_runs_account ON strategy_runs (account_id);

-- A message a strategy sent: the engine's send worker delivers it (rate limits, back-off), not the
-- agents' dispatcher.
ALTER TABLE outbound_messages ADD COLUMN strategy_run_id uuid REFERENCES strategy_runs(id);
CREATE UNIQUE INDEX outbound_messages_strategy_run ON outbound_messages (strategy_run_id) WHERE strategy_run_id IS NOT NULL;

-- Reassigned to the legal stage (lawyers): every strategy step stops.
ALTER TABLE accounts ADD COLUMN legal_stage boolean NOT NULL DEFAULT false;

-- Provider rate limits shared by every server instance: sends per channel per second.
CREATE TABLE channel_send_slots (
  channel text NOT NULL,
  second bigint NOT NULL,
  sent integer NOT NULL,
  PRIMARY KEY (channel, second)
);

-- Letters rendered to PDF for printing or a mail house.
CREATE TABLE strategy_letters (
  run_id uuid PRIMARY KEY REFERENCES strategy_runs(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  pdf bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The user automated contacts are recorded as (activities name who made each attempt).
ALTER TABLE users ADD COLUMN system boolean NOT NULL DEFAULT false;
