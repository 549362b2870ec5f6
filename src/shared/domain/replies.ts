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

/**
 * What an administrator sends. Secrets are write-only (never answered back): a secret left out
 * keeps the one stored, null clears it, a string replaces it — so a settings screen that never
 * saw the secret can save the rest. The reply mailbox fields left out keep theirs too.
 */
export const OrgMessagingConfigInput = z
  .object({
    twilioAccountSid: z
      .string()
      .regex(/^AC[0-9a-f]{32}$/i, 'a Twilio Account SID (AC + 32 hex)')
      .nullable(),
    twilioAuthToken: z.string().min(16).max(200).nullable().optional(),
    whatsappPhoneNumberId: z
      .string()
      .regex(/^\d{5,32}$/, "Meta's phone number id (digits)")
      .nullable(),
    whatsappAppSecret: z.string().min(16).max(200).nullable().optional(),
    whatsappVerifyToken: z.string().min(16).max(200).nullable().optional(),
    /** The organisation's reply mailbox (where EMAIL_REPLY_TO delivers), read over IMAP every minute. */
    imapHost: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]{1,253}$/, 'a host name or address')
      .nullable()
      .optional(),
    imapPort: z.number().int().min(1).max(65535).nullable().optional(),
    /** TLS from the first byte (993); false = STARTTLS when offered (143). */
    imapSecure: z.boolean().optional(),
    imapUser: z.string().trim().min(1).max(200).nullable().optional(),
    imapPassword: z.string().min(1).max(200).nullable().optional(),
    imapMailbox: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.imapHost && v.imapUser === null) ctx.addIssue({ code: 'custom', path: ['imapUser'], message: 'a mailbox needs its user' });
  });
export type OrgMessagingConfigInput = z.infer<typeof OrgMessagingConfigInput>;

export const OrgMessagingConfigView = z.object({
  twilioAccountSid: z.string().nullable(),
  twilioAuthTokenSet: z.boolean(),
  whatsappPhoneNumberId: z.string().nullable(),
  whatsappAppSecretSet: z.boolean(),
  whatsappVerifyTokenSet: z.boolean(),
  imapHost: z.string().nullable(),
  imapPort: z.number().int().nullable(),
  imapSecure: z.boolean(),
  imapUser: z.string().nullable(),
  imapPasswordSet: z.boolean(),
  imapMailbox: z.string(),
});
export type OrgMessagingConfigView = z.infer<typeof OrgMessagingConfigView>;
