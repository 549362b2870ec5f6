-- Risk scores learned per organisation from its own history (docs/risk.md, src/server/risk/).

-- Trained models. One row per training run, promoted or not, so the model card of every candidate
-- stays readable. At most one promoted model per organisation and target.
CREATE TABLE risk_models (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organizations(id),
  -- pay_30: P(a payment in the next 30 days); roll_30: P(rolling to the next DPD bucket in 30 days)
  target text NOT NULL CHECK (target IN ('pay_30', 'roll_30')),
  status text NOT NULL CHECK (status IN ('promoted', 'rejected', 'retired')),
  trained_at timestamptz NOT NULL DEFAULT now(),
  -- the standardised logistic model: feature names, means, standard deviations, coefficients
  model jsonb NOT NULL,
  -- data window, features, hold-out AUC, calibration and lift by decile, protected-attribute check
  card jsonb NOT NULL,
  holdout_auc double precision NOT NULL,
  -- the AUC of the model in use on the same hold-out (NULL: none in use), the promotion's yardstick
  incumbent_auc double precision,
  promoted_at timestamptz,
  retired_at timestamptz
);
CREATE UNIQUE INDEX risk_models_in_use ON risk_models (org_id, target) WHERE status = 'promoted';
CREATE INDEX risk_models_org ON risk_models (org_id, trained_at DESC);

-- What the account looked like on a day, written by the risk job each day it runs: the point-in-time
-- DPD and balance that training reads back (a portfolio re-import rewrites accounts.due_date, so
-- today's row cannot tell last month's DPD). Days before the first snapshot are reconstructed
-- (src/server/risk/features-sql.ts says how).
CREATE TABLE risk_account_days (
  org_id uuid NOT NULL REFERENCES organizations(id),
  account_id uuid NOT NULL REFERENCES accounts(id),
  day date NOT NULL,
  dpd integer NOT NULL,
  balance_minor bigint NOT NULL,
  PRIMARY KEY (org_id, account_id, day)
);

-- The latest score of each account, synced to the workstations (docs/risk.md, docs/sync.md).
CREATE TABLE account_scores (
  account_id uuid PRIMARY KEY REFERENCES accounts(id),
  org_id uuid NOT NULL REFERENCES organizations(id),
  pay_model_id uuid NOT NULL REFERENCES risk_models(id),
  roll_model_id uuid REFERENCES risk_models(id),
  pay_probability double precision NOT NULL CHECK (pay_probability >= 0 AND pay_probability <= 1),
  roll_probability double precision CHECK (roll_probability >= 0 AND roll_probability <= 1),
  -- the three features that moved the propensity most: [{ feature, direction, params }]
  reasons jsonb NOT NULL,
  -- the org-zone day the features were computed as of
  as_of date NOT NULL,
  scored_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version bigint NOT NULL DEFAULT next_change_version()
);
CREATE INDEX account_scores_org ON account_scores (org_id);
CREATE INDEX account_scores_version ON account_scores (version);
CREATE TRIGGER account_scores_version BEFORE UPDATE ON account_scores FOR EACH ROW EXECUTE FUNCTION bump_version();
