import type { MessageChannel } from '../../shared/domain/messaging';
import type { Db } from '../db';
import type { WhatsAppTemplateMessage } from '../../shared/domain/whatsapp-template';
import type { MessageProvider } from './providers/types';
import { recordSendOutcome } from './delivery';

export interface Dispatcher {
  /** Sends every queued message once; resolves when the queue is empty. Safe to call concurrently. */
  runOnce(): Promise<{ sent: number; failed: number }>;
  /** Asks for a run soon (after a push). */
  kick(): void;
  close(): Promise<void>;
}

interface QueuedRow {
  id: string;
  orgId: string;
  orgCode: string;
  channel: MessageChannel;
  address: string;
  subject: string | null;
  body: string;
  waTemplate: WhatsAppTemplateMessage | null;
  templateId: string | null;
}

/**
 * Sends messages the push accepted, after their transaction committed. A message is claimed by
 * moving it out of 'queued' in its own transaction (SKIP LOCKED), so two servers never send the
 * same message id. A server that dies mid-send leaves it 'sending': never sent again (at most once
 * — a duplicate collection message is worse than a missing one). A provider failure after all
 * retries marks it failed; its activity keeps counting as an attempt (it may have been delivered).
 */
export function createDispatcher(
  db: Db,
  providers: Partial<Record<MessageChannel, MessageProvider>>,
  opts: {
    pollMs?: number;
    /**
     * The server's public address (PUBLIC_BASE_URL): messages ask the provider to call back there
     * with their delivery status (/api/v1/webhooks/:org/twilio/status). Without it no callback is asked for.
     */
    publicBaseUrl?: string;
  } = {},
): Dispatcher {
  let running: Promise<{ sent: number; failed: number }> | null = null;
  let again = false;
  let closed = false;
  const timer = opts.pollMs ? setInterval(() => dispatcher.kick(), opts.pollMs) : null;
  timer?.unref?.();

  async function claim(): Promise<QueuedRow | null> {
    return db.transaction(async (tx) => {
      const [row] = await tx.query<QueuedRow>(
        `SELECT m.id, m.org_id AS "orgId", o.code AS "orgCode", m.channel, m.address, m.subject, m.body, m.wa_template AS "waTemplate",
           m.template_id AS "templateId"
         FROM outbound_messages m JOIN organizations o ON o.id = m.org_id WHERE m.status = 'queued' AND m.strategy_run_id IS NULL
         ORDER BY m.created_at LIMIT 1 FOR UPDATE OF m SKIP LOCKED`,
      );
      if (!row) return null;
      await tx.query(`UPDATE outbound_messages SET attempts = attempts + 1, status = 'sending', updated_at = now() WHERE id = $1`, [
        row.id,
      ]);
      return row;
    });
  }

  async function drain() {
    let sent = 0;
    let failed = 0;
    for (;;) {
      const row = await claim();
      if (!row) break;
      const provider = providers[row.channel];
      const result = provider
        ? await provider.send({
            messageId: row.id,
            to: row.address,
            ...(row.subject === null ? {} : { subject: row.subject }),
            body: row.body,
            whatsappTemplate: row.waTemplate,
            // no template: the agent's free text, accepted inside WhatsApp's 24-hour window
            ...(row.channel === 'whatsapp' && !row.templateId ? { freeText: true } : {}),
            ...(opts.publicBaseUrl ? { statusCallbackUrl: statusCallbackUrl(opts.publicBaseUrl, row.orgCode, row.channel) } : {}),
          })
        : {
            ok: false as const,
            permanent: true,
            status: null,
            code: 'no_provider',
            message: `no provider configured for ${row.channel}`,
            attempts: 0,
          };
      if (result.ok) {
        sent++;
        await recordSendOutcome(db, row, { ok: true, providerMessageId: result.providerMessageId });
      } else {
        failed++;
        await recordSendOutcome(db, row, { ok: false, error: `${result.code}: ${result.message}` });
      }
    }
    return { sent, failed };
  }

  const dispatcher: Dispatcher = {
    async runOnce() {
      while (running) await running.catch(() => undefined);
      running = (async () => {
        const total = { sent: 0, failed: 0 };
        do {
          again = false;
          const r = await drain();
          total.sent += r.sent;
          total.failed += r.failed;
        } while (again && !closed);
        return total;
      })();
      try {
        return await running;
      } finally {
        running = null;
      }
    },
    kick() {
      if (closed) return;
      if (running) {
        again = true;
        return;
      }
      dispatcher.runOnce().catch(() => {
        /* retried on the next kick or poll */
      });
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
  return dispatcher;
}

/** Where a provider reports a message's status; only Twilio takes it per message (Meta's is the app's webhook). */
export function statusCallbackUrl(base: string, orgCode: string, channel: MessageChannel): string | undefined {
  if (channel !== 'sms') return undefined;
  return `${base.replace(/\/$/, '')}/api/v1/webhooks/${encodeURIComponent(orgCode)}/twilio/status`;
}
