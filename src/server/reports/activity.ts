import { RIGHT_PARTY_DISPOSITIONS } from '../../shared/domain/enums';
import {
  reportDays,
  reportInstants,
  type ActivityReport,
  type ActivityReportQuery,
  type AgentActivity,
  type MoneyByCurrency,
} from '../../shared/reports/activity';
import type { Scope } from '../access/visibility';
import type { Db } from '../db';
import { MESSAGE_CHANNELS, sqlList } from '../../shared/domain/channels';

/** The message channels as an SQL list (constants, never input). */
const MESSAGE_SQL = sqlList(MESSAGE_CHANNELS);

type Sums = Map<string, MoneyByCurrency>;

function byAgent(rows: Array<{ agentId: string; currency: string; amount: number }>): Sums {
  const out: Sums = new Map();
  for (const r of rows) {
    const list = out.get(r.agentId) ?? [];
    list.push({ currency: r.currency, amountMinor: Number(r.amount) });
    out.set(r.agentId, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.currency.localeCompare(b.currency));
  return out;
}

/**
 * Counts per agent of the caller's scope (admins: every non-admin user of the organisation).
 * One grouped statement per measure, each read by an index on (agent, time): a report over a
 * month of a large team reads that month's rows, not the tables.
 */
export async function activityReport(db: Db, scope: Scope, q: ActivityReportQuery, now: Date): Promise<ActivityReport> {
  const [org] = await db.query<{ timeZone: string }>('SELECT time_zone AS "timeZone" FROM organizations WHERE id = $1', [scope.orgId]);
  const timeZone = org?.timeZone ?? 'UTC';
  const { from, to } = reportDays(q, timeZone, now);
  const { start, end } = reportInstants(from, to, timeZone);

  const users = await db.query<{
    id: string;
    username: string;
    displayName: string;
    role: AgentActivity['role'];
    teamName: string | null;
    disabled: boolean;
  }>(
    `SELECT u.id, u.username, u.display_name AS "displayName", u.role, t.name AS "teamName", u.disabled
     FROM users u LEFT JOIN teams t ON t.id = u.team_id
     WHERE u.org_id = $1 AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[])) AND ($2::uuid[] IS NOT NULL OR u.role <> 'admin')
     ORDER BY u.display_name, u.username`,
    [scope.orgId, scope.agentIds],
  );
  const ids = users.map((u) => u.id);
  if (ids.length === 0) return { from, to, timeZone, agents: [] };

  const [held, balances, acts, promises, promised, collected] = await Promise.all([
    db.query<{ agentId: string; n: number }>(
      `SELECT assigned_agent_id AS "agentId", count(*)::int AS n FROM accounts
       WHERE org_id = $1 AND assigned_agent_id = ANY($2::uuid[]) GROUP BY 1`,
      [scope.orgId, ids],
    ),
    db.query<{ agentId: string; currency: string; amount: number }>(
      `SELECT assigned_agent_id AS "agentId", currency, sum(balance_minor)::bigint AS amount FROM accounts
       WHERE org_id = $1 AND assigned_agent_id = ANY($2::uuid[]) GROUP BY 1, 2`,
      [scope.orgId, ids],
    ),
    db.query<{ agentId: string; calls: number; messages: number; visits: number; rpc: number; violations: number; last: Date | null }>(
      `SELECT agent_id AS "agentId",
              count(*) FILTER (WHERE channel = 'call')::int AS calls,
              -- a message the server refused to send is recorded without disposition: it reached no one
              count(*) FILTER (WHERE channel IN (${MESSAGE_SQL}) AND disposition IS NOT NULL)::int AS messages,
              count(*) FILTER (WHERE channel = 'visit')::int AS visits,
              count(*) FILTER (WHERE disposition = ANY($4::text[]))::int AS rpc,
              count(*) FILTER (WHERE compliance_violation IS NOT NULL)::int AS violations,
              max(started_at) AS last
       FROM activities WHERE agent_id = ANY($1::uuid[]) AND started_at >= $2 AND started_at < $3 GROUP BY 1`,
      [ids, start, end, [...RIGHT_PARTY_DISPOSITIONS]],
    ),
    db.query<{ agentId: string; made: number; kept: number; partial: number; broken: number; pending: number }>(
      `SELECT agent_id AS "agentId", count(*) FILTER (WHERE status <> 'cancelled')::int AS made,
              count(*) FILTER (WHERE status = 'kept')::int AS kept, count(*) FILTER (WHERE status = 'partially_kept')::int AS partial,
              count(*) FILTER (WHERE status = 'broken')::int AS broken, count(*) FILTER (WHERE status = 'pending')::int AS pending
       FROM promises WHERE agent_id = ANY($1::uuid[]) AND created_at >= $2 AND created_at < $3 GROUP BY 1`,
      [ids, start, end],
    ),
    db.query<{ agentId: string; currency: string; amount: number }>(
      `SELECT p.agent_id AS "agentId", p.currency, sum(i.amount_minor)::bigint AS amount
       FROM promises p JOIN promise_installments i ON i.promise_id = p.id
       WHERE p.agent_id = ANY($1::uuid[]) AND p.created_at >= $2 AND p.created_at < $3 AND p.status <> 'cancelled' GROUP BY 1, 2`,
      [ids, start, end],
    ),
    db.query<{ agentId: string; currency: string; amount: number }>(
      `SELECT a.assigned_agent_id AS "agentId", p.currency, sum(p.amount_minor)::bigint AS amount
       FROM payments p JOIN accounts a ON a.id = p.account_id
       WHERE p.org_id = $1 AND p.reversed_at IS NULL AND p.paid_at >= $3 AND p.paid_at < $4 AND a.assigned_agent_id = ANY($2::uuid[])
       GROUP BY 1, 2`,
      [scope.orgId, ids, start, end],
    ),
  ]);

  const heldBy = new Map(held.map((r) => [r.agentId, r.n]));
  const balanceBy = byAgent(balances);
  const actsBy = new Map(acts.map((r) => [r.agentId, r]));
  const promisesBy = new Map(promises.map((r) => [r.agentId, r]));
  const promisedBy = byAgent(promised);
  const collectedBy = byAgent(collected);
  const agents: AgentActivity[] = users.map((u) => {
    const a = actsBy.get(u.id);
    const p = promisesBy.get(u.id);
    return {
      agentId: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      teamName: u.teamName,
      disabled: u.disabled,
      assignedAccounts: heldBy.get(u.id) ?? 0,
      assignedBalance: balanceBy.get(u.id) ?? [],
      calls: a?.calls ?? 0,
      messages: a?.messages ?? 0,
      visits: a?.visits ?? 0,
      rightPartyContacts: a?.rpc ?? 0,
      promisesMade: p?.made ?? 0,
      promised: promisedBy.get(u.id) ?? [],
      promisesKept: p?.kept ?? 0,
      promisesPartiallyKept: p?.partial ?? 0,
      promisesBroken: p?.broken ?? 0,
      promisesPending: p?.pending ?? 0,
      collected: collectedBy.get(u.id) ?? [],
      violations: a?.violations ?? 0,
      lastActivityAt: a?.last ? new Date(a.last).toISOString() : null,
    };
  });
  return { from, to, timeZone, agents };
}
