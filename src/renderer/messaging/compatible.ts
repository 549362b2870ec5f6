import type { MessageChannel } from '../../shared/api/contract';
import { CHANNEL_FACTS, MESSAGE_CHANNELS } from '../../shared/domain/channels';
import type { ContactKind } from '../../shared/domain/enums';

/** Which contact points each message channel can use (the rules refuse the others: hard.contact_point.kind). */
export const MESSAGE_KINDS = Object.fromEntries(MESSAGE_CHANNELS.map((c) => [c, CHANNEL_FACTS[c].kinds])) as Record<
  MessageChannel,
  readonly ContactKind[]
>;
