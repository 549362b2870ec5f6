-- Periodic jobs shared by every server instance on this database (src/server/jobs/schedule.ts).
-- Each instance keeps its own timer; a run is claimed here, so with three instances behind a load
-- balancer the promise status batch still runs once per interval, not once per instance, and a
-- restarted instance does not run it again at once. Installation-wide (no org_id): one row per job.
CREATE TABLE scheduled_jobs (
  name text PRIMARY KEY,
  -- when the last run was claimed (a run that died counts: the next is due an interval later)
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  -- the claiming process (host:pid), shown to operators
  instance text NOT NULL,
  -- what the last finished run reported, or its error
  outcome text
);
