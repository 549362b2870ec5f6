import { postWithRetry, ProviderUnreachable } from './http';
import { DEFAULT_RETRY, type FetchLike, type MessageProvider, type OutboundMessage, type RetryPolicy, type SendResult } from './types';

export interface WhatsAppConfig {
  /** https://graph.facebook.com in production; a local fake in tests. */
  baseUrl: string;
  /** Graph API version, e.g. v21.0 */
  version: string;
  phoneNumberId: string;
  accessToken: string;
  fetch?: FetchLike;
  retry?: RetryPolicy;
}

interface GraphError {
  code?: number;
  message?: string;
  error_data?: { details?: string };
}

/**
 * Graph API error codes that go away by waiting: throughput and pair rate limits (often answered
 * as HTTP 400, not 429) and Meta-side outages. Every other code is the request's fault.
 */
const TRANSIENT_CODES = new Set([
  1,
  2,
  4,
  80007, // API unknown / service down / app and WABA rate limits
  130429, // Cloud API throughput reached
  131000,
  131016,
  133004, // something went wrong / service unavailable / server temporarily unavailable
  131056, // too many messages to the same number in a short time
]);

/** Why a send failed, in our words; Meta's own message and details follow it. */
const EXPLAINED: Record<number, string> = {
  131047: 'more than 24 hours since the debtor last wrote: only an approved template can reach them',
  132000: "the number of parameters does not match the approved template's variables",
  132001: 'the template does not exist at Meta in this language (not approved yet, or wrong name or language)',
  131026: 'undeliverable: the number is not on WhatsApp, or its owner has not accepted the terms or blocked the business',
  130429: 'Meta throughput limit reached: try again later',
};

/**
 * Permanent or temporary, from the Graph error's code (what Meta tells integrators to branch on)
 * or, without one, from the HTTP status. Also for the codes Meta reports later in status webhooks.
 */
export function isTransientGraphError(status: number, code: number | undefined): boolean {
  if (code !== undefined) return TRANSIENT_CODES.has(code);
  return status >= 500 || status === 429;
}

const graphError = (json: unknown): GraphError | undefined => (json as { error?: GraphError } | null)?.error;

/**
 * WhatsApp Cloud API: POST /{version}/{phone-number-id}/messages, JSON, bearer token. Collection
 * messages start conversations, which Meta allows only with an approved template, so every
 * message goes out as `type: template` with the body parameters in the approved order; a message
 * without one is refused here (Meta would answer 131047). Success is 200 {messaging_product,
 * contacts:[{input, wa_id}], messages:[{id: "wamid…"}]}; errors are {error: {message, type, code,
 * error_data: {details}, fbtrace_id}} (docs/messaging.md). The one exception is `freeText`: the agent's
 * answer inside the 24-hour window after the debtor wrote, sent as `type: text` (the server accepted
 * it only with the window open).
 */
export function whatsappCloud(cfg: WhatsAppConfig): MessageProvider {
  const url = `${cfg.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(cfg.version)}/${encodeURIComponent(cfg.phoneNumberId)}/messages`;
  const fetchImpl = cfg.fetch ?? (fetch as unknown as FetchLike);
  async function post(body: string): Promise<SendResult> {
    try {
      const r = await postWithRetry(
        fetchImpl,
        url,
        {
          authorization: `Bearer ${cfg.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body,
        cfg.retry ?? DEFAULT_RETRY,
        (status, json) => isTransientGraphError(status, graphError(json)?.code),
      );
      const j = (r.json ?? {}) as { messages?: Array<{ id?: string }> };
      const id = j.messages?.[0]?.id;
      if (r.status >= 200 && r.status < 300 && typeof id === 'string') return { ok: true, providerMessageId: id, attempts: r.attempts };
      const e = graphError(r.json);
      const meta = [e?.message ?? `HTTP ${r.status}`, e?.error_data?.details].filter(Boolean).join(' — ');
      const why = e?.code !== undefined ? EXPLAINED[e.code] : undefined;
      return {
        ok: false,
        permanent: !isTransientGraphError(r.status, e?.code),
        status: r.status,
        attempts: r.attempts,
        code: `whatsapp.${e?.code ?? r.status}`,
        message: why ? `${why} (${meta})` : meta,
      };
    } catch (e) {
      if (e instanceof ProviderUnreachable)
        return { ok: false, permanent: false, status: null, code: 'whatsapp.unreachable', message: e.message, attempts: e.attempts };
      throw e;
    }
  }
  return {
    channel: 'whatsapp',
    name: 'whatsapp-cloud',
    async send(m: OutboundMessage): Promise<SendResult> {
      const t = m.whatsappTemplate;
      if (!t && m.freeText)
        return post(
          JSON.stringify({
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to: m.to.replace(/^\+/, ''),
            type: 'text',
            text: { preview_url: false, body: m.body },
            biz_opaque_callback_data: m.messageId,
          }),
        );
      if (!t) {
        return {
          ok: false,
          permanent: true,
          status: null,
          code: 'whatsapp.template_required',
          attempts: 0,
          message: 'no approved WhatsApp template for this message: Meta refuses free text to start a conversation',
        };
      }
      const body = JSON.stringify({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: m.to.replace(/^\+/, ''),
        type: 'template',
        template: {
          name: t.name,
          language: { code: t.language },
          ...(t.parameters.length
            ? { components: [{ type: 'body', parameters: t.parameters.map((text) => ({ type: 'text', text })) }] }
            : {}),
        },
        // echoed back in status webhooks: ties the provider's id to ours
        biz_opaque_callback_data: m.messageId,
      });
      return post(body);
    },
  };
}
