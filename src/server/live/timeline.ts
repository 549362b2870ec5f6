import type { Db } from '../db';
import { SqlParams, visibleAccount, type Scope } from '../access/visibility';
import { localDate } from '../../shared/domain/time';
import type { Timeline, TimelineItem, TimelineKind } from '../../shared/live/presence';

/**
 * One agent's day in the organisation's time zone: their contact attempts (calls with SIP status
 * and duration, messages, visits — each with its outcome), promises, notes, and pauses from the
 * state log, oldest first. An item on an account the reader no longer sees (reassigned out of the
 * team) keeps its time and kind but not the account. The caller has checked the agent is in scope.
 */
export async function readTimeline(
  db: Db,
  scope: Scope,
  agent: { id: string; displayName: string },
  day: string | undefined,
  kinds: readonly TimelineKind[],
  now = new Date(),
): Promise<Timeline> {
  const [org] = await db.query<{ tz: string }>('SELECT time_zone AS tz FROM organizations WHERE id = $1', [scope.orgId]);
  const tz = org!.tz;
  const date = day ?? localDate(now, tz);
  const p = new SqlParams();
  const agentId = p.add(agent.id);
  const from = `(${p.add(date)}::date::timestamp AT TIME ZONE ${p.add(tz)})`;
  const to = `((${p.add(date)}::date + 1)::timestamp AT TIME ZONE ${p.add(tz)})`;
  const acct = (alias: string) => `CASE WHEN ${visibleAccount(scope, alias, p)} THEN ${alias}.id END`;
  const acctRef = (alias: string) => `CASE WHEN ${visibleAccount(scope, alias, p)} THEN ${alias}.external_ref END`;
  const debtor = (alias: string, d: string) => `CASE WHEN ${visibleAccount(scope, alias, p)} THEN ${d}.name END`;
  const rows = await db.query<Omit<TimelineItem, 'at' | 'endedAt'> & { at: Date; endedAt: Date | null }>(
    `SELECT * FROM (
       SELECT CASE x.channel WHEN 'call' THEN 'call' WHEN 'visit' THEN 'visit' ELSE 'message' END AS kind,
              x.started_at AS at, x.ended_at AS "endedAt", ${acct('a')} AS "accountId", ${acctRef('a')} AS "accountRef",
              ${debtor('a', 'd')} AS "debtorName", x.channel, x.disposition, x.sip_status AS "sipStatus",
              x.duration_sec AS "durationSec", NULL::bigint AS "amountMinor", NULL::text AS currency,
              x.note AS text, NULL::text AS "pauseReason"
         FROM activities x JOIN accounts a ON a.id = x.account_id JOIN debtors d ON d.id = a.debtor_id
        WHERE x.agent_id = ${agentId} AND x.started_at >= ${from} AND x.started_at < ${to}
       UNION ALL
       SELECT 'promise', pr.created_at, NULL, ${acct('a')}, ${acctRef('a')}, ${debtor('a', 'd')}, pr.channel, pr.status, NULL, NULL,
              (SELECT sum(i.amount_minor) FROM promise_installments i WHERE i.promise_id = pr.id)::bigint, pr.currency, NULL, NULL
         FROM promises pr JOIN accounts a ON a.id = pr.account_id JOIN debtors d ON d.id = a.debtor_id
        WHERE pr.agent_id = ${agentId} AND pr.created_at >= ${from} AND pr.created_at < ${to}
       UNION ALL
       SELECT 'note', n.created_at, NULL, ${acct('a')}, ${acctRef('a')}, ${debtor('a', 'd')}, NULL, NULL, NULL, NULL, NULL, NULL,
              CASE WHEN ${visibleAccount(scope, 'a', p)} THEN left(n.body, 280) END, NULL
         FROM notes n JOIN accounts a ON a.id = n.account_id JOIN debtors d ON d.id = a.debtor_id
        WHERE n.author_id = ${agentId} AND n.created_at >= ${from} AND n.created_at < ${to}
       UNION ALL
       SELECT 'pause', l.started_at, l.ended_at, NULL, NULL, NULL, NULL, NULL, NULL,
              (extract(epoch FROM coalesce(l.ended_at, now()) - l.started_at))::int, NULL, NULL, NULL, l.pause_reason
         FROM agent_state_log l
        WHERE l.org_id = ${p.add(scope.orgId)} AND l.user_id = ${agentId} AND l.state = 'paused'
          AND l.started_at < ${to} AND coalesce(l.ended_at, now()) >= ${from}
     ) t ORDER BY at, kind`,
    p.values,
  );
  const items: TimelineItem[] = [];
  for (const r of rows) {
    const item: TimelineItem = { ...r, at: r.at.toISOString(), endedAt: r.endedAt?.toISOString() ?? null };
    // an attempt with an outcome also answers the "outcome" filter
    const matches = kinds.includes(item.kind) || (kinds.includes('outcome') && item.disposition !== null && item.kind !== 'promise');
    if (matches) items.push(item);
  }
  return { agent: { userId: agent.id, displayName: agent.displayName }, day: date, timeZone: tz, items };
}
