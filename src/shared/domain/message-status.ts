import { z } from 'zod';

/**
 * Where an outbound message stands. queued → sending → sent → delivered → read comes from us and
 * from the provider's callbacks; blocked (refused by compliance) never leaves; failed carries the
 * provider's reason. "read" only where the channel reports it (WhatsApp).
 */
export const MessageStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'blocked', 'failed']);
export type MessageStatus = z.infer<typeof MessageStatus>;

/** What a provider callback may report (never blocked: that is our own refusal). */
export const ReportedStatus = z.enum(['queued', 'sending', 'sent', 'delivered', 'read', 'failed']);
export type ReportedStatus = z.infer<typeof ReportedStatus>;

/**
 * Progress of a message. Callbacks arrive out of order (Twilio and Meta both say so), so a status
 * is only taken when it is further along than the one held: a late "sent" never overwrites
 * "delivered". failed stands beside delivered: a message Meta reports failed after "sent" is
 * failed, but one already delivered or read stays so (a failed after delivery is not a thing the
 * debtor can tell apart from delivered).
 */
const RANK: Record<MessageStatus, number> = { queued: 0, sending: 1, sent: 2, failed: 3, delivered: 3, read: 4, blocked: 9 };

/** The status to keep when `incoming` is reported on a message that is `current`; null = keep current. */
export function nextMessageStatus(current: MessageStatus, incoming: ReportedStatus): MessageStatus | null {
  if (current === 'blocked' || current === incoming) return null;
  return RANK[incoming] > RANK[current] ? incoming : null;
}
