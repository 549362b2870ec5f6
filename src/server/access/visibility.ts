import type { Db } from '../db';
import type { AuthUser } from '../auth/sessions';
import type { Role } from '../../shared/domain/enums';

/**
 * Who sees which accounts — the one place this is decided; every endpoint and the sync pull
 * go through it. agent: accounts assigned to them. team_lead: accounts assigned to the agents
 * of the team(s) they lead, and to themselves. admin: the whole organisation.
 *
 * One rule for reading an account's data (the account, its debtor, activities, messages, notes,
 * promises …): visible now (findVisibleAccount / visibleAccount). "Ever assigned"
 * (findAccountForFacts) only lets a collector's offline work be *recorded* after a reassignment;
 * it never lets them read the account again (tests/unit/auth/visibility-use.test.ts checks that no
 * route uses it).
 */
export interface Scope {
  userId: string;
  orgId: string;
  role: Role;
  /** Agents whose accounts are visible; null = every account of the organisation. */
  agentIds: string[] | null;
}

export async function scopeFor(db: Db, user: AuthUser): Promise<Scope> {
  const base = { userId: user.id, orgId: user.orgId, role: user.role };
  if (user.role === 'admin') return { ...base, agentIds: null };
  if (user.role === 'agent') return { ...base, agentIds: [user.id] };
  const rows = await db.query<{ id: string }>(
    `SELECT u.id FROM users u
     WHERE u.org_id = $1
       AND (u.id = $2 OR u.team_id = $3 OR u.team_id IN (SELECT t.id FROM teams t WHERE t.lead_id = $2))`,
    [user.orgId, user.id, user.teamId],
  );
  return { ...base, agentIds: rows.map((r) => r.id) };
}

/** Collects positional parameters while a query is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** SQL condition: account `alias` is visible in `scope`. */
export function visibleAccount(scope: Scope, alias: string, p: SqlParams): string {
  const org = `${alias}.org_id = ${p.add(scope.orgId)}`;
  if (scope.agentIds === null) return org;
  return `${org} AND ${alias}.assigned_agent_id = ANY(${p.add(scope.agentIds)}::uuid[])`;
}

export function canSeeAgent(scope: Scope, agentId: string | null): boolean {
  if (scope.agentIds === null) return true;
  return agentId !== null && scope.agentIds.includes(agentId);
}

export interface AccountRef {
  id: string;
  orgId: string;
  debtorId: string;
  assignedAgentId: string | null;
  currency: string;
  status: string;
}

const ACCOUNT_REF = `a.id, a.org_id AS "orgId", a.debtor_id AS "debtorId", a.assigned_agent_id AS "assignedAgentId", a.currency, a.status`;

/** The account if the scope sees it now; null otherwise (callers answer 404). */
export async function findVisibleAccount(db: Db, scope: Scope, accountId: string, forUpdate = false): Promise<AccountRef | null> {
  const p = new SqlParams();
  const [row] = await db.query<AccountRef>(
    `SELECT ${ACCOUNT_REF} FROM accounts a WHERE a.id = ${p.add(accountId)} AND ${visibleAccount(scope, 'a', p)}${forUpdate ? ' FOR UPDATE' : ''}`,
    p.values,
  );
  return row ?? null;
}

/**
 * The account if the user may record facts (activities, notes, promises) on it: visible now, or
 * ever assigned to this user — work a collector did offline before a reassignment is never lost.
 * For writes (sync appliers) only: a read of the account's data uses findVisibleAccount.
 */
export async function findAccountForFacts(db: Db, scope: Scope, accountId: string): Promise<AccountRef | null> {
  const visible = await findVisibleAccount(db, scope, accountId);
  if (visible) return visible;
  const [row] = await db.query<AccountRef>(
    `SELECT ${ACCOUNT_REF} FROM accounts a
     WHERE a.id = $1 AND a.org_id = $2
       AND EXISTS (SELECT 1 FROM assignment_log l WHERE l.account_id = a.id AND l.to_agent_id = $3)`,
    [accountId, scope.orgId, scope.userId],
  );
  return row ?? null;
}

/** Whether the scope sees at least one account of this debtor. */
export async function isDebtorVisible(db: Db, scope: Scope, debtorId: string): Promise<boolean> {
  const p = new SqlParams();
  const rows = await db.query(
    `SELECT 1 FROM accounts a WHERE a.debtor_id = ${p.add(debtorId)} AND ${visibleAccount(scope, 'a', p)} LIMIT 1`,
    p.values,
  );
  return rows.length > 0;
}
