-- Why the agent asks for an offer beyond their authority: written with the request, read by the team
-- lead beside the terms. '' for requests queued by workstations older than the field.
ALTER TABLE approval_requests ADD COLUMN justification text NOT NULL DEFAULT '';
