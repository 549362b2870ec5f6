import type { MessageChannel } from '../../../shared/domain/messaging';
import type { WhatsAppTemplateMessage } from '../../../shared/domain/whatsapp-template';

export interface OutboundMessage {
  /** Our message id (the client's): logged with the provider's id, never sent twice by us. */
  messageId: string;
  /** E.164 phone number, or an e-mail address. */
  to: string;
  /** E-mail only: the template's subject, rendered like the body. */
  subject?: string;
  /** Plain text. */
  body: string;
  /** WhatsApp: the approved template the message is sent as (its parameters fill the body's {{1}} …). */
  whatsappTemplate?: WhatsAppTemplateMessage | null;
  /** WhatsApp: the agent's own words inside the 24-hour window (sent as type text, not a template). */
  freeText?: boolean;
  /** SMS: where Twilio posts the message's delivery status (Twilio's StatusCallback). */
  statusCallbackUrl?: string | undefined;
}

export type SendResult =
  | { ok: true; providerMessageId: string; attempts: number }
  /** permanent: an HTTP 4xx or SMTP 5xx (bad number, no such mailbox, bad credentials …): retrying cannot help. */
  | { ok: false; permanent: boolean; status: number | null; code: string; message: string; attempts: number };

export interface MessageProvider {
  readonly channel: MessageChannel;
  readonly name: string;
  send(message: OutboundMessage): Promise<SendResult>;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the 2nd attempt; doubled each time. */
  baseDelayMs: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, timeoutMs: 15_000 };
