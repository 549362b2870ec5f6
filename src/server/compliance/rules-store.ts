import { OrgComplianceRules, type ComplianceAuditEntry, type OrgComplianceState } from '../../shared/domain/org-compliance';
import type { Db } from '../db';

interface Row {
  overrides: unknown;
  dncNumbers: string[] | null;
  revision: number | null;
  updatedAt: Date | null;
  updatedBy: string | null;
  country: string;
  timeZone: string;
}

/** The organisation's compliance rules; an organisation that never set any has the law alone. */
export async function loadOrgCompliance(db: Db, orgId: string): Promise<OrgComplianceState> {
  const [r] = await db.query<Row>(
    `SELECT c.overrides, c.dnc_numbers AS "dncNumbers", c.revision, c.updated_at AS "updatedAt",
            u.username AS "updatedBy", o.country, o.time_zone AS "timeZone"
     FROM organizations o LEFT JOIN org_compliance c ON c.org_id = o.id LEFT JOIN users u ON u.id = c.updated_by
     WHERE o.id = $1`,
    [orgId],
  );
  if (!r) throw new Error(`organisation ${orgId} not found`);
  return {
    // stored rules were validated when written; parse fills defaults added to the schema since
    rules: OrgComplianceRules.parse({ overrides: r.overrides ?? {}, dncNumbers: r.dncNumbers ?? [] }),
    revision: r.revision ?? 0,
    updatedAt: r.updatedAt ? r.updatedAt.toISOString() : null,
    updatedBy: r.updatedBy,
    country: r.country,
    timeZone: r.timeZone,
  };
}

/** Replaces the rules and appends the audit entry in the same transaction. */
export async function saveOrgCompliance(db: Db, orgId: string, userId: string, rules: OrgComplianceRules): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO org_compliance (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING', [orgId]);
    const [before] = await tx.query<{ overrides: unknown; dncNumbers: string[] }>(
      'SELECT overrides, dnc_numbers AS "dncNumbers" FROM org_compliance WHERE org_id = $1 FOR UPDATE',
      [orgId],
    );
    const prev = OrgComplianceRules.parse({ overrides: before?.overrides ?? {}, dncNumbers: before?.dncNumbers ?? [] });
    await tx.query(
      `UPDATE org_compliance SET overrides = $2::jsonb, dnc_numbers = $3::text[], revision = revision + 1,
         updated_at = now(), updated_by = $4 WHERE org_id = $1`,
      [orgId, JSON.stringify(rules.overrides), rules.dncNumbers, userId],
    );
    await tx.query('INSERT INTO org_compliance_audit (org_id, user_id, before, after) VALUES ($1, $2, $3::jsonb, $4::jsonb)', [
      orgId,
      userId,
      JSON.stringify(prev),
      JSON.stringify(rules),
    ]);
  });
}

export async function listComplianceAudit(db: Db, orgId: string, limit = 200): Promise<ComplianceAuditEntry[]> {
  const rows = await db.query<{ seq: string | number; userId: string; username: string; at: Date; before: unknown; after: unknown }>(
    `SELECT a.seq, a.user_id AS "userId", u.username, a.at, a.before, a.after
     FROM org_compliance_audit a JOIN users u ON u.id = a.user_id WHERE a.org_id = $1 ORDER BY a.seq DESC LIMIT $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    userId: r.userId,
    username: r.username,
    at: r.at.toISOString(),
    before: OrgComplianceRules.parse(r.before),
    after: OrgComplianceRules.parse(r.after),
  }));
}
