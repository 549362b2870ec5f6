-- The live board (docs/live-board.md): each agent's last reported state, kept by the heartbeats of
-- their workstation, and the log of state changes the agent timeline shows (pauses and calls).
-- Not synced to workstations: no version column.

CREATE TABLE agent_presence (
  org_id uuid NOT NULL REFERENCES organizations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  state text NOT NULL CHECK (state IN ('available', 'on_call', 'wrap_up', 'paused')),
  pause_reason text CHECK (pause_reason IN ('break', 'lunch', 'training', 'meeting', 'other')),
  call_account_id uuid REFERENCES accounts(id),
  call_phase text CHECK (call_phase IN ('dialing', 'ringing', 'active')),
  call_started_at timestamptz,
  state_since timestamptz NOT NULL,
  last_heartbeat_at timestamptz NOT NULL,
  signed_out boolean NOT NULL DEFAULT false,
  PRIMARY KEY (org_id, user_id),
  CHECK ((state = 'paused') = (pause_reason IS NOT NULL))
);

CREATE TABLE agent_state_log (
  id bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  user_id uuid NOT NULL REFERENCES users(id),
  state text NOT NULL CHECK (state IN ('offline', 'available', 'on_call', 'wrap_up', 'paused')),
  pause_reason text CHECK (pause_reason IN ('break', 'lunch', 'training', 'meeting', 'other')),
  account_id uuid REFERENCES accounts(id),
  started_at timestamptz NOT NULL,
  ended_at timestamptz
);
CREATE INDEX agent_state_log_user_day ON agent_state_log (org_id, user_id, started_at);
