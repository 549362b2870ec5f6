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
