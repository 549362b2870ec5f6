import type { Db } from '../db';
import type { AuthUser } from '../auth/sessions';
import { HttpError } from '../http/errors';
import { liveChannel } from './hub';
import type { BoardAgent } from '../../shared/live/presence';
import type { z } from 'zod';
import type { PresenceReport } from '../../shared/live/presence';

type Report = z.output<typeof PresenceReport>;

/** The columns of one board row, as the snapshot and the notification both carry it. */
export const BOARD_ROW = `
  u.id AS "userId", u.username, u.display_name AS "displayName", t.name AS "teamName",
  CASE WHEN p.user_id IS NULL OR p.signed_out THEN 'offline' ELSE p.state END AS state,
  CASE WHEN p.signed_out THEN NULL ELSE p.pause_reason END AS "pauseReason",
  CASE WHEN p.state = 'on_call' AND NOT p.signed_out THEN json_build_object(
    'accountId', p.call_account_id, 'accountRef', a.external_ref, 'debtorName', d.name,
    'phase', p.call_phase, 'startedAt', to_char(p.call_started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
  END AS call,
  p.state_since AS "stateSince", p.last_heartbeat_at AS "lastHeartbeatAt"`;
export const BOARD_FROM = `
  users u
  LEFT JOIN teams t ON t.id = u.team_id
  LEFT JOIN agent_presence p ON p.org_id = u.org_id AND p.user_id = u.id
  LEFT JOIN accounts a ON a.id = p.call_account_id
  LEFT JOIN debtors d ON d.id = a.debtor_id`;

export interface RawBoardRow extends Omit<BoardAgent, 'stateSince' | 'lastHeartbeatAt'> {
  stateSince: Date | null;
  lastHeartbeatAt: Date | null;
}
export const toBoardAgent = (r: RawBoardRow): BoardAgent => ({
  ...r,
  stateSince: r.stateSince?.toISOString() ?? null,
  lastHeartbeatAt: r.lastHeartbeatAt?.toISOString() ?? null,
});

/**
 * A heartbeat or a change of state from the agent's own workstation. The row is replaced; a
 * change of state (or of pause reason, or of the call's account) closes the open entry of the
 * agent's state log and opens the next one — the timeline's pauses and calls. Every report
 * NOTIFYs the organisation's channel in the same transaction, so a lead's stream on any server
 * process hears it at commit. The call's account must be one the agent may work on (visible now
 * or ever assigned, as for facts recorded offline); another one is refused, naming the field.
 */
export async function recordPresence(db: Db, user: AuthUser, r: Report, sentAt: number): Promise<BoardAgent> {
  const accountId = r.call?.accountId ?? null;
  return db.transaction(async (tx) => {
    if (accountId !== null) {
      const ok = await tx.query(
        `SELECT 1 FROM accounts a WHERE a.id = $1 AND a.org_id = $2
           AND (a.assigned_agent_id = $3 OR EXISTS (SELECT 1 FROM assignment_log l WHERE l.account_id = a.id AND l.to_agent_id = $3))`,
        [accountId, user.orgId, user.id],
      );
      if (ok.length === 0) throw new HttpError(404, 'not_found', 'no such account among yours', 'call.accountId');
    }
    const state = r.signedOut ? 'available' : r.state;
    const [before] = await tx.query<{ state: string; reason: string | null; account: string | null; signedOut: boolean }>(
      `SELECT state, pause_reason AS reason, call_account_id AS account, signed_out AS "signedOut"
         FROM agent_presence WHERE org_id = $1 AND user_id = $2 FOR UPDATE`,
      [user.orgId, user.id],
    );
    const logState = r.signedOut ? 'offline' : state;
    const changed =
      !before ||
      (before.signedOut ? 'offline' : before.state) !== logState ||
      before.reason !== (r.signedOut ? null : r.pauseReason) ||
      before.account !== accountId;
    await tx.query(
      `INSERT INTO agent_presence (org_id, user_id, state, pause_reason, call_account_id, call_phase, call_started_at,
                                   state_since, last_heartbeat_at, signed_out)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now(), $8)
       ON CONFLICT (org_id, user_id) DO UPDATE SET
         state = EXCLUDED.state, pause_reason = EXCLUDED.pause_reason, call_account_id = EXCLUDED.call_account_id,
         call_phase = EXCLUDED.call_phase, call_started_at = EXCLUDED.call_started_at,
         state_since = CASE WHEN $9 THEN now() ELSE agent_presence.state_since END,
         last_heartbeat_at = now(), signed_out = EXCLUDED.signed_out`,
      [
        user.orgId,
        user.id,
        state,
        r.signedOut ? null : r.pauseReason,
        r.signedOut ? null : accountId,
        r.signedOut ? null : (r.call?.phase ?? null),
        r.signedOut ? null : (r.call?.startedAt ?? null),
        r.signedOut,
        changed,
      ],
    );
    if (changed) {
      await tx.query(`UPDATE agent_state_log SET ended_at = now() WHERE org_id = $1 AND user_id = $2 AND ended_at IS NULL`, [
        user.orgId,
        user.id,
      ]);
      await tx.query(
        `INSERT INTO agent_state_log (org_id, user_id, state, pause_reason, account_id, started_at) VALUES ($1, $2, $3, $4, $5, now())`,
        [user.orgId, user.id, logState, r.signedOut ? null : r.pauseReason, r.signedOut ? null : accountId],
      );
    }
    const [row] = await tx.query<RawBoardRow>(`SELECT ${BOARD_ROW} FROM ${BOARD_FROM} WHERE u.org_id = $1 AND u.id = $2`, [
      user.orgId,
      user.id,
    ]);
    const agent = toBoardAgent(row!);
    // the payload carries the row itself (a few hundred bytes, under NOTIFY's 8,000): each stream
    // filters it by its lead's scope without a query per lead
    await tx.query('SELECT pg_notify($1, $2)', [liveChannel(user.orgId), JSON.stringify({ agent, sentAt })]);
    return agent;
  });
}
