import type { Db } from '../../src/server/db';

/**
 * A synthetic portfolio for the risk model's tests and bench, written in SQL so a million accounts
 * take seconds: each account has a hidden propensity h (uniform 0–1) that no column holds; in every
 * 30-day period of the past it paid with probability h, and a monthly call reached the debtor with
 * probability 0.6·h. A model that learns from the features should rank payers above the rest.
 */
export async function seedRiskPortfolio(
  db: Db,
  opts: { accounts: number; periods?: number; code?: string; seed?: number; today?: string },
): Promise<{ orgId: string; agentId: string }> {
  const periods = opts.periods ?? 6;
  const code = opts.code ?? 'riesgo-sint';
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const [o] = await db.query<{ id: string }>(
    `INSERT INTO organizations (name, country, time_zone, code) VALUES ($1, 'CO', 'America/Bogota', $1) RETURNING id`,
    [code],
  );
  const orgId = o!.id;
  const [u] = await db.query<{ id: string }>(
    `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'sint', 'sint', 'agent', 'x') RETURNING id`,
    [orgId],
  );
  const agentId = u!.id;
  await db.query(`SELECT setseed($1)`, [opts.seed ?? 0.42]);
  await db.exec(`CREATE TEMP TABLE IF NOT EXISTS risk_hidden (account_id uuid PRIMARY KEY, h float8 NOT NULL)`);
  await db.exec('TRUNCATE risk_hidden');
  await db.query(
    `WITH d AS (
       INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment)
       SELECT $1, 's' || g, 'Deudor ' || g, g::text, 'CO', 'America/Bogota', 'individual', 'medium' FROM generate_series(1, $2) g
       RETURNING id, external_id)
     , a AS (
       INSERT INTO accounts (org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date, assigned_agent_id, created_at)
       SELECT $1, d.id, 'r' || d.external_id, CASE WHEN random() < 0.3 THEN 'auto' ELSE 'tarjeta' END, 'COP', 1000000, 1000000,
         $4::date - (1 + floor(random() * 120))::int, $3, $4::date - ($5 * 30 + 30)
       FROM d RETURNING id)
     INSERT INTO risk_hidden SELECT id, random() FROM a`,
    [orgId, opts.accounts, agentId, today, periods],
  );
  await db.query(
    `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at, recorded_at)
     SELECT $1, h.account_id, h.account_id::text || '-' || k, 50000, 'COP', t, t
     FROM risk_hidden h CROSS JOIN generate_series(0, $3 - 1) k
     -- h.h * 0 ties the draws to the row: without it the planner may draw once per k for everyone
     CROSS JOIN LATERAL (SELECT ($2::date - k * 30 - floor(random() * 30 + h.h * 0)::int)::timestamp + interval '15 hours' AS t,
       random() + h.h * 0 AS r) x
     WHERE x.r < h.h AND x.t < now()`,
    [orgId, today, periods],
  );
  await db.query(
    `INSERT INTO activities (id, account_id, agent_id, channel, direction, disposition, started_at, recorded_at)
     SELECT gen_random_uuid(), h.account_id, $1, 'call', 'outbound', CASE WHEN random() < 0.6 * h.h THEN 'rpc' ELSE 'no_answer' END, t, t
     FROM risk_hidden h CROSS JOIN generate_series(0, $3 - 1) k
     CROSS JOIN LATERAL (SELECT ($2::date - k * 30 - floor(random() * 30 + h.h * 0)::int)::timestamp + interval '16 hours' AS t) x
     WHERE x.t < now()`,
    [agentId, today, periods],
  );
  await db.query(
    `UPDATE accounts a SET balance_minor = greatest(0, a.principal_minor - p.s)
     FROM (SELECT account_id, sum(amount_minor) AS s FROM payments WHERE org_id = $1 GROUP BY account_id) p WHERE p.account_id = a.id`,
    [orgId],
  );
  return { orgId, agentId };
}
