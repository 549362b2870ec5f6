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

/**
 * What a file (portfolio or payments) may change, decided here like every other visibility
 * question. admin: anything in the organisation. team lead: only accounts they see now (or new
 * ones), only assigned to agents they see, and only debtors none of whose accounts lies outside
 * their scope — a file must not reach further than the API does. Each refusal names its row and
 * what was refused ('account', 'debtor' or 'agent'); the caller names the column.
 */
export interface ImportTarget {
  rowNumber: number;
  accountRef: string;
  debtorExternalId?: string;
  /** The agent the row assigns (already resolved to an id); null = keeps the current one. */
  agentId?: string | null;
}
export type ImportRefusalKind = 'account' | 'debtor' | 'agent';
export interface ImportRefusal {
  rowNumber: number;
  kind: ImportRefusalKind;
  message: string;
}

export async function importRefusals(db: Db, scope: Scope, targets: readonly ImportTarget[]): Promise<ImportRefusal[]> {
  const agentIds = scope.agentIds;
  if (agentIds === null || targets.length === 0) return [];
  const refs = [...new Set(targets.map((t) => t.accountRef))];
  const existing = await db.query<{ ref: string; visible: boolean }>(
    // joins on unnest, not = ANY($2): with a batch of thousands of refs the planner would scan
    // the organisation's accounts comparing each with every ref
    `SELECT a.external_ref AS ref, coalesce(a.assigned_agent_id = ANY($3::uuid[]), false) AS visible
       FROM unnest($2::text[]) AS k(ref) JOIN accounts a ON a.org_id = $1 AND a.external_ref = k.ref`,
    [scope.orgId, refs, agentIds],
  );
  const accountVisible = new Map(existing.map((r) => [r.ref, r.visible]));
  const debtorIds = [...new Set(targets.map((t) => t.debtorExternalId).filter((d): d is string => d !== undefined))];
  const outside =
    debtorIds.length === 0
      ? []
      : await db.query<{ id: string }>(
          `SELECT DISTINCT d.external_id AS id FROM unnest($2::text[]) AS k(id)
             JOIN debtors d ON d.org_id = $1 AND d.external_id = k.id JOIN accounts a ON a.debtor_id = d.id
            WHERE NOT coalesce(a.assigned_agent_id = ANY($3::uuid[]), false)`,
          [scope.orgId, debtorIds, agentIds],
        );
  const debtorOutside = new Set(outside.map((r) => r.id));
  const out: ImportRefusal[] = [];
  for (const t of targets) {
    const visible = accountVisible.get(t.accountRef);
    if (visible === false) {
      out.push({ rowNumber: t.rowNumber, kind: 'account', message: `la cuenta "${t.accountRef}" no es de su equipo` });
    } else if (t.debtorExternalId !== undefined && debtorOutside.has(t.debtorExternalId)) {
      out.push({ rowNumber: t.rowNumber, kind: 'debtor', message: `el deudor "${t.debtorExternalId}" tiene cuentas fuera de su equipo` });
    } else if (t.agentId !== undefined && t.agentId !== null && !agentIds.includes(t.agentId)) {
      out.push({ rowNumber: t.rowNumber, kind: 'agent', message: 'solo puede asignar cuentas a asesores de su equipo' });
    } else if (visible === undefined && t.agentId === null) {
      // A new account without an agent would belong to no team: only an administrator may load it.
      out.push({ rowNumber: t.rowNumber, kind: 'agent', message: 'una cuenta nueva debe asignarse a un asesor de su equipo' });
    }
  }
  return out;
}
