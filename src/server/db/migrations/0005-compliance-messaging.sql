-- Organisation compliance: stricter-only overrides and the internal do-not-call list, one row per
-- organisation; every change is kept in an append-only audit table (who, when, before, after).
CREATE TABLE org_compliance (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  overrides jsonb NOT NULL DEFAULT '{}'::jsonb,
  dnc_numbers text[] NOT NULL DEFAULT '{}',
  revision integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id)
);

CREATE TABLE org_compliance_audit (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  before jsonb NOT NULL,
  after jsonb NOT NULL
);
CREATE INDEX org_compliance_audit_org ON org_compliance_audit (org_id, seq);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'org_compliance_audit is append-only';
END $$;
CREATE TRIGGER org_compliance_audit_append_only BEFORE UPDATE OR DELETE ON org_compliance_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- An attempt made offline and pushed later is a fact: it is stored, and the server's own verdict
-- (the rule ids it breached, judged with the full history) is kept beside it for team leads.
ALTER TABLE activities ADD COLUMN compliance_violation text[];
-- A message the server refused to send: kept for the record, never counted as a contact.
ALTER TABLE activities ADD COLUMN compliance_blocked boolean NOT NULL DEFAULT false;
CREATE INDEX activities_violations ON activities (recorded_at) WHERE compliance_violation IS NOT NULL;

CREATE TABLE message_templates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  name text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
  subject text,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (org_id, name)
);

-- One row per message.send: the message id is the client's, so a resend can never send twice.
CREATE TABLE outbound_messages (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  agent_id uuid NOT NULL REFERENCES users(id),
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
  contact_point_id uuid REFERENCES contact_points(id),
  address text NOT NULL,
  template_id uuid REFERENCES message_templates(id),
  body text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'blocked', 'failed')),
  reasons jsonb,
  provider_message_id text,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbound_messages_queued ON outbound_messages (created_at) WHERE status = 'queued';
CREATE INDEX outbound_messages_account ON outbound_messages (account_id, created_at);
