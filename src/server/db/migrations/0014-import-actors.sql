-- Who did it. Every portfolio or payments file loaded is an import run: who loaded it (actor_id;
-- NULL from the server's command line, via = 'cli', as user_admin_audit), when, and how far it
-- got — the progress a caller polls while a large file streams in, and the final report (errors
-- bounded) when it ends. Payments and reassignments name their author and the run they came in.
CREATE TABLE import_runs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  kind text NOT NULL CHECK (kind IN ('portfolio', 'payments')),
  actor_id uuid REFERENCES users(id),
  via text NOT NULL CHECK (via IN ('api', 'cli')),
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  rows_read integer NOT NULL DEFAULT 0,
  rows_written integer NOT NULL DEFAULT 0,
  rows_refused integer NOT NULL DEFAULT 0,
  report jsonb,
  failure text,
  started_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK ((actor_id IS NULL) = (via = 'cli'))
);
CREATE INDEX import_runs_org ON import_runs (org_id, started_at DESC);

-- NULL on rows written before this migration: their author was not recorded.
ALTER TABLE payments ADD COLUMN recorded_by uuid REFERENCES users(id);
ALTER TABLE payments ADD COLUMN recorded_via text CHECK (recorded_via IN ('api', 'cli'));
ALTER TABLE payments ADD COLUMN reversed_by uuid REFERENCES users(id);
ALTER TABLE payments ADD COLUMN reversed_via text CHECK (reversed_via IN ('api', 'cli'));
ALTER TABLE payments ADD COLUMN import_id uuid REFERENCES import_runs(id);

ALTER TABLE assignment_log ADD COLUMN via text CHECK (via IN ('api', 'cli'));
ALTER TABLE assignment_log ADD COLUMN import_id uuid REFERENCES import_runs(id);

-- Writers say who they are for the transaction (set_config(..., true)): app.actor_id (a user),
-- app.actor_via ('api' or 'cli'; 'api' when only a user is given) and app.import_id.
CREATE OR REPLACE FUNCTION log_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor uuid := NULLIF(current_setting('app.actor_id', true), '')::uuid;
  how text := coalesce(NULLIF(current_setting('app.actor_via', true), ''), CASE WHEN actor IS NOT NULL THEN 'api' END);
  run uuid := NULLIF(current_setting('app.import_id', true), '')::uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.assigned_agent_id IS NOT NULL THEN
      INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id, via, import_id)
      VALUES (NEW.id, NULL, NEW.assigned_agent_id, actor, how, run);
    END IF;
  ELSIF NEW.assigned_agent_id IS DISTINCT FROM OLD.assigned_agent_id THEN
    INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id, via, import_id)
    VALUES (NEW.id, OLD.assigned_agent_id, NEW.assigned_agent_id, actor, how, run);
  END IF;
  RETURN NULL;
END $$;

-- An import warns when a national id is already another debtor's (same country): found by index.
CREATE INDEX debtors_national_id ON debtors (org_id, country, national_id);
