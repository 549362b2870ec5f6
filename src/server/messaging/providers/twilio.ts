import { postWithRetry, ProviderUnreachable } from './http';
import { DEFAULT_RETRY, type FetchLike, type MessageProvider, type OutboundMessage, type RetryPolicy, type SendResult } from './types';

export interface TwilioConfig {
  /** https://api.twilio.com in production; a local fake in tests. */
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** Sender: an E.164 number (From) or a Messaging Service SID (MG…). */
  from: string;
  fetch?: FetchLike;
  retry?: RetryPolicy;
}

/**
 * Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with a
 * form-encoded To, From (or MessagingServiceSid) and Body, HTTP basic auth AccountSid:AuthToken.
 * Success is 201 with the Message resource (sid "SM…"); errors carry {code, message, status}.
 */
export function twilioSms(cfg: TwilioConfig): MessageProvider {
  const url = `${cfg.baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  const fetchImpl = cfg.fetch ?? (fetch as unknown as FetchLike);
  return {
    channel: 'sms',
    name: 'twilio',
    async send(m: OutboundMessage): Promise<SendResult> {
      const form = new URLSearchParams({ To: m.to, Body: m.body });
      form.set(cfg.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', cfg.from);
      if (m.statusCallbackUrl) form.set('StatusCallback', m.statusCallbackUrl);
      try {
        const r = await postWithRetry(
          fetchImpl,
          url,
          {
            authorization: auth,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          form.toString(),
          cfg.retry ?? DEFAULT_RETRY,
        );
        const j = (r.json ?? {}) as { sid?: string; code?: number; message?: string };
        if (r.status >= 200 && r.status < 300 && typeof j.sid === 'string')
          return { ok: true, providerMessageId: j.sid, attempts: r.attempts };
        return {
          ok: false,
          permanent: r.status < 500 && r.status !== 429,
          status: r.status,
          attempts: r.attempts,
          code: `twilio.${j.code ?? r.status}`,
          message: j.message ?? `HTTP ${r.status}`,
        };
      } catch (e) {
        if (e instanceof ProviderUnreachable)
          return { ok: false, permanent: false, status: null, code: 'twilio.unreachable', message: e.message, attempts: e.attempts };
        throw e;
      }
    },
  };
}
