-- Initial schema of the central server.
--
-- Change versions. Every row a client syncs carries `version`, drawn from ONE global sequence
-- through next_change_version(). A pull cursor is "the highest version I have seen"; the next
-- pull asks for version > cursor. That is only correct if versions become visible in the order
-- they were drawn: were transaction A to draw 10 and B 11, and B commit first, a pull between
-- the two commits would move the cursor to 11 and never see A's row 10. So drawing a version
-- takes pg_advisory_xact_lock(CHANGE_LOCK) first (writers also take it as their first
-- statement, see src/server/db/write.ts): writers that change synced rows run one at a time,
-- each commits before the next can draw. Pulls take the same lock in SHARED mode, so no writer
-- is half-way while a pull reads; the cursor it hands out (the sequence's last value) never
-- runs ahead of committed rows. PGlite runs one transaction at a time anyway; the same SQL is
-- valid there.
--
-- 7262 is an arbitrary constant: "SYNC" on a phone keypad.

CREATE SEQUENCE change_version;

CREATE FUNCTION next_change_version() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(7262);
  RETURN nextval('change_version');
END $$;

-- Any real change to a synced row gets a new version; a no-op upsert keeps the old one,
-- so re-importing the same portfolio does not make every client download it again.
CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW IS DISTINCT FROM OLD THEN
    NEW.version := next_change_version();
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE TABLE organizations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  time_zone text NOT NULL,
  -- { "sip": { "wsUrl": "...", "domain": "..." }, ... }
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE teams (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  name text NOT NULL,
  lead_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  team_id uuid REFERENCES teams(id),
  username text NOT NULL,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('agent', 'team_lead', 'admin')),
  -- scrypt$N$r$p$salt$hash (base64), see src/server/auth/password.ts
  password_hash text NOT NULL,
  disabled boolean NOT NULL DEFAULT false,
  sip_extension text,
  sip_password text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, username)
);
CREATE INDEX users_username ON users (username);
CREATE INDEX users_team ON users (team_id);

ALTER TABLE teams ADD CONSTRAINT teams_lead_fk FOREIGN KEY (lead_id) REFERENCES users(id);

CREATE TABLE debtors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  external_id text NOT NULL,
  name text NOT NULL,
  national_id text NOT NULL,
  country text NOT NULL,
  time_zone text NOT NULL,
  debtor_type text NOT NULL CHECK (debtor_type IN ('individual', 'company')),
  segment text NOT NULL CHECK (segment IN ('low', 'medium', 'high')),
  -- ContactPreferences (src/shared/domain/entities.ts)
  contact_prefs jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version(),
  UNIQUE (org_id, external_id)
);
CREATE INDEX debtors_version ON debtors (version);
CREATE TRIGGER debtors_version BEFORE UPDATE ON debtors FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  debtor_id uuid NOT NULL REFERENCES debtors(id),
  external_ref text NOT NULL,
  product text NOT NULL,
  currency text NOT NULL CHECK (currency IN ('COP', 'CLP', 'MXN', 'PEN', 'USD')),
  principal_minor bigint NOT NULL CHECK (principal_minor >= 0),
  balance_minor bigint NOT NULL CHECK (balance_minor >= 0),
  due_date date,
  installments_total integer NOT NULL DEFAULT 0 CHECK (installments_total >= 0),
  installments_paid integer NOT NULL DEFAULT 0 CHECK (installments_paid >= 0),
  installment_amount_minor bigint CHECK (installment_amount_minor >= 0),
  status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'dispute', 'hardship', 'do_not_contact', 'deceased', 'bankrupt', 'closed')),
  assigned_agent_id uuid REFERENCES users(id),
  callback_at timestamptz,
  callback_note text,
  last_contact_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version(),
  UNIQUE (org_id, external_ref)
);
-- Keyset paging of one agent's accounts (first pull, list endpoint).
CREATE INDEX accounts_agent ON accounts (org_id, assigned_agent_id, id);
CREATE INDEX accounts_debtor ON accounts (debtor_id);
CREATE INDEX accounts_version ON accounts (version);
CREATE TRIGGER accounts_version BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION bump_version();

-- Who an account was assigned to, and when. Append-only; written by a trigger on accounts so
-- every writer (API, portfolio import) logs it. `seq` comes from the change sequence, so a pull
-- cursor also tells which reassignments a client has seen.
CREATE TABLE assignment_log (
  seq bigint PRIMARY KEY DEFAULT next_change_version(),
  account_id uuid NOT NULL REFERENCES accounts(id),
  from_agent_id uuid REFERENCES users(id),
  to_agent_id uuid REFERENCES users(id),
  by_user_id uuid REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignment_log_account_to ON assignment_log (account_id, to_agent_id);
CREATE INDEX assignment_log_to ON assignment_log (to_agent_id, seq);
CREATE INDEX assignment_log_from ON assignment_log (from_agent_id, seq);

CREATE FUNCTION log_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- The API sets app.actor_id (set_config(..., true)) before reassigning; imports leave it unset.
  actor uuid := NULLIF(current_setting('app.actor_id', true), '')::uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.assigned_agent_id IS NOT NULL THEN
      INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id)
      VALUES (NEW.id, NULL, NEW.assigned_agent_id, actor);
    END IF;
  ELSIF NEW.assigned_agent_id IS DISTINCT FROM OLD.assigned_agent_id THEN
    INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id)
    VALUES (NEW.id, OLD.assigned_agent_id, NEW.assigned_agent_id, actor);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER accounts_assignment AFTER INSERT OR UPDATE OF assigned_agent_id ON accounts
  FOR EACH ROW EXECUTE FUNCTION log_assignment();

CREATE TABLE contact_points (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  debtor_id uuid NOT NULL REFERENCES debtors(id),
  kind text NOT NULL CHECK (kind IN ('phone', 'email', 'whatsapp', 'address')),
  value text NOT NULL,
  label text,
  verified boolean NOT NULL DEFAULT false,
  invalid boolean NOT NULL DEFAULT false,
  do_not_contact boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version(),
  UNIQUE (debtor_id, kind, value)
);
CREATE INDEX contact_points_version ON contact_points (version);
CREATE TRIGGER contact_points_version BEFORE UPDATE ON contact_points FOR EACH ROW EXECUTE FUNCTION bump_version();

-- Every contact attempt. Append-only; the id is generated by the client, so a replayed
-- push can never insert it twice.
CREATE TABLE activities (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  agent_id uuid NOT NULL REFERENCES users(id),
  channel text NOT NULL CHECK (channel IN ('call', 'sms', 'email', 'whatsapp', 'visit', 'letter')),
  direction text NOT NULL CHECK (direction IN ('outbound', 'inbound')),
  contact_point_id uuid REFERENCES contact_points(id),
  address text,
  disposition text,
  note text,
  started_at timestamptz NOT NULL,
  answered_at timestamptz,
  ended_at timestamptz,
  duration_sec integer,
  sip_status integer,
  hangup_by text CHECK (hangup_by IN ('agent', 'remote', 'system')),
  promise_id uuid,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version()
);
CREATE INDEX activities_account ON activities (account_id, started_at);
CREATE INDEX activities_version ON activities (version);

CREATE TABLE notes (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  author_id uuid NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version()
);
CREATE INDEX notes_account ON notes (account_id);
CREATE INDEX notes_version ON notes (version);

CREATE TABLE payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  -- The payer's bank / core-banking reference: a payment file loaded twice adds nothing.
  reference text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor >= 0),
  currency text NOT NULL,
  paid_at timestamptz NOT NULL,
  reversed_at timestamptz,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version(),
  UNIQUE (org_id, reference)
);
CREATE INDEX payments_account ON payments (account_id);
CREATE INDEX payments_version ON payments (version);
CREATE TRIGGER payments_version BEFORE UPDATE ON payments FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE promises (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts(id),
  agent_id uuid NOT NULL REFERENCES users(id),
  channel text NOT NULL,
  currency text NOT NULL,
  created_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'kept', 'partially_kept', 'broken', 'cancelled')),
  plan_id uuid,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version()
);
CREATE INDEX promises_account ON promises (account_id);
CREATE INDEX promises_version ON promises (version);
CREATE TRIGGER promises_version BEFORE UPDATE ON promises FOR EACH ROW EXECUTE FUNCTION bump_version();

CREATE TABLE promise_installments (
  promise_id uuid NOT NULL REFERENCES promises(id) ON DELETE CASCADE,
  seq integer NOT NULL CHECK (seq > 0),
  due_date date NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'kept', 'partially_kept', 'broken', 'cancelled')),
  PRIMARY KEY (promise_id, seq)
);

-- Installments travel inside their promise: a changed installment re-versions the promise.
CREATE FUNCTION touch_promise() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE promises SET updated_at = now() WHERE id = NEW.promise_id;
  RETURN NULL;
END $$;
CREATE TRIGGER promise_installments_touch AFTER UPDATE ON promise_installments
  FOR EACH ROW EXECUTE FUNCTION touch_promise();

CREATE TABLE sessions (
  -- sha256 (hex) of the opaque bearer token; the token itself is never stored.
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Kept forever: a collector may be offline for weeks; there is no idempotency window.
CREATE TABLE sync_clients (
  client_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  last_mutation_id bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sync_rejections (
  client_id uuid NOT NULL REFERENCES sync_clients(client_id),
  mutation_id bigint NOT NULL,
  name text NOT NULL,
  code text NOT NULL,
  message text NOT NULL,
  field text,
  args jsonb,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, mutation_id)
);
