-- The team lead's activity report (src/server/reports) counts each agent's attempts and
-- promises in a period, and the payments dated in it: each read by an index on (who, when)
-- instead of a scan of the whole history.
CREATE INDEX activities_agent_started ON activities (agent_id, started_at);
CREATE INDEX promises_agent_created ON promises (agent_id, created_at);
CREATE INDEX payments_org_paid ON payments (org_id, paid_at);
