-- Issue #14, the rest: what each contact costs (cost per peso collected in champion/challenger
-- results), each organisation's own reply mailbox (IMAP), and matching inbound replies by phone
-- number without scanning every message.

-- The price of one contact per channel, in the minor units of the accounts' currency (an SMS to a
-- Colombian debtor is paid in COP, one to a Mexican debtor in MXN: costs are never converted, so
-- cost per peso collected stays within one currency). A call task is priced per minute of agent
-- time times call_task_minutes. Missing rows fall back to the defaults in
-- src/shared/domain/contact-costs.ts (documented in docs/strategies.md).
CREATE TABLE org_contact_costs (
  org_id uuid NOT NULL REFERENCES organizations(id),
  currency text NOT NULL CHECK (currency IN ('COP', 'CLP', 'MXN', 'PEN', 'USD')),
  action text NOT NULL CHECK (action IN ('email', 'sms', 'whatsapp', 'call_task', 'letter', 'handover')),
  -- per message (per minute for call_task); numeric because a cent-fraction per e-mail is real
  unit_cost_minor numeric(14, 4) NOT NULL CHECK (unit_cost_minor >= 0),
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, currency, action)
);
-- Minutes of agent time a call task is priced at (default 4, src/shared/domain/contact-costs.ts).
CREATE TABLE org_strategy_settings (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  call_task_minutes numeric(6, 2) NOT NULL CHECK (call_task_minutes >= 0),
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The reply mailbox of each organisation (was IMAP_* for the whole server). The password is
-- write-only through the API like the other secrets.
ALTER TABLE org_messaging_config ADD COLUMN imap_host text;
ALTER TABLE org_messaging_config ADD COLUMN imap_port integer CHECK (imap_port BETWEEN 1 AND 65535);
ALTER TABLE org_messaging_config ADD COLUMN imap_secure boolean NOT NULL DEFAULT true;
ALTER TABLE org_messaging_config ADD COLUMN imap_user text;
ALTER TABLE org_messaging_config ADD COLUMN imap_password text;
ALTER TABLE org_messaging_config ADD COLUMN imap_mailbox text NOT NULL DEFAULT 'INBOX';
-- Changes to these settings are audited in org_audit (secrets recorded only as "changed").

-- Matching a reply by number (src/server/messaging/inbound.ts) compares digits only; these
-- expression indexes hold exactly the expression the queries use, so the match is an index lookup
-- instead of a scan of every message and contact point.
CREATE INDEX outbound_messages_digits ON outbound_messages (org_id, channel, (regexp_replace(address, '\D', '', 'g')), created_at);
CREATE INDEX contact_points_digits ON contact_points ((regexp_replace(value, '\D', '', 'g')));
-- and an e-mail reply from an address we never wrote to, by the debtors' addresses
CREATE INDEX contact_points_lower ON contact_points (lower(value));
CREATE INDEX inbound_messages_window_digits ON inbound_messages (org_id, channel, (regexp_replace(from_address, '\D', '', 'g')), received_at);

-- Opt-outs recorded before refusedByReply existed were all the debtor's own words (the replies
-- module was the only writer of refusedChannels, each audited as debtor.channel_refused): mark
-- them as such, so the debtor's "ALTA" / "START" may lift them (src/shared/rules/opt-out.ts).
UPDATE debtors d SET contact_prefs = d.contact_prefs || jsonb_build_object('refusedByReply', r.channels)
FROM (
  SELECT (a.after ->> 'debtorId')::uuid AS debtor_id, jsonb_agg(DISTINCT a.after ->> 'channel') AS channels
  FROM org_audit a WHERE a.action = 'debtor.channel_refused' AND a.after ? 'debtorId' GROUP BY 1
) r
WHERE d.id = r.debtor_id;
