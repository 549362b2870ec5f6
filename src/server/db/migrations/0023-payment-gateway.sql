-- Payments through the organisation's payment gateway (issue #15, "Paying"): the debtor pays on
-- the gateway's own page (Mercado Pago Checkout Pro); its signed notification records the payment
-- through the ordinary payments path, with no user behind it: via 'gateway'.
ALTER TABLE payments DROP CONSTRAINT payments_recorded_via_check;
ALTER TABLE payments ADD CONSTRAINT payments_recorded_via_check CHECK (recorded_via IN ('api', 'cli', 'gateway'));
ALTER TABLE payments DROP CONSTRAINT payments_reversed_via_check;
ALTER TABLE payments ADD CONSTRAINT payments_reversed_via_check CHECK (reversed_via IN ('api', 'cli', 'gateway'));

-- Each organisation's gateway account. Secrets are write-only (the API answers whether they are
-- set); base_url is the gateway's API root, overridable for a sandbox or a test server.
CREATE TABLE org_payment_config (
  org_id uuid PRIMARY KEY REFERENCES organizations(id),
  provider text NOT NULL CHECK (provider IN ('mercadopago')),
  access_token text,
  webhook_secret text,
  base_url text,
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every notification whose signature held, with what it led to: a payment that stays pending or
-- is rejected records nothing, but the trace says it came and what the gateway said.
CREATE TABLE payment_notifications (
  seq bigserial PRIMARY KEY,
  org_id uuid NOT NULL REFERENCES organizations(id),
  provider text NOT NULL CHECK (provider IN ('mercadopago')),
  gateway_payment_id text NOT NULL,
  status text,
  reference text,
  amount_minor bigint,
  currency text,
  outcome text NOT NULL CHECK (outcome IN ('recorded', 'duplicate', 'reversed', 'ignored', 'refused')),
  detail text,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payment_notifications_payment ON payment_notifications (org_id, gateway_payment_id);
