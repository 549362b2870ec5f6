import type { MessageChannel } from '../../shared/api/contract';
import type { ContactKind } from '../../shared/domain/enums';

/** Which contact points each message channel can use (the rules refuse the others: hard.contact_point.kind). */
export const MESSAGE_KINDS: Record<MessageChannel, readonly ContactKind[]> = {
  sms: ['phone'],
  whatsapp: ['whatsapp', 'phone'],
  email: ['email'],
};
