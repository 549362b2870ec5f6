-- Know each debtor, part 1 (issue #16, docs/contact-habits.md): the best hours to call, the
-- recommended channel and the segment given by the organisation's rules, computed by the
-- scheduled job in src/server/habits/ and synced to the workstation (one row per debtor).
-- The risk model's tables (risk_*, account_scores) are another migration.

-- The admin-edited segmentation rules: an ordered list (src/shared/rules/segments.ts), one row
-- per organisation; every replacement is audited in org_audit ('segments.rules').
CREATE TABLE segment_rules (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  rules jsonb NOT NULL DEFAULT '[]'::jsonb,
  revision integer NOT NULL DEFAULT 0,
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Per debtor. best_hours: hour-of-week cells (weekday × 24 + hour, debtor's zone), best first,
-- only legal ones; attempts / rpc: the debtor's own call attempts and right-party contacts the
-- estimate read; segment: the rules' segment (the file's when no rule matched, segment_rule NULL);
-- channel: { channel, stage, reason { code, params } } or null. version moves with every change
-- (bump_version), so the pull sends a row only when the job changed it.
CREATE TABLE contact_habits (
  debtor_id uuid PRIMARY KEY REFERENCES debtors(id),
  org_id uuid NOT NULL REFERENCES organizations(id),
  best_hours integer[] NOT NULL DEFAULT '{}',
  best_rate real NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  rpc integer NOT NULL DEFAULT 0,
  segment text NOT NULL CHECK (segment IN ('low', 'medium', 'high')),
  segment_rule text,
  channel jsonb,
  computed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version()
);
CREATE INDEX contact_habits_org ON contact_habits (org_id);
CREATE INDEX contact_habits_version ON contact_habits (version);
CREATE TRIGGER contact_habits_version BEFORE UPDATE ON contact_habits FOR EACH ROW EXECUTE FUNCTION bump_version();
