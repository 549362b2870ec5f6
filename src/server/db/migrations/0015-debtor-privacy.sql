-- Debtors' data-protection rights (src/server/privacy, docs/privacy.md): access (an export of
-- everything held on one debtor) and cancellation (anonymisation once the purpose has ended and
-- the legal retention period has passed).

-- When an account was closed. Erasure counts the retention period from the last closing of
-- every account of the debtor; updated_at cannot say it (any later change moves it). Set by a
-- trigger so every writer (API, sync, portfolio import) records it; reopening clears it.
ALTER TABLE accounts ADD COLUMN closed_at timestamptz;

CREATE FUNCTION set_closed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'closed' THEN
    NEW.closed_at := NULL;
  ELSIF TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'closed' THEN
    NEW.closed_at := coalesce(NEW.closed_at, now());
  END IF;
  RETURN NEW;
END $$;
-- BEFORE triggers run in name order: accounts_closed_at before accounts_version, so the version
-- bump sees the finished row.
CREATE TRIGGER accounts_closed_at BEFORE INSERT OR UPDATE OF status ON accounts
  FOR EACH ROW EXECUTE FUNCTION set_closed_at();

-- Accounts already closed: their last change is the best estimate of the closing. Done without
-- the version trigger, so no client downloads every closed account again for a column it does
-- not receive.
ALTER TABLE accounts DISABLE TRIGGER accounts_version;
UPDATE accounts SET closed_at = updated_at WHERE status = 'closed';
ALTER TABLE accounts ENABLE TRIGGER accounts_version;

-- When the debtor's personal data was replaced by anonymised values (never un-set).
ALTER TABLE debtors ADD COLUMN erased_at timestamptz;

-- How long an organisation keeps a debtor's data after their last account closed. Default 5
-- years; never under 2 (Chile, Ley 21.320, requires collection records to be kept two years).
CREATE TABLE org_privacy (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  retention_years integer NOT NULL CHECK (retention_years BETWEEN 2 AND 30),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users(id)
);

-- Every export, erasure (done or refused) and retention change: who, when, which debtor, what.
-- Append-only; it outlives the erasure it records (debtor_id stays, the debtor row is kept).
CREATE TABLE privacy_audit (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  actor_id uuid NOT NULL REFERENCES users(id),
  action text NOT NULL CHECK (action IN ('export', 'erase', 'erase_refused', 'settings')),
  debtor_id uuid REFERENCES debtors(id),
  detail jsonb NOT NULL DEFAULT '{}'::jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX privacy_audit_org ON privacy_audit (org_id, seq);
CREATE INDEX privacy_audit_debtor ON privacy_audit (debtor_id, seq);

CREATE FUNCTION refuse_privacy_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'privacy_audit is append-only';
END $$;
CREATE TRIGGER privacy_audit_append_only BEFORE UPDATE OR DELETE ON privacy_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_privacy_audit_change();
