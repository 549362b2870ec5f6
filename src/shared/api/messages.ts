import { z } from 'zod';
import { Id, IsoInstant } from '../domain/entities';
import { MessageChannel } from '../domain/messaging';

/** A message sent (or queued, blocked, failed) on an account: GET /api/v1/accounts/:id/messages. */
export const OutboundMessageView = z.object({
  id: Id,
  accountId: Id,
  agentId: Id,
  channel: MessageChannel,
  address: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'blocked', 'failed']),
  reasons: z.array(z.object({ ruleId: z.string(), es: z.string(), en: z.string() })).nullable(),
  providerMessageId: z.string().nullable(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdAt: IsoInstant,
});
