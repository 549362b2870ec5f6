import { z } from 'zod';
import { Id, IsoInstant } from './entities';
import { MessageChannel } from './channels';

/** A reply from a sender no debtor could be matched to: the team lead's list until handled. */
export const UnknownReply = z.object({
  id: Id,
  channel: MessageChannel,
  from: z.string(),
  to: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  receivedAt: IsoInstant,
  handledBy: z.string().nullable(),
  handledAt: IsoInstant.nullable(),
});
export type UnknownReply = z.infer<typeof UnknownReply>;

/** Twilio's form-encoded webhooks and Meta's JSON are read by the server after their signature; the route only names the organisation. */
export const WebhookParams = z.object({ org: z.string().regex(/^[a-z0-9-]{1,80}$/, "the organisation's code") });

/** Meta's verification handshake (GET): echo hub.challenge when hub.verify_token is ours. */
export const WhatsAppVerifyQuery = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string().min(1),
  'hub.challenge': z.string().min(1).max(200),
});

/** What an administrator sends; secrets are write-only (never answered back). */
export const OrgMessagingConfigInput = z
  .object({
    twilioAccountSid: z
      .string()
      .regex(/^AC[0-9a-f]{32}$/i, 'a Twilio Account SID (AC + 32 hex)')
      .nullable(),
    twilioAuthToken: z.string().min(16).max(200).nullable(),
    whatsappPhoneNumberId: z
      .string()
      .regex(/^\d{5,32}$/, "Meta's phone number id (digits)")
      .nullable(),
    whatsappAppSecret: z.string().min(16).max(200).nullable(),
    whatsappVerifyToken: z.string().min(16).max(200).nullable(),
  })
  .strict();
export type OrgMessagingConfigInput = z.infer<typeof OrgMessagingConfigInput>;

export const OrgMessagingConfigView = z.object({
  twilioAccountSid: z.string().nullable(),
  twilioAuthTokenSet: z.boolean(),
  whatsappPhoneNumberId: z.string().nullable(),
  whatsappAppSecretSet: z.boolean(),
  whatsappVerifyTokenSet: z.boolean(),
});
