import type { Db } from '../../src/server/db';

/**
 * Bulk portfolio for benches and load tests, written with set-based SQL (generate_series) so
 * 100,000 accounts take seconds, not minutes through the CSV import. One debtor per account,
 * one phone per debtor, amounts and due dates spread deterministically.
 */
export interface BulkSeedOptions {
  orgId: string;
  /** Accounts are dealt round-robin to these agents. */
  agentIds: readonly string[];
  accounts: number;
  /** Distinguishes several seeds in one database. */
  prefix?: string;
}

export async function seedBulkAccounts(db: Db, o: BulkSeedOptions): Promise<void> {
  const prefix = o.prefix ?? 'BULK';
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs)
       SELECT $1, $2 || '-D' || g, 'Deudor ' || g, (10000000 + g)::text, 'CO', 'America/Bogota',
              CASE WHEN g % 10 = 0 THEN 'company' ELSE 'individual' END,
              (ARRAY['low','medium','high'])[1 + g % 3],
              '{"authorizedChannels":["call","sms"],"preferredChannel":"call","windows":[],"preferredPaymentDay":null}'::jsonb
       FROM generate_series(1, $3::int) g`,
      [o.orgId, prefix, o.accounts],
    );
    await tx.query(
      `INSERT INTO accounts (org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor, due_date,
                             installments_total, installments_paid, installment_amount_minor, status, assigned_agent_id)
       SELECT d.org_id, d.id, $2 || '-A' || s.g, 'Tarjeta', 'COP', 100000000 + s.g * 1000, 50000000 + (s.g % 997) * 10000,
              (date '2026-11-25' - (s.g % 200)), 12, s.g % 12, 8000000, 'active',
              ($3::uuid[])[1 + (s.g % cardinality($3::uuid[]))]
       FROM (SELECT g FROM generate_series(1, $4::int) g) s
       JOIN debtors d ON d.org_id = $1 AND d.external_id = $2 || '-D' || s.g`,
      [o.orgId, prefix, o.agentIds, o.accounts],
    );
    await tx.query(
      `INSERT INTO contact_points (debtor_id, kind, value, label, verified)
       SELECT d.id, 'phone', '+5730' || lpad((substring(d.external_id from '[0-9]+$'))::text, 8, '0'), 'móvil', false
       FROM debtors d WHERE d.org_id = $1 AND d.external_id LIKE $2 || '-D%'`,
      [o.orgId, prefix],
    );
  });
}
