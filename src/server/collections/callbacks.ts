import { MISSED_CALLBACK_MINUTES, type MissedCallback } from '../../shared/domain/collections';
import { SqlParams, visibleAccount, type Scope } from '../access/visibility';
import type { Db } from '../db';

/**
 * Callbacks the agent let pass: due more than MISSED_CALLBACK_MINUTES ago with no activity on the
 * account since the callback time. Visible accounts only (a team lead sees their team's).
 */
export async function missedCallbacks(db: Db, scope: Scope, now: Date): Promise<MissedCallback[]> {
  const p = new SqlParams();
  const cutoff = p.add(new Date(now.getTime() - MISSED_CALLBACK_MINUTES * 60_000).toISOString());
  const rows = await db.query<Omit<MissedCallback, 'callbackAt'> & { callbackAt: Date }>(
    `SELECT a.id AS "accountId", a.external_ref AS "externalRef", d.name AS "debtorName", a.assigned_agent_id AS "agentId",
       u.display_name AS "agentName", a.callback_at AS "callbackAt", a.callback_note AS "callbackNote", d.time_zone AS "timeZone"
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id LEFT JOIN users u ON u.id = a.assigned_agent_id
     WHERE a.callback_at IS NOT NULL AND a.callback_at <= ${cutoff}::timestamptz AND ${visibleAccount(scope, 'a', p)}
       AND NOT EXISTS (SELECT 1 FROM activities t WHERE t.account_id = a.id AND t.started_at >= a.callback_at)
     ORDER BY a.callback_at LIMIT 500`,
    p.values,
  );
  return rows.map((r) => ({ ...r, callbackAt: r.callbackAt.toISOString() }));
}
