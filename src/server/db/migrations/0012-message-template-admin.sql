-- Administrators manage their organisation's templates. A template is never deleted (sent
-- messages refer to it): it is deactivated, and is then neither offered to agents nor accepted
-- at push. The revision lets an edit name the version it started from, so two administrators
-- cannot silently overwrite each other.
ALTER TABLE message_templates ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE message_templates ADD COLUMN revision integer NOT NULL DEFAULT 0;
ALTER TABLE message_templates ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE message_templates ADD COLUMN updated_by uuid REFERENCES users(id);

-- Every change of a template (who, when, before, after), append-only like org_compliance_audit.
CREATE TABLE message_template_audit (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  template_id uuid NOT NULL REFERENCES message_templates(id),
  user_id uuid NOT NULL REFERENCES users(id),
  at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL CHECK (action IN ('create', 'update')),
  before jsonb,
  after jsonb NOT NULL,
  CHECK ((action = 'create') = (before IS NULL))
);
CREATE INDEX message_template_audit_org ON message_template_audit (org_id, seq);

CREATE FUNCTION refuse_template_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'message_template_audit is append-only';
END $$;
CREATE TRIGGER message_template_audit_append_only BEFORE UPDATE OR DELETE ON message_template_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_template_audit_change();
