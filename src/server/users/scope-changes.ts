import type { Db } from '../db';

/**
 * Changes to who sees whose accounts (team moves, team leads, roles), logged with a version
 * from the change sequence so pulls pick them up like any other change; see
 * 0011-user-admin.sql for the meaning of a row. Writers call these inside a writeTransaction.
 */

/** Accounts assigned to these users may have entered or left other users' scopes. */
export async function membersMoved(tx: Db, orgId: string, userIds: readonly string[]): Promise<void> {
  if (!userIds.length) return;
  await tx.query(`INSERT INTO scope_changes (org_id, user_id, full_pull) SELECT $1, u, false FROM unnest($2::uuid[]) AS u`, [
    orgId,
    [...new Set(userIds)],
  ]);
}

/** These users' own scopes changed shape: their next pull replaces their store. */
export async function scopesReshaped(tx: Db, orgId: string, userIds: readonly string[]): Promise<void> {
  if (!userIds.length) return;
  await tx.query(`INSERT INTO scope_changes (org_id, user_id, full_pull) SELECT $1, u, true FROM unnest($2::uuid[]) AS u`, [
    orgId,
    [...new Set(userIds)],
  ]);
}

export interface ScopeChangesSeen {
  /** The reader's own scope changed shape: start a full pull. */
  reshaped: boolean;
  /** Users whose accounts must be judged again against the reader's scope. */
  moved: string[];
}

/** Scope changes of the organisation in (since, head], as they concern `userId`. */
export async function scopeChangesSince(db: Db, orgId: string, userId: string, since: number, head: number): Promise<ScopeChangesSeen> {
  const rows = await db.query<{ userId: string; full: boolean }>(
    `SELECT user_id AS "userId", full_pull AS full FROM scope_changes WHERE org_id = $1 AND seq > $2 AND seq <= $3`,
    [orgId, since, head],
  );
  return {
    reshaped: rows.some((r) => r.full && r.userId === userId),
    moved: [...new Set(rows.filter((r) => !r.full).map((r) => r.userId))],
  };
}
