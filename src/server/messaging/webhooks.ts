import type { FastifyRequest } from 'fastify';
import type { ReportedStatus } from '../../shared/domain/message-status';
import { ROUTES } from '../../shared/api/routes';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { isTransientGraphError } from './providers/whatsapp';
import { recordStatus } from './delivery';
import { recordInbound } from './inbound';
import { configForOrgCode, type OrgMessagingConfig } from './org-config';
import { verifyMeta, verifyTwilio } from './webhook-signatures';
import { complianceNow } from '../compliance/clock';
import type { Db } from '../db';

/**
 * Provider webhooks. No session: each is authenticated by the provider's signature, computed with
 * the secret of the organisation the URL names (org_messaging_config), and the payload's own
 * account (Twilio AccountSid, WhatsApp phone_number_id) must be that organisation's. A bad or
 * missing signature is 403 and nothing is recorded; an organisation without that provider set up
 * is 404 (the URL tells nothing about which organisations exist with it).
 */

const refused = () => new HttpError(403, 'webhook_signature_invalid', 'signature does not match');
const notConfigured = () => new HttpError(404, 'webhook_not_configured', 'no such webhook');

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/**
 * The URL Twilio called, which is what it signed. Behind a TLS-terminating proxy the server sees
 * http://internal-host; PUBLIC_BASE_URL (https://cobranza.example.com) is the address Twilio was
 * given. Without it, the scheme and host the request says it came to (X-Forwarded-* under TRUST_PROXY).
 */
export function publicUrl(request: FastifyRequest, base = process.env.PUBLIC_BASE_URL): string {
  const origin = base ? base.replace(/\/$/, '') : `${request.protocol}://${request.host}`;
  return origin + request.url;
}

async function twilioConfig(db: Db, org: string): Promise<OrgMessagingConfig & { twilioAuthToken: string; twilioAccountSid: string }> {
  const c = await configForOrgCode(db, org);
  if (!c?.twilioAuthToken || !c.twilioAccountSid) throw notConfigured();
  return c as OrgMessagingConfig & { twilioAuthToken: string; twilioAccountSid: string };
}

/** Checks the signature before reading anything else of the body. */
function verifiedForm(request: FastifyRequest, raw: Buffer, c: { twilioAuthToken: string; twilioAccountSid: string }): URLSearchParams {
  if (!/^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) throw refused();
  const form = new URLSearchParams(raw.toString('utf8'));
  const sig = request.headers['x-twilio-signature'];
  if (!verifyTwilio(publicUrl(request), [...form.entries()], c.twilioAuthToken, typeof sig === 'string' ? sig : undefined)) throw refused();
  // signed with this organisation's token, yet about another Twilio account: not ours to record
  if (form.get('AccountSid') !== c.twilioAccountSid) throw refused();
  return form;
}

/** Twilio's MessageStatus in our words: undelivered and canceled are failures with Twilio's ErrorCode. */
function twilioStatus(s: string | null): ReportedStatus | null {
  switch (s) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/** Twilio error codes worth a word to the agent; others keep Twilio's number (docs/messaging.md). */
const TWILIO_ERRORS: Record<string, string> = {
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'carrier filtered the message',
  '30008': 'unknown error',
  '21610': 'the recipient replied STOP to this sender',
};

const e164 = (s: string) => (s.startsWith('+') ? s : `+${s.replace(/\D/g, '')}`);

interface WaStatus {
  id?: string;
  status?: string;
  timestamp?: string;
  errors?: Array<{ code?: number; title?: string; message?: string; error_data?: { details?: string } }>;
}
interface WaMessage {
  id?: string;
  from?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  button?: { text?: string };
  interactive?: { button_reply?: { title?: string }; list_reply?: { title?: string } };
  context?: { id?: string };
}
interface WaPayload {
  object?: string;
  entry?: Array<{
    changes?: Array<{
      field?: string;
      value?: { metadata?: { phone_number_id?: string; display_phone_number?: string }; statuses?: WaStatus[]; messages?: WaMessage[] };
    }>;
  }>;
}

const waTime = (ts: string | undefined) => (ts && /^\d+$/.test(ts) ? new Date(Number(ts) * 1000) : complianceNow());

function waText(m: WaMessage): string {
  return (
    m.text?.body ?? m.button?.text ?? m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? `[${m.type ?? 'mensaje'}]`
  );
}

function waStatus(s: string | undefined): ReportedStatus | null {
  return s === 'sent' || s === 'delivered' || s === 'read' || s === 'failed' ? s : null;
}

export const webhookRoutes = [
  defineRoute({
    ...ROUTES.twilioStatusWebhook,
    summary: "Twilio's delivery status of an SMS (StatusCallback), signed with X-Twilio-Signature",
    tags: ['webhooks'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [403, 404],
    async handler({ db, params, request, reply, body }) {
      const c = await twilioConfig(db, params.org);
      const form = verifiedForm(request, body as unknown as Buffer, c);
      const sid = form.get('MessageSid') ?? form.get('SmsSid');
      const status = twilioStatus(form.get('MessageStatus') ?? form.get('SmsStatus'));
      if (sid && status) {
        const code = form.get('ErrorCode');
        await recordStatus(db, {
          orgId: c.orgId,
          channel: 'sms',
          providerMessageId: sid,
          status,
          error:
            status === 'failed'
              ? `twilio.${code ?? form.get('MessageStatus')}: ${(code && TWILIO_ERRORS[code]) ?? form.get('ErrorMessage') ?? form.get('MessageStatus')}`
              : null,
          occurredAt: complianceNow(),
        });
      }
      reply.header('content-type', 'text/xml; charset=utf-8');
      return EMPTY_TWIML;
    },
  }),
  defineRoute({
    ...ROUTES.twilioInboundWebhook,
    summary: "A debtor's SMS to the organisation's Twilio number, signed with X-Twilio-Signature",
    tags: ['webhooks'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [403, 404],
    async handler({ db, params, request, reply, body }) {
      const c = await twilioConfig(db, params.org);
      const form = verifiedForm(request, body as unknown as Buffer, c);
      const sid = form.get('MessageSid') ?? form.get('SmsSid');
      const from = form.get('From');
      if (!sid || !from) throw new HttpError(400, 'invalid_request', 'MessageSid and From are required', 'From');
      await recordInbound(db, {
        orgId: c.orgId,
        channel: 'sms',
        providerMessageId: sid,
        from: e164(from),
        to: form.get('To'),
        subject: null,
        body: form.get('Body') ?? '',
        references: [],
        receivedAt: complianceNow(),
      });
      reply.header('content-type', 'text/xml; charset=utf-8');
      return EMPTY_TWIML;
    },
  }),
  defineRoute({
    ...ROUTES.whatsappVerifyWebhook,
    summary: "Meta's webhook verification: answers hub.challenge when hub.verify_token is the organisation's",
    tags: ['webhooks'],
    access: 'public',
    responseContentType: 'text/html',
    errors: [403, 404],
    async handler({ db, params, query, reply }) {
      const c = await configForOrgCode(db, params.org);
      if (!c?.whatsappVerifyToken) throw notConfigured();
      if (!safeStringEqual(query['hub.verify_token'], c.whatsappVerifyToken)) throw refused();
      reply.header('content-type', 'text/plain; charset=utf-8');
      return query['hub.challenge'];
    },
  }),
  defineRoute({
    ...ROUTES.whatsappWebhook,
    summary: 'WhatsApp Cloud API webhook (statuses and messages), signed with X-Hub-Signature-256',
    tags: ['webhooks'],
    access: 'public',
    bodyRaw: true,
    responseContentType: 'text/html',
    errors: [400, 403, 404],
    async handler({ db, params, request, reply, body }) {
      const c = await configForOrgCode(db, params.org);
      if (!c?.whatsappAppSecret || !c.whatsappPhoneNumberId) throw notConfigured();
      const raw = body as unknown as Buffer;
      const sig = request.headers['x-hub-signature-256'];
      if (!verifyMeta(raw, c.whatsappAppSecret, typeof sig === 'string' ? sig : undefined)) throw refused();
      let payload: WaPayload;
      try {
        payload = JSON.parse(raw.toString('utf8')) as WaPayload;
      } catch {
        throw new HttpError(400, 'invalid_request', 'body is not JSON', 'body');
      }
      for (const entry of payload.entry ?? []) {
        for (const change of entry.changes ?? []) {
          const v = change.value;
          if (change.field !== 'messages' || !v) continue;
          // one app may serve several numbers: only this organisation's number is recorded here
          if (v.metadata?.phone_number_id !== c.whatsappPhoneNumberId) continue;
          for (const s of v.statuses ?? []) {
            const status = waStatus(s.status);
            if (!s.id || !status) continue;
            const e = s.errors?.[0];
            const error =
              status === 'failed'
                ? `whatsapp.${e?.code ?? 'failed'}: ${[e?.title ?? e?.message, e?.error_data?.details].filter(Boolean).join(' — ')}${
                    e?.code !== undefined && isTransientGraphError(400, e.code) ? ' (temporary)' : ''
                  }`
                : null;
            await recordStatus(db, {
              orgId: c.orgId,
              channel: 'whatsapp',
              providerMessageId: s.id,
              status,
              error,
              occurredAt: waTime(s.timestamp),
            });
          }
          for (const m of v.messages ?? []) {
            if (!m.id || !m.from) continue;
            await recordInbound(db, {
              orgId: c.orgId,
              channel: 'whatsapp',
              providerMessageId: m.id,
              from: e164(m.from),
              to: v.metadata.display_phone_number ?? null,
              subject: null,
              body: waText(m),
              references: [],
              receivedAt: waTime(m.timestamp),
            });
          }
        }
      }
      reply.header('content-type', 'text/plain; charset=utf-8');
      return 'ok';
    },
  }),
];

function safeStringEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
