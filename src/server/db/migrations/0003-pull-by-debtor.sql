-- A first pull pages through visible accounts ordered by (debtor, account), so each page's
-- debtors and contact points are an index range too, instead of a scan of both tables per page.
CREATE INDEX accounts_org_debtor ON accounts (org_id, debtor_id, id);
CREATE INDEX accounts_agent_debtor ON accounts (org_id, assigned_agent_id, debtor_id, id);
