-- The debtor's self-service page (docs/self-service.md): signed links, the identity check's
-- counters, and the payment attempts the page starts at the organisation's gateway.

-- 'self_service' (autogestión): what the debtor does on the page is recorded as the agent's
-- records are, with this channel (src/shared/domain/channels.ts).
ALTER TABLE activities DROP CONSTRAINT activities_channel_check,
  ADD CONSTRAINT activities_channel_check CHECK (channel IN ('call', 'sms', 'email', 'whatsapp', 'visit', 'letter', 'self_service'));

-- The key the links are signed with: one per installation, drawn when first needed (portal/links.ts),
-- so every instance on the database signs and checks alike.
CREATE TABLE portal_secret (
  id integer PRIMARY KEY CHECK (id = 1),
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The organisation's choices: its own base address, how the debtor proves who they are, how long a link lives.
CREATE TABLE org_portal_config (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  base_url text,
  identity text NOT NULL DEFAULT 'national_id_last4' CHECK (identity IN ('national_id_last4', 'sms_code')),
  link_days integer NOT NULL DEFAULT 14 CHECK (link_days BETWEEN 1 AND 90),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id)
);

-- One live link per debtor (covering every account of theirs); the token is the id signed, never stored.
CREATE TABLE portal_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  debtor_id uuid NOT NULL REFERENCES debtors(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES users(id),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoked_by uuid REFERENCES users(id),
  completed_at timestamptz,
  -- the identity check's wrong answers, counted here so every instance shares them
  failures integer NOT NULL DEFAULT 0,
  window_start timestamptz,
  locked_until timestamptz,
  -- sms_code: the one-time code's hash and its end; how many were sent in the window
  code_hash text,
  code_expires_at timestamptz,
  codes_sent integer NOT NULL DEFAULT 0
);
CREATE INDEX portal_links_debtor ON portal_links (org_id, debtor_id) WHERE revoked_at IS NULL AND completed_at IS NULL;

-- A payment attempt per instalment; its id is the reference the gateway echoes back in its notification.
CREATE TABLE portal_payment_attempts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  link_id uuid NOT NULL REFERENCES portal_links(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  promise_id uuid REFERENCES promises(id),
  seq integer NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  gateway text NOT NULL,
  gateway_ref text,
  checkout_url text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_payment_attempts_promise ON portal_payment_attempts (promise_id, seq);
