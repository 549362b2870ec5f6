-- User administration: every change an administrator (or a user to their own password) makes to
-- users and teams is kept here — who, what, when, and the fields before and after. Append-only.
-- Passwords never appear: a password event records only that it happened.
CREATE TABLE user_admin_audit (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  -- NULL when done from the server's command line (npm run users), which has no user
  actor_id uuid REFERENCES users(id),
  via text NOT NULL CHECK (via IN ('api', 'cli')),
  -- user.create, user.update, user.password_set, user.password_change, team.create, team.update
  action text NOT NULL,
  user_id uuid REFERENCES users(id),
  team_id uuid REFERENCES teams(id),
  before jsonb,
  after jsonb,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_admin_audit_org ON user_admin_audit (org_id, seq);
CREATE INDEX user_admin_audit_user ON user_admin_audit (user_id, seq);

CREATE FUNCTION refuse_user_admin_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'user_admin_audit is append-only';
END $$;
CREATE TRIGGER user_admin_audit_append_only BEFORE UPDATE OR DELETE ON user_admin_audit
  FOR EACH ROW EXECUTE FUNCTION refuse_user_admin_audit_change();

-- Who sees which accounts depends on users.team_id, teams.lead_id and users.role, none of which
-- is versioned. A change to them is logged here with a version from the change sequence, so a
-- pull cursor also tells which of them a client has seen (like assignment_log for accounts):
--   full = false: accounts assigned to user_id may have entered or left someone's scope (the
--     user moved team, or their team got another lead). Every pull of the organisation past
--     this seq re-judges those accounts against its scope now: sent if visible, removed if not.
--   full = true: user_id's own scope changed shape (role, own team while a lead, led teams):
--     their next pull starts over with a full pull that replaces the local store.
-- A client offline through any number of such changes judges them all at its next pull, against
-- its scope at that moment, which is the only scope that matters to it.
CREATE TABLE scope_changes (
  seq bigint PRIMARY KEY DEFAULT next_change_version(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  full_pull boolean NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX scope_changes_org ON scope_changes (org_id, seq);
