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

/**
 * WhatsApp Cloud API: POST /{version}/{phone-number-id}/messages, JSON, bearer token. Success is
 * 200 {messaging_product, contacts:[{input, wa_id}], messages:[{id: "wamid…"}]}; errors are
 * {error: {message, type, code, error_subcode?, fbtrace_id}}. Free text reaches a debtor only
 * inside the 24-hour customer-service window; outside it Meta requires approved templates
 * (docs/messaging.md).
 */
export function whatsappCloud(cfg: WhatsAppConfig): MessageProvider {
  const url = `${cfg.baseUrl.replace(/\/$/, '')}/${encodeURIComponent(cfg.version)}/${encodeURIComponent(cfg.phoneNumberId)}/messages`;
  const fetchImpl = cfg.fetch ?? (fetch as unknown as FetchLike);
  return {
    channel: 'whatsapp',
    name: 'whatsapp-cloud',
    async send(m: OutboundMessage): Promise<SendResult> {
      const body = JSON.stringify({
        messaging_product: 'whatsapp', recipient_type: 'individual', to: m.to.replace(/^\+/, ''),
        type: 'text', text: { preview_url: false, body: m.body },
        // echoed back in status webhooks: ties the provider's id to ours
        biz_opaque_callback_data: m.messageId,
      });
      try {
        const r = await postWithRetry(fetchImpl, url, {
          authorization: `Bearer ${cfg.accessToken}`, 'content-type': 'application/json', accept: 'application/json',
        }, body, cfg.retry ?? DEFAULT_RETRY);
        const j = (r.json ?? {}) as { messages?: Array<{ id?: string }>; error?: { code?: number; message?: string } };
        const id = j.messages?.[0]?.id;
        if (r.status >= 200 && r.status < 300 && typeof id === 'string') return { ok: true, providerMessageId: id, attempts: r.attempts };
        return {
          ok: false, permanent: r.status < 500 && r.status !== 429, status: r.status, attempts: r.attempts,
          code: `whatsapp.${j.error?.code ?? r.status}`, message: j.error?.message ?? `HTTP ${r.status}`,
        };
      } catch (e) {
        if (e instanceof ProviderUnreachable) return { ok: false, permanent: false, status: null, code: 'whatsapp.unreachable', message: e.message, attempts: e.attempts };
        throw e;
      }
    },
  };
}
