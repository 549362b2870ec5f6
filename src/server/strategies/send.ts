import { recordSendOutcome } from '../messaging/delivery';
import { statusCallbackUrl } from '../messaging/dispatcher';
import type { MessageChannel } from '../../shared/domain/channels';
import type { WhatsAppTemplateMessage } from '../../shared/domain/whatsapp-template';
import type { Db } from '../db';
import type { MessageProvider } from '../messaging/providers/types';

/** Messages per second per channel when the environment says nothing (providers' documented defaults are of this order). */
export const DEFAULT_RATE: Record<MessageChannel, number> = { sms: 10, whatsapp: 20, email: 10 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Takes one send slot of the channel's per-second budget, shared by every server on the database
 * (a counter row per channel and second). Waits for the next second when this one is spent.
 * Real time on purpose: a provider's rate limit is counted on its clock, not on a test's.
 */
export async function takeSendSlot(db: Db, channel: MessageChannel, perSecond: number): Promise<void> {
  for (;;) {
    const second = Math.floor(Date.now() / 1000);
    const got = await db.query(
      `INSERT INTO channel_send_slots (channel, second, sent) VALUES ($1, $2, 1)
       ON CONFLICT (channel, second) DO UPDATE SET sent = channel_send_slots.sent + 1 WHERE channel_send_slots.sent < $3
       RETURNING sent`,
      [channel, second, perSecond],
    );
    if (got.length) {
      if (second % 60 === 0) await db.query('DELETE FROM channel_send_slots WHERE second < $1', [second - 60]);
      return;
    }
    await sleep(1000 - (Date.now() % 1000) + 5);
  }
}

/** The provider said it did not take the message, or could not be reached at all: a retry cannot duplicate it. */
export class RetryLater extends Error {}

export type SendOutcome = 'sent' | 'failed' | 'not_queued';

/**
 * Sends one strategy message. The claim moves it from 'queued' to 'sending' in one statement, so
 * two workers (two servers, or a job delivered twice) never both send it. On a failure the
 * provider reports as temporary (HTTP 5xx or 429: it did not accept the message; or no
 * connection) it goes back to 'queued' and RetryLater is thrown: the job queue retries with
 * back-off. A timeout is ambiguous (the provider may have taken it): marked failed, never re-sent.
 */
export async function sendStrategyMessage(
  db: Db,
  providers: Partial<Record<MessageChannel, MessageProvider>>,
  messageId: string,
  rate: Partial<Record<MessageChannel, number>> = {},
  publicBaseUrl?: string,
): Promise<SendOutcome> {
  const [peek] = await db.query<{ channel: MessageChannel }>(
    `SELECT channel FROM outbound_messages WHERE id = $1 AND status = 'queued' AND strategy_run_id IS NOT NULL`,
    [messageId],
  );
  if (!peek) return 'not_queued';
  await takeSendSlot(db, peek.channel, rate[peek.channel] ?? DEFAULT_RATE[peek.channel]);
  const [row] = await db.query<{
    id: string;
    channel: MessageChannel;
    address: string;
    subject: string | null;
    body: string;
    waTemplate: WhatsAppTemplateMessage | null;
    orgId: string;
    orgCode: string;
  }>(
    `UPDATE outbound_messages m SET status = 'sending', attempts = attempts + 1, updated_at = now()
     FROM organizations o WHERE m.id = $1 AND m.status = 'queued' AND o.id = m.org_id
     RETURNING m.id, m.channel, m.address, m.subject, m.body, m.wa_template AS "waTemplate", m.org_id AS "orgId", o.code AS "orgCode"`,
    [messageId],
  );
  if (!row) return 'not_queued';
  const provider = providers[row.channel];
  if (!provider) {
    await db.query(`UPDATE outbound_messages SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [
      row.id,
      `no_provider: no provider configured for ${row.channel}`,
    ]);
    return 'failed';
  }
  const result = await provider.send({
    messageId: row.id,
    to: row.address,
    ...(row.subject === null ? {} : { subject: row.subject }),
    body: row.body,
    whatsappTemplate: row.waTemplate,
    // the provider reports delivery to the same signed webhook as an agent's message (docs/messaging.md)
    ...(publicBaseUrl ? { statusCallbackUrl: statusCallbackUrl(publicBaseUrl, row.orgCode, row.channel) } : {}),
  });
  if (result.ok) {
    // the same path as an agent's message: the activity carries 'sent' to the workstation, and a
    // delivery report that arrived before the provider's id was stored is applied now
    await recordSendOutcome(db, row, { ok: true, providerMessageId: result.providerMessageId });
    return 'sent';
  }
  const ambiguous = result.status === null && /timed out|abort/i.test(result.message);
  if (!result.permanent && !ambiguous) {
    await db.query(`UPDATE outbound_messages SET status = 'queued', error = $2, updated_at = now() WHERE id = $1`, [
      row.id,
      `${result.code}: ${result.message}`,
    ]);
    throw new RetryLater(`${result.code}: ${result.message}`);
  }
  await recordSendOutcome(db, row, { ok: false, error: `${result.code}: ${result.message}` });
  return 'failed';
}
