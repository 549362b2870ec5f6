-- A call the agent placed outside the softphone (desk phone, mobile) and logged by hand: kept as
-- such, so the history and the team lead tell it apart from the calls the softphone recorded.
ALTER TABLE activities ADD COLUMN manual_dial boolean NOT NULL DEFAULT false;
