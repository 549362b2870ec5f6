import type { Db } from '../db';
import type { OrgAuditAction, OrgAuditEntry } from '../../shared/api/audit';

// the schemas are the API's (shared/api/audit.ts): re-exported for the server's modules
export { OrgAuditAction, OrgAuditEntry } from '../../shared/api/audit';

export interface OrgAuditFact {
  orgId: string;
  /** null: not a user (the debtor's own opt-out reply). */
  actorId: string | null;
  action: OrgAuditAction;
  accountId?: string | null;
  before: unknown;
  after: unknown;
}

/** Appends one row in the caller's transaction: no change without its record. */
export async function recordOrgAudit(tx: Db, f: OrgAuditFact): Promise<void> {
  await tx.query(
    `INSERT INTO org_audit (org_id, actor_id, action, account_id, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [f.orgId, f.actorId, f.action, f.accountId ?? null, JSON.stringify(f.before ?? null), JSON.stringify(f.after ?? null)],
  );
}

/** The organisation's entries of some actions, newest first. */
export async function listOrgAudit(
  db: Db,
  orgId: string,
  actions: readonly OrgAuditAction[],
  opts: { accountIds?: readonly string[]; limit: number; beforeSeq?: number },
): Promise<OrgAuditEntry[]> {
  const rows = await db.query<OrgAuditEntry & { at: Date }>(
    `SELECT a.seq::int AS seq, a.actor_id AS "actorId", u.username AS "actorUsername", a.action, a.account_id AS "accountId",
            a.before, a.after, a.at
     FROM org_audit a LEFT JOIN users u ON u.id = a.actor_id
     WHERE a.org_id = $1 AND a.action = ANY($2::text[]) AND ($3::uuid[] IS NULL OR a.account_id = ANY($3::uuid[]))
       AND ($4::bigint IS NULL OR a.seq < $4)
     ORDER BY a.seq DESC LIMIT $5`,
    [orgId, actions, opts.accountIds ?? null, opts.beforeSeq ?? null, opts.limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
