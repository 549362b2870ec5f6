-- Trust: who may change what, and a record of it.
--
-- org_audit: changes to an organisation's rules that are not user administration (that is
-- user_admin_audit): collection policies replaced, hardship set or lifted on an account. Who,
-- what, when, before and after. Append-only.
CREATE TABLE org_audit (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  actor_id uuid REFERENCES users(id),
  -- collections.policies, account.hardship_set, account.hardship_lifted
  action text NOT NULL,
  account_id uuid REFERENCES accounts(id),
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX org_audit_org ON org_audit (org_id, action, seq);
CREATE INDEX org_audit_account ON org_audit (account_id, seq) WHERE account_id IS NOT NULL;

CREATE FUNCTION refuse_org_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'org_audit is append-only';
END $$;
CREATE TRIGGER org_audit_append_only BEFORE UPDATE OR DELETE ON org_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_org_audit_change();

-- Login limits shared by every server instance on this database (src/server/auth/login-throttle.ts):
-- fixed-window counters per (organisation, username, address), per address, and one global.
CREATE TABLE login_throttle (
  key text PRIMARY KEY,
  window_start timestamptz NOT NULL,
  count integer NOT NULL
);

-- Sessions end after an idle time as well as at their absolute expiry (src/server/auth/sessions.ts).
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX sessions_expiry ON sessions (expires_at);
-- Sessions made under the old 30-day lifetime end within the new absolute maximum.
UPDATE sessions SET expires_at = least(expires_at, created_at + interval '7 days');

-- Login is scoped to an organisation by its code, so one tenant's usernames tell nothing about another's.
ALTER TABLE organizations ADD COLUMN code text;
-- An organisation created without a code gets one from its name (lower case, dashes), numbered when taken.
CREATE FUNCTION organization_code() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  base text;
  candidate text;
  n int := 1;
BEGIN
  IF NEW.code IS NOT NULL THEN RETURN NEW; END IF;
  base := coalesce(nullif(left(trim(both '-' FROM regexp_replace(lower(NEW.name), '[^a-z0-9]+', '-', 'g')), 50), ''), 'org');
  candidate := base;
  WHILE EXISTS (SELECT 1 FROM organizations WHERE code = candidate AND id <> NEW.id) LOOP
    n := n + 1;
    candidate := base || '-' || n;
  END LOOP;
  NEW.code := candidate;
  RETURN NEW;
END $$;
CREATE TRIGGER organizations_code BEFORE INSERT OR UPDATE OF code ON organizations
  FOR EACH ROW EXECUTE FUNCTION organization_code();
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT id FROM organizations ORDER BY created_at, id LOOP
    UPDATE organizations SET code = NULL WHERE id = r.id;
  END LOOP;
END $$;
ALTER TABLE organizations ALTER COLUMN code SET NOT NULL;
ALTER TABLE organizations ADD CONSTRAINT organizations_code_format CHECK (code ~ '^[a-z0-9][a-z0-9-]{0,62}$');
CREATE UNIQUE INDEX organizations_code ON organizations (code);
