-- Field collection: numbered cash receipts issued offline, and the cash they bring in
-- (docs/field-collection.md).
--
-- Receipt numbers are one sequence per organisation. A device never asks for a number when it
-- issues one (it may be offline for days): the server hands it BLOCKS of consecutive numbers
-- ahead of time, drawn from receipt_counters, so two devices can never hold the same number.

CREATE TABLE receipt_counters (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  -- the first number not yet handed out in any block
  next_no bigint NOT NULL DEFAULT 1 CHECK (next_no >= 1)
);

-- One row per device (a workstation's store: its sync client id) that ever held numbers.
CREATE TABLE receipt_devices (
  org_id uuid NOT NULL REFERENCES organizations(id),
  client_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id),
  -- bumped at each refill and kept by the device: a device that presents a lower one is a copy
  -- of its store older than its last refill (restored from a backup) and gets its blocks retired
  generation integer NOT NULL DEFAULT 0,
  -- the highest number the device said it had issued, and the highest received in a receipt
  reported_hwm bigint NOT NULL DEFAULT 0,
  restores integer NOT NULL DEFAULT 0,
  -- a lead declared the device lost: its unused numbers are retired, it gets no more
  lost_at timestamptz,
  lost_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (org_id, client_id)
);

CREATE TABLE receipt_blocks (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  client_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users(id),
  first_no bigint NOT NULL CHECK (first_no >= 1),
  last_no bigint NOT NULL CHECK (last_no >= first_no),
  -- the key of the receipts' verification codes (HMAC-SHA256), known to the device and the server only
  mac_key bytea NOT NULL,
  handed_at timestamptz NOT NULL DEFAULT now(),
  -- numbers from retired_from to last_no will never be used: why (device_restored, device_lost)
  retired_from bigint,
  retired_reason text CHECK (retired_reason IN ('device_restored', 'device_lost')),
  retired_at timestamptz,
  UNIQUE (org_id, first_no),
  FOREIGN KEY (org_id, client_id) REFERENCES receipt_devices (org_id, client_id)
);
CREATE INDEX receipt_blocks_client ON receipt_blocks (org_id, client_id);

CREATE TABLE cash_receipts (
  id uuid PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  number bigint NOT NULL,
  block_id uuid NOT NULL REFERENCES receipt_blocks(id),
  collector_id uuid NOT NULL REFERENCES users(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  payment_id uuid NOT NULL REFERENCES payments(id),
  method text NOT NULL CHECK (method IN ('cash', 'transfer')),
  transfer_reference text,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  issued_at timestamptz NOT NULL,
  -- the collector's day of the cash (the debtor's zone, as printed on the receipt)
  day date NOT NULL,
  code text NOT NULL,
  code_valid boolean NOT NULL,
  -- a number already used by another receipt (a whole-disk restore that issued before syncing):
  -- kept, money and all, and shown to the lead; never silently merged
  duplicate_of uuid REFERENCES cash_receipts(id),
  voided_at timestamptz,
  voided_by uuid REFERENCES users(id),
  void_reason text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cash_receipts_number ON cash_receipts (org_id, number) WHERE duplicate_of IS NULL;
CREATE INDEX cash_receipts_collector_day ON cash_receipts (org_id, collector_id, day);
CREATE INDEX cash_receipts_account ON cash_receipts (account_id);

-- Cash a collector handed in (bank deposit or to the office), recorded by their lead.
CREATE TABLE cash_deposits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  collector_id uuid NOT NULL REFERENCES users(id),
  day date NOT NULL,
  currency text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  reference text,
  recorded_by uuid NOT NULL REFERENCES users(id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cash_deposits_collector_day ON cash_deposits (org_id, collector_id, day);

-- A payment a collector took in the field arrives through the sync push.
ALTER TABLE payments DROP CONSTRAINT payments_recorded_via_check;
ALTER TABLE payments ADD CONSTRAINT payments_recorded_via_check CHECK (recorded_via IN ('api', 'cli', 'gateway', 'sync'));
ALTER TABLE payments DROP CONSTRAINT payments_reversed_via_check;
ALTER TABLE payments ADD CONSTRAINT payments_reversed_via_check CHECK (reversed_via IN ('api', 'cli', 'gateway', 'sync'));
