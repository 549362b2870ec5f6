import type { MessageChannel } from '../../shared/domain/messaging';
import type { MessageProvider } from './providers/types';
import { smtpEmail } from './providers/smtp';
import { twilioSms } from './providers/twilio';
import { whatsappCloud } from './providers/whatsapp';

/**
 * Providers from the environment; a channel whose variables are missing has no provider and its
 * messages fail with `no_provider` (they are never silently dropped). A variable that is set but
 * wrong or half of a setup (an EMAIL_FROM without an address or missing beside SMTP_URL, a port
 * that is not a number) stops the server at start.
 */
export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<MessageChannel, MessageProvider>> {
  const out: Partial<Record<MessageChannel, MessageProvider>> = {};
  if (env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM) {
    out.sms = twilioSms({
      baseUrl: env.TWILIO_BASE_URL ?? 'https://api.twilio.com',
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      from: env.TWILIO_FROM,
    });
  }
  if (env.WHATSAPP_TOKEN && env.WHATSAPP_PHONE_NUMBER_ID) {
    out.whatsapp = whatsappCloud({
      baseUrl: env.WHATSAPP_BASE_URL ?? 'https://graph.facebook.com',
      version: env.WHATSAPP_API_VERSION ?? 'v21.0',
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID,
      accessToken: env.WHATSAPP_TOKEN,
    });
  }
  if (env.SMTP_URL || env.SMTP_HOST) {
    // a relay without a sender is a half-done setup, not "e-mail off": say so at start
    if (!env.EMAIL_FROM) throw new Error('EMAIL_FROM is required when SMTP_URL or SMTP_HOST is set');
    out.email = smtpEmail({
      ...(env.SMTP_URL
        ? { url: env.SMTP_URL }
        : {
            host: env.SMTP_HOST,
            port: env.SMTP_PORT ? portOf(env.SMTP_PORT) : undefined,
            secure: flag(env.SMTP_SECURE, 'SMTP_SECURE'),
          }),
      user: env.SMTP_USER || undefined,
      pass: env.SMTP_PASS || undefined,
      requireTLS: flag(env.SMTP_REQUIRE_TLS, 'SMTP_REQUIRE_TLS'),
      from: env.EMAIL_FROM,
      replyTo: env.EMAIL_REPLY_TO || undefined,
    });
  }
  return out;
}

/**
 * The reply mailbox read over IMAP (IMAP_HOST, IMAP_PORT default 993 with IMAP_SECURE=true or 143,
 * IMAP_USER, IMAP_PASS, IMAP_MAILBOX default INBOX) and the organisation it belongs to (IMAP_ORG, its
 * code). Null when IMAP_HOST is unset; a half setup stops the server at start.
 */
export function mailboxFromEnv(env: NodeJS.ProcessEnv = process.env) {
  if (!env.IMAP_HOST) return null;
  if (!env.IMAP_USER || !env.IMAP_PASS || !env.IMAP_ORG)
    throw new Error('IMAP_USER, IMAP_PASS and IMAP_ORG are required when IMAP_HOST is set');
  const secure = flag(env.IMAP_SECURE, 'IMAP_SECURE');
  return {
    host: env.IMAP_HOST,
    port: env.IMAP_PORT ? portOf(env.IMAP_PORT, 'IMAP_PORT') : secure ? 993 : 143,
    secure,
    user: env.IMAP_USER,
    pass: env.IMAP_PASS,
    mailbox: env.IMAP_MAILBOX || 'INBOX',
    orgCode: env.IMAP_ORG,
  };
}

function portOf(v: string, name = 'SMTP_PORT'): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} "${v}" is not a port number`);
  return n;
}

function flag(v: string | undefined, name: string): boolean {
  if (v === undefined || v === '') return false;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new Error(`${name} "${v}" must be true or false`);
}
