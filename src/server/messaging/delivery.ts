import type { MessageChannel } from '../../shared/domain/messaging';
import { nextMessageStatus, type MessageStatus, type ReportedStatus } from '../../shared/domain/message-status';
import type { Db } from '../db';
import { syncedWrite } from './synced-write';

export interface StatusReport {
  orgId: string;
  channel: MessageChannel;
  providerMessageId: string;
  status: ReportedStatus;
  /** The provider's reason, for failed: "twilio.30003: Unreachable destination handset". */
  error: string | null;
  occurredAt: Date;
}

/**
 * Records a provider's status callback and applies it to its message (and the message's activity,
 * which carries it to the workstation). Out-of-order reports keep the furthest status
 * (nextMessageStatus). A report for an id not stored yet waits in message_status_events and is
 * applied by applyPendingStatus once the dispatcher stores the id.
 */
export async function recordStatus(db: Db, r: StatusReport): Promise<{ applied: boolean }> {
  return syncedWrite(db, r.orgId, async (tx) => {
    await tx.query(
      `INSERT INTO message_status_events (org_id, channel, provider_message_id, status, error, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [r.orgId, r.channel, r.providerMessageId, r.status, r.error, r.occurredAt.toISOString()],
    );
    const [m] = await tx.query<{ id: string }>(
      `SELECT id FROM outbound_messages WHERE org_id = $1 AND provider_message_id = $2 FOR UPDATE`,
      [r.orgId, r.providerMessageId],
    );
    if (!m) return { applied: false };
    return { applied: await applyTo(tx, m.id, r.status, r.error, r.occurredAt) };
  });
}

async function applyTo(tx: Db, messageId: string, status: ReportedStatus, error: string | null, at: Date): Promise<boolean> {
  const [cur] = await tx.query<{ status: MessageStatus }>('SELECT status FROM outbound_messages WHERE id = $1', [messageId]);
  if (!cur) return false;
  const next = nextMessageStatus(cur.status, status);
  if (!next) return false;
  const err = next === 'failed' ? error : null;
  await tx.query(
    `UPDATE outbound_messages SET status = $2, status_at = $3, error = COALESCE($4, error), updated_at = now() WHERE id = $1`,
    [messageId, next, at.toISOString(), err],
  );
  await tx.query(`UPDATE activities SET message_status = $2, message_error = $3 WHERE id = $1`, [messageId, next, err]);
  return true;
}

/**
 * After the dispatcher stored the provider's id: callbacks that came first (Twilio's "sent" can
 * beat the API's answer) are applied now, in the order they happened.
 */
export async function applyPendingStatus(tx: Db, orgId: string, messageId: string, providerMessageId: string): Promise<void> {
  const events = await tx.query<{ status: ReportedStatus; error: string | null; occurredAt: Date }>(
    `SELECT status, error, occurred_at AS "occurredAt" FROM message_status_events
     WHERE org_id = $1 AND provider_message_id = $2 ORDER BY occurred_at, seq`,
    [orgId, providerMessageId],
  );
  for (const e of events) await applyTo(tx, messageId, e.status, e.error, e.occurredAt);
}

/** The dispatcher's own outcome, mirrored on the activity so the agent sees sent or failed. */
export async function recordSendOutcome(
  db: Db,
  m: { id: string; orgId: string },
  outcome: { ok: true; providerMessageId: string } | { ok: false; error: string },
): Promise<void> {
  await syncedWrite(db, m.orgId, async (tx) => {
    if (outcome.ok) {
      await tx.query(
        `UPDATE outbound_messages SET status = 'sent', provider_message_id = $2, error = NULL, status_at = now(), updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'sending')`,
        [m.id, outcome.providerMessageId],
      );
      await tx.query(`UPDATE activities SET message_status = 'sent', message_error = NULL WHERE id = $1`, [m.id]);
      await applyPendingStatus(tx, m.orgId, m.id, outcome.providerMessageId);
    } else {
      await tx.query(`UPDATE outbound_messages SET status = 'failed', error = $2, status_at = now(), updated_at = now() WHERE id = $1`, [
        m.id,
        outcome.error,
      ]);
      await tx.query(`UPDATE activities SET message_status = 'failed', message_error = $2 WHERE id = $1`, [m.id, outcome.error]);
    }
  });
}
