-- Pulls stop waiting on writers: the visible change horizon.
--
-- 0001 serialised every writer on one advisory lock and made pulls take it in shared mode, so a
-- pull cursor could never skip a row. Under outcome bursts, pulls queued behind the writers.
-- Now a writer marks itself instead: before it draws its FIRST version it takes a shared
-- transaction advisory lock whose key encodes a lower bound of that version (the sequence's
-- current value + 1, read before nextval). The mark is visible in pg_locks at once and stays
-- until the writer commits or rolls back. A pull's head is
--   min(sequence value read first, lowest mark still held − 1),
-- so no version at or below the head can belong to a writer still in flight: a writer that drew
-- v ≤ (value read) had marked itself before drawing, hence before the pull read pg_locks; if its
-- mark is gone there, it has ended, and a committed transaction is visible before its locks are
-- released, so the pull's later reads see its rows. Nothing waits; an old writer still in flight
-- only holds the head back until it ends.
--
-- Keys: 2^52 + mark in the bigint form (objsubid 1, classid ≥ 2^20), far from the small keys
-- used elsewhere (7262, 7263). One mark per transaction: a local setting records that it is taken.

CREATE OR REPLACE FUNCTION next_change_version() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF coalesce(current_setting('sync.change_marked', true), '') = '' THEN
    PERFORM pg_advisory_xact_lock_shared(
      4503599627370496 + (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM change_version) + 1);
    PERFORM set_config('sync.change_marked', 'y', true);
  END IF;
  RETURN nextval('change_version');
END $$;

CREATE FUNCTION visible_change_head() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  drawn bigint;
  lowest bigint;
BEGIN
  -- order matters: the sequence first, the marks second (see above)
  SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO drawn FROM change_version;
  SELECT min((l.classid::bigint << 32) + l.objid::bigint) - 4503599627370496 INTO lowest
  FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.classid >= 1048576 AND l.granted
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database());
  RETURN CASE WHEN lowest IS NULL THEN drawn ELSE least(drawn, lowest - 1) END;
END $$;

-- The highest version a client's last push drew (drawn at its end): a pull reports the client's
-- last mutation id only once its head covers this, so a client never drops from its outbox a
-- mutation whose effects the pull has not sent it yet.
ALTER TABLE sync_clients ADD COLUMN ack_version bigint NOT NULL DEFAULT 0;
