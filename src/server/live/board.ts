import type { Db } from '../db';
import { SqlParams, visibleAccount, type Scope } from '../access/visibility';
import { localDate } from '../../shared/domain/time';
import { DEFAULT_LIVE_SETTINGS, isIdle, LiveSettings, type BoardAgent, type LiveAlert, type LiveBoard } from '../../shared/live/presence';
import { BOARD_FROM, BOARD_ROW, toBoardAgent, type RawBoardRow } from './presence';

/** The organisation's alert thresholds (organizations.settings.live), defaults for what is unset. */
export async function liveSettings(db: Db, orgId: string): Promise<LiveSettings> {
  const [row] = await db.query<{ live: unknown }>(`SELECT settings->'live' AS live FROM organizations WHERE id = $1`, [orgId]);
  const parsed = LiveSettings.partial().safeParse(row?.live ?? {});
  return { ...DEFAULT_LIVE_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

/** Agents on the board: the scope's collectors (agents and leads who take calls), not admins or system users. */
function boardAgentsWhere(scope: Scope, p: SqlParams): string {
  const base = `u.org_id = ${p.add(scope.orgId)} AND u.role <> 'admin' AND NOT u.disabled AND NOT u.system`;
  return scope.agentIds === null ? base : `${base} AND u.id = ANY(${p.add(scope.agentIds)}::uuid[])`;
}

export async function readBoardAgents(db: Db, scope: Scope): Promise<BoardAgent[]> {
  const p = new SqlParams();
  const rows = await db.query<RawBoardRow>(
    `SELECT ${BOARD_ROW} FROM ${BOARD_FROM} WHERE ${boardAgentsWhere(scope, p)} ORDER BY u.display_name, u.id`,
    p.values,
  );
  return rows.map(toBoardAgent);
}

/** The board with its alerts (definitions in docs/live-board.md, "Alerts"), all for the scope's agents only. */
export async function readBoard(db: Db, scope: Scope, now = new Date()): Promise<LiveBoard> {
  const [agents, settings] = await Promise.all([readBoardAgents(db, scope), liveSettings(db, scope.orgId)]);
  const alerts = await readAlerts(db, scope, agents, settings, now);
  return { agents, alerts, settings, serverNow: now.toISOString() };
}

async function readAlerts(db: Db, scope: Scope, agents: BoardAgent[], s: LiveSettings, now: Date): Promise<LiveAlert[]> {
  const ids = agents.map((a) => a.userId);
  const alerts: LiveAlert[] = [];
  for (const a of agents) if (isIdle(a, now, s)) alerts.push({ kind: 'idle', userId: a.userId, since: a.stateSince! });
  if (ids.length === 0) return alerts;

  // compliance blocks: contact attempts the rules refused, by the agent, inside the window
  const blocks = await db.query<{ userId: string; n: number }>(
    `SELECT agent_id AS "userId", count(*)::int AS n FROM activities
      WHERE agent_id = ANY($1::uuid[]) AND compliance_blocked AND started_at > $2::timestamptz - ($3::int * interval '1 minute')
      GROUP BY agent_id HAVING count(*) >= $4`,
    [ids, now, s.blockWindowMinutes, s.blockSpikeCount],
  );
  for (const b of blocks) alerts.push({ kind: 'block_spike', userId: b.userId, count: b.n, windowMinutes: s.blockWindowMinutes });

  // promises with an installment due today (organisation's day) and no contact on the account
  // (a message queued or sent, or any attempt) since the start of yesterday: nobody reminded the debtor
  const [org] = await db.query<{ tz: string }>('SELECT time_zone AS tz FROM organizations WHERE id = $1', [scope.orgId]);
  const today = localDate(now, org!.tz);
  const p = new SqlParams();
  const tz = p.add(org!.tz);
  const due = await db.query<{ userId: string; accountIds: string[] }>(
    `SELECT a.assigned_agent_id AS "userId", array_agg(DISTINCT a.id) AS "accountIds"
       FROM promise_installments i
       JOIN promises pr ON pr.id = i.promise_id AND pr.status = 'pending'
       JOIN accounts a ON a.id = pr.account_id
      WHERE i.due_date = ${p.add(today)}::date AND i.status = 'pending' AND ${visibleAccount(scope, 'a', p)}
        AND a.assigned_agent_id = ANY(${p.add(ids)}::uuid[])
        AND NOT EXISTS (SELECT 1 FROM outbound_messages m WHERE m.account_id = a.id AND m.status IN ('queued', 'sending', 'sent')
                          AND m.created_at >= ((${p.add(today)}::date - 1)::timestamp AT TIME ZONE ${tz}))
        AND NOT EXISTS (SELECT 1 FROM activities x WHERE x.account_id = a.id AND NOT x.compliance_blocked
                          AND x.started_at >= ((${p.add(today)}::date - 1)::timestamp AT TIME ZONE ${tz}))
      GROUP BY a.assigned_agent_id`,
    p.values,
  );
  for (const d of due)
    alerts.push({ kind: 'promises_unreminded', userId: d.userId, count: d.accountIds.length, accountIds: d.accountIds.slice(0, 20) });

  // a collector's store: the last time any of their workstations pushed or pulled (sync_clients)
  const stale = await db.query<{ userId: string; last: Date | null }>(
    `SELECT u.id AS "userId", max(c.last_seen_at) AS last FROM users u LEFT JOIN sync_clients c ON c.user_id = u.id
      WHERE u.id = ANY($1::uuid[]) AND u.role = 'agent'
      GROUP BY u.id HAVING max(c.last_seen_at) < $2::timestamptz - ($3::int * interval '1 day')`,
    [ids, now, s.unsyncedDays],
  );
  for (const r of stale)
    alerts.push({
      kind: 'store_unsynced',
      userId: r.userId,
      lastSyncAt: r.last?.toISOString() ?? null,
      days: r.last ? Math.floor((now.getTime() - r.last.getTime()) / 86_400_000) : s.unsyncedDays,
    });
  return alerts;
}
