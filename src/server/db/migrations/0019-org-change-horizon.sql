-- Tenants apart, and big writers in set-based steps.
--
-- 1. The visible change horizon per organisation. 0006 made a pull's head the lowest change mark
-- still held by ANY writer, so one organisation's long import held back every organisation's
-- pulls. Writers now also hold their organisation's lock, (7266, hashtext(org id)) in the
-- two-key advisory form (src/server/db/write.ts: exclusive for writeTransaction, shared for a
-- push), taken as their first statement, before any version is drawn. That lock tags the mark:
-- visible_change_head(org) counts only marks whose transaction holds the organisation's lock, or
-- no organisation lock at all (a writer that named no organisation holds every pull back, as
-- before). pg_locks is read once (one consistent view), after the sequence, as in 0006; a tag is
-- taken before its mark, so a view that shows the mark shows the tag. Two organisations whose ids
-- hash alike see each other's marks: their heads wait a little longer, never skip a row.
CREATE FUNCTION visible_change_head(org uuid) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  drawn bigint;
  lowest bigint;
  tag bigint := hashtext(org::text)::bigint & 4294967295;
BEGIN
  -- order matters: the sequence first, the marks second (0006-change-horizon.sql)
  SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO drawn FROM change_version;
  WITH held AS MATERIALIZED (
    SELECT l.virtualtransaction AS tx, l.classid::bigint AS c, l.objid::bigint AS o, l.objsubid AS s
      FROM pg_locks l
     WHERE l.locktype = 'advisory' AND l.granted
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  ), tagged AS (
    SELECT tx, bool_or(o = tag) AS mine FROM held WHERE s = 2 AND c = 7266 GROUP BY tx
  )
  SELECT min((m.c << 32) + m.o) - 4503599627370496 INTO lowest
    FROM held m LEFT JOIN tagged t ON t.tx = m.tx
   WHERE m.s = 1 AND m.c >= 1048576 AND (t.tx IS NULL OR t.mine);
  RETURN CASE WHEN lowest IS NULL THEN drawn ELSE least(drawn, lowest - 1) END;
END $$;

-- 2. An account inserted with an agent is logged by one statement per INSERT instead of one
-- trigger call (and one INSERT) per row: a portfolio batch of thousands of new accounts spent
-- most of its time there. Reassignments (UPDATE OF assigned_agent_id) stay a row trigger: they
-- come a few at a time, and a statement-level UPDATE trigger would capture every row of every
-- UPDATE of accounts (sync pushes among them). Same columns, same actor settings as 0014.
CREATE OR REPLACE FUNCTION log_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor uuid := NULLIF(current_setting('app.actor_id', true), '')::uuid;
  how text := coalesce(NULLIF(current_setting('app.actor_via', true), ''), CASE WHEN actor IS NOT NULL THEN 'api' END);
  run uuid := NULLIF(current_setting('app.import_id', true), '')::uuid;
BEGIN
  IF NEW.assigned_agent_id IS DISTINCT FROM OLD.assigned_agent_id THEN
    INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id, via, import_id)
    VALUES (NEW.id, OLD.assigned_agent_id, NEW.assigned_agent_id, actor, how, run);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION log_assignments_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  actor uuid := NULLIF(current_setting('app.actor_id', true), '')::uuid;
  how text := coalesce(NULLIF(current_setting('app.actor_via', true), ''), CASE WHEN actor IS NOT NULL THEN 'api' END);
  run uuid := NULLIF(current_setting('app.import_id', true), '')::uuid;
BEGIN
  INSERT INTO assignment_log (account_id, from_agent_id, to_agent_id, by_user_id, via, import_id)
  SELECT n.id, NULL, n.assigned_agent_id, actor, how, run FROM inserted n WHERE n.assigned_agent_id IS NOT NULL;
  RETURN NULL;
END $$;

DROP TRIGGER accounts_assignment ON accounts;
CREATE TRIGGER accounts_assignment AFTER UPDATE OF assigned_agent_id ON accounts
  FOR EACH ROW EXECUTE FUNCTION log_assignment();
CREATE TRIGGER accounts_assignment_inserted AFTER INSERT ON accounts
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION log_assignments_inserted();
