-- Messaging both ways (issue #14): delivery status from the providers' callbacks, replies from
-- debtors (SMS, WhatsApp, e-mail), opt-outs, and each organisation's provider credentials that
-- authenticate its webhooks.

-- Delivery status. The order (src/shared/domain/message-status.ts) keeps a late "sent" from
-- overwriting "delivered"; status_at is the provider's time of the status kept.
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
  CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'blocked', 'failed'));
ALTER TABLE outbound_messages ADD COLUMN status_at timestamptz;
CREATE INDEX outbound_messages_provider ON outbound_messages (org_id, provider_message_id) WHERE provider_message_id IS NOT NULL;
-- Threads: an e-mail reply names our Message-ID in In-Reply-To / References.
CREATE INDEX outbound_messages_address ON outbound_messages (org_id, channel, lower(address), created_at);

-- The message's activity carries its status, so it reaches the workstation through the pull
-- (the activity's version moves with it) like every other change.
ALTER TABLE activities ADD COLUMN message_status text
  CHECK (message_status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'blocked', 'failed'));
ALTER TABLE activities ADD COLUMN message_error text;

-- Every status callback as received (after its signature was checked). A callback may arrive
-- before the dispatcher has stored the provider's id (Twilio calls back within milliseconds):
-- it waits here and is applied when the id is stored.
CREATE TABLE message_status_events (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
  provider_message_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed')),
  error text,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_status_events_provider ON message_status_events (org_id, provider_message_id);

-- Per-organisation provider credentials: the webhook URL names the organisation
-- (/api/v1/webhooks/:org/...), and its own secrets verify the signature; the payload's account
-- (Twilio AccountSid, WhatsApp phone_number_id) must be the organisation's too.
CREATE TABLE org_messaging_config (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  twilio_account_sid text,
  twilio_auth_token text,
  whatsapp_phone_number_id text,
  whatsapp_app_secret text,
  whatsapp_verify_token text,
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX org_messaging_twilio ON org_messaging_config (twilio_account_sid) WHERE twilio_account_sid IS NOT NULL;
CREATE UNIQUE INDEX org_messaging_whatsapp ON org_messaging_config (whatsapp_phone_number_id) WHERE whatsapp_phone_number_id IS NOT NULL;

-- Replies. Matched ones carry their debtor, account and the inbound activity that shows them in
-- the account; unknown senders' (debtor_id NULL) are the team lead's list until handled.
CREATE TABLE inbound_messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  channel text NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email')),
  -- provider's id (Twilio MessageSid, wamid, e-mail Message-ID): a redelivered webhook is one reply
  provider_message_id text NOT NULL,
  from_address text NOT NULL,
  to_address text,
  subject text,
  body text NOT NULL,
  in_reply_to text,
  debtor_id uuid REFERENCES debtors(id),
  account_id uuid REFERENCES accounts(id),
  contact_point_id uuid REFERENCES contact_points(id),
  activity_id uuid REFERENCES activities(id),
  opt_out boolean NOT NULL DEFAULT false,
  received_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  handled_by uuid REFERENCES users(id),
  handled_at timestamptz,
  UNIQUE (org_id, channel, provider_message_id)
);
CREATE INDEX inbound_messages_unknown ON inbound_messages (org_id, received_at) WHERE debtor_id IS NULL;
-- WhatsApp's 24-hour window: the debtor's last message on the number
CREATE INDEX inbound_messages_window ON inbound_messages (org_id, channel, from_address, received_at);
