-- activity.setOutcome attaches a disposition to a call the softphone logged earlier: the activity
-- row changes once, so it must get a new version for pulls to carry the outcome.
CREATE TRIGGER activities_version BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION bump_version();
-- A client's refused mutations, newest first, for support.
CREATE INDEX sync_rejections_at ON sync_rejections (client_id, at);
