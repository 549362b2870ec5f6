import type { Db } from '../db';

/** Who makes a change: a logged-in administrator, or the command line (id null). */
export interface Actor {
  id: string | null;
  orgId: string;
}

export type AdminAction =
  | 'user.create'
  | 'user.update'
  | 'user.password_set'
  | 'user.password_change'
  | 'team.create'
  | 'team.update'
  | 'org.security'
  | 'user.wipe';

export interface AuditFact {
  orgId: string;
  /** null: the server's command line (npm run users). */
  actorId: string | null;
  action: AdminAction;
  userId?: string | null;
  teamId?: string | null;
  /** Only the fields that changed; never a password or its hash. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Appends one row to user_admin_audit, in the caller's transaction: no change without its record. */
export async function recordAudit(tx: Db, f: AuditFact): Promise<void> {
  await tx.query(
    `INSERT INTO user_admin_audit (org_id, actor_id, via, action, user_id, team_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
    [
      f.orgId,
      f.actorId,
      f.actorId ? 'api' : 'cli',
      f.action,
      f.userId ?? null,
      f.teamId ?? null,
      f.before ? JSON.stringify(f.before) : null,
      f.after ? JSON.stringify(f.after) : null,
    ],
  );
}

/** The fields of `after` whose value differs from `before`, as two objects for the audit row. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (after[key] === undefined || after[key] === before[key]) continue;
    b[key] = before[key];
    a[key] = after[key];
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
