-- An administrator's order to wipe a user's workstations (docs/sync.md, "Wiping a workstation").
-- Every session of the user that existed when the order was given receives 401 device_wipe at its
-- next contact; after_sync still lets those sessions push their outbox first. done_at: first delivery.
CREATE TABLE wipe_orders (
  id bigserial PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users(id),
  ordered_at timestamptz NOT NULL DEFAULT now(),
  ordered_by uuid NOT NULL REFERENCES users(id),
  mode text NOT NULL CHECK (mode IN ('after_sync', 'immediate')),
  done_at timestamptz
);
CREATE INDEX wipe_orders_user ON wipe_orders (user_id);
