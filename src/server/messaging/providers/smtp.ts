import { createTransport } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import type { NodemailerError } from 'nodemailer';
import { DEFAULT_RETRY, type MessageProvider, type OutboundMessage, type RetryPolicy, type SendResult } from './types';

export interface SmtpConfig {
  /**
   * The relay: smtp://user:pass@host:587 (upgraded with STARTTLS when the relay offers it) or
   * smtps://user:pass@host:465 (TLS from the first byte). Either this or host/port.
   */
  url?: string;
  host?: string;
  port?: number;
  /** TLS from the first byte (port 465). */
  secure?: boolean;
  /** Refuse to send (credentials included) when the relay does not offer STARTTLS. */
  requireTLS?: boolean;
  user?: string;
  pass?: string;
  /** "Área de cartera <cobranza@acme.example>": the From header; its address is the envelope sender (bounces). */
  from: string;
  replyTo?: string;
  retry?: RetryPolicy;
}

/**
 * Failures where the relay never took the message: nothing reached it, or it answered with a
 * refusal. Only those are retried. A connection lost or timed out mid-session may have been lost
 * after the relay queued the message, so it is not retried (at most once, like the dispatcher).
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

interface Verdict {
  permanent: boolean;
  retry: boolean;
  status: number | null;
  code: string;
  message: string;
}

export function classifySmtpError(e: unknown): Verdict {
  const err = e as NodemailerError;
  const message = (err.response ?? err.message ?? String(e)).slice(0, 500);
  if (typeof err.responseCode === 'number') {
    // RFC 5321: 5yz is a permanent refusal (550 no such mailbox, 535 bad credentials, 554 content
    // rejected), 4yz a temporary one (450 mailbox busy, 451 local error, 421 going down); 503 is
    // a session out of step, which a fresh connection fixes.
    const rc = err.responseCode;
    const permanent = rc >= 500 && rc < 600 && rc !== 503;
    return { permanent, retry: !permanent, status: rc, code: `smtp.${rc}`, message };
  }
  const neverConnected =
    err.code === 'EDNS' ||
    NEVER_CONNECTED.has(err.originalCode ?? '') ||
    err.timeoutType === 'CONNECT_TIMEOUT' ||
    err.timeoutType === 'GREETING_TIMEOUT';
  if (neverConnected) return { permanent: false, retry: true, status: null, code: 'smtp.unreachable', message };
  if (err.code === 'ECONNECTION' || err.code === 'ESOCKET' || err.code === 'ETIMEDOUT') {
    return { permanent: false, retry: false, status: null, code: 'smtp.connection_lost', message };
  }
  // EAUTH without a reply (no credentials), ETLS (the TLS handshake failed), EENVELOPE
  // (an address the client itself refuses), ECONFIG: configuration or data, retrying cannot help
  return { permanent: true, retry: false, status: null, code: `smtp.${err.code ?? 'error'}`, message };
}

/** The relay's own id when its 250 reply names one (Postfix "queued as 4F2A1B", SES "Ok 0100…"). */
function relayQueueId(response: string | undefined): string | null {
  if (!response) return null;
  const m = /queued as ([\w.-]+)/i.exec(response) ?? /^250 (?:2\.0\.0 )?Ok ([\w.-]{12,})\s*$/i.exec(response);
  return m?.[1] ?? null;
}

function fromAddress(from: string): string {
  const [first] = addressparser(from, { flatten: true });
  const address = first?.address ?? '';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) throw new Error(`EMAIL_FROM "${from}" has no valid e-mail address`);
  return address;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * E-mail through the organisation's own SMTP relay (Postfix, Amazon SES SMTP, Microsoft 365 …),
 * one connection per message. The message is plain text (UTF-8), with a Message-ID made from
 * our message id (<id@sender-domain>), so a relay or mailbox that de-duplicates on Message-ID
 * drops a resend, and an X-Cobranza-Message-Id header to find it in the relay's logs.
 */
export function smtpEmail(cfg: SmtpConfig): MessageProvider {
  const senderDomain = fromAddress(cfg.from).split('@')[1]!;
  const policy = cfg.retry ?? DEFAULT_RETRY;
  const auth = cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined;
  const transport = createTransport({
    ...(cfg.url ? { url: cfg.url } : { host: cfg.host, port: cfg.port, secure: cfg.secure ?? false }),
    ...(auth ? { auth } : {}),
    requireTLS: cfg.requireTLS ?? false,
    connectionTimeout: policy.timeoutMs,
    greetingTimeout: policy.timeoutMs,
    socketTimeout: policy.timeoutMs,
    logger: false,
  });
  return {
    channel: 'email',
    name: 'smtp',
    async send(m: OutboundMessage): Promise<SendResult> {
      if (!m.subject?.trim()) {
        return { ok: false, permanent: true, status: null, code: 'smtp.no_subject', message: 'an e-mail needs a subject', attempts: 0 };
      }
      let attempt = 0;
      for (;;) {
        attempt++;
        try {
          const info = await transport.sendMail({
            from: cfg.from,
            ...(cfg.replyTo ? { replyTo: cfg.replyTo } : {}),
            to: m.to,
            subject: m.subject,
            text: m.body,
            messageId: `<${m.messageId}@${senderDomain}>`,
            headers: { 'X-Cobranza-Message-Id': m.messageId },
          });
          if (info.rejected.length) {
            // one recipient: a refusal is normally an error; this covers relays that answer 250 to DATA anyway
            return {
              ok: false,
              permanent: true,
              status: null,
              code: 'smtp.rejected',
              message: `recipient rejected: ${info.rejected.join(', ')}`,
              attempts: attempt,
            };
          }
          return { ok: true, providerMessageId: relayQueueId(info.response) ?? info.messageId, attempts: attempt };
        } catch (e) {
          const v = classifySmtpError(e);
          if (!v.retry || attempt >= policy.attempts) {
            return { ok: false, permanent: v.permanent, status: v.status, code: v.code, message: v.message, attempts: attempt };
          }
        }
        await sleep(policy.baseDelayMs * 2 ** (attempt - 1));
      }
    },
  };
}
