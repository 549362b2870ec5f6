import { judgeAttempt, refusalMessage, refusedWhenForbidden } from '../../compliance/verdict';
import { STATUS_FROM_DISPOSITION } from '../../../shared/domain/enums';
import { accountForFacts, accountNotFound, MutationRejected, type Applier } from './types';

export const activityLog: Applier<'activity.log'> = async (ctx, a) => {
  const { tx, user } = ctx;
  const account = await accountForFacts(ctx, a.accountId);
  if (!account) throw accountNotFound();
  if (a.contactPointId) {
    const cp = await tx.query('SELECT 1 FROM contact_points WHERE id = $1 AND debtor_id = $2', [a.contactPointId, account.debtorId]);
    if (cp.length === 0) throw new MutationRejected('invalid_args', "contact point is not one of this debtor's", 'contactPointId');
  }
  const judged = await judgeAttempt(tx, account.orgId, a);
  // an outcome logged online that the rules forbid is refused while the agent can still act on
  // it — unless this very activity is already stored (a replay from another client changes nothing)
  if (judged && refusedWhenForbidden(a) && (await tx.query('SELECT 1 FROM activities WHERE id = $1', [a.id])).length === 0) {
    throw new MutationRejected('compliance_blocked', refusalMessage(judged.reasons, judged.nextAllowedAt), 'direction');
  }
  const violation = judged ? judged.reasons.map((r) => r.ruleId) : null;
  // The agent is the one pushing, never what the client claims. ON CONFLICT is a second guard
  // behind the client's mutation counter: an activity id is stored once, whatever happens.
  // One statement: the insert, then — only if it inserted — the account's last contact (an old
  // offline attempt synced late must not move it backwards) and the status the outcome implies.
  const status = a.disposition ? (STATUS_FROM_DISPOSITION[a.disposition] ?? null) : null;
  await tx.query(
    `WITH ins AS (
       INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note,
         started_at, answered_at, ended_at, duration_sec, sip_status, hangup_by, promise_id, compliance_violation, manual_dial)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $19)
       ON CONFLICT (id) DO NOTHING RETURNING account_id)
     UPDATE accounts a SET last_contact_at = GREATEST(coalesce(a.last_contact_at, $10::timestamptz), $10::timestamptz),
       status = coalesce($18::text, a.status)
     FROM ins WHERE a.id = ins.account_id`,
    [
      a.id,
      a.accountId,
      user.id,
      a.channel,
      a.direction,
      a.contactPointId,
      a.address,
      a.disposition,
      a.note,
      a.startedAt,
      a.answeredAt,
      a.endedAt,
      a.durationSec,
      a.sipStatus,
      a.hangupBy,
      a.promiseId,
      violation,
      status,
      a.manualDial,
    ],
  );
};
