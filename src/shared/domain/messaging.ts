import { z } from 'zod';
import { Id, IsoInstant } from './entities';
import { WhatsAppTemplateConfig } from './whatsapp-template';
import { MessageChannel } from './channels';

/** Message templates as agents see them, as administrators keep them, and their audit. */

export { MessageChannel };

export const MessageTemplate = z.object({
  id: Id,
  name: z.string().min(1),
  channel: MessageChannel,
  subject: z.string().nullable(),
  body: z.string().min(1),
  /** WhatsApp only: the Meta-approved template it is sent as; null = not approved, cannot be sent. */
  whatsapp: WhatsAppTemplateConfig.nullable().default(null),
});
export type MessageTemplate = z.infer<typeof MessageTemplate>;

/** A template as the agent sees it for one account: rendered with that account's data (the e-mail subject too). */
export const MessagePreview = MessageTemplate.extend({ preview: z.string(), subjectPreview: z.string().nullable() });
export type MessagePreview = z.infer<typeof MessagePreview>;

/** A template as its administrator sees it: inactive ones too, with the revision an update must name. */
export const OrgMessageTemplate = MessageTemplate.extend({
  active: z.boolean(),
  revision: z.number().int(),
  updatedAt: IsoInstant,
  updatedBy: z.string().nullable(),
});
export type OrgMessageTemplate = z.infer<typeof OrgMessageTemplate>;

/** One change of a template: who, when, and the template before (null when created) and after. */
export const TemplateAuditEntry = z.object({
  seq: z.number().int(),
  templateId: Id,
  userId: Id,
  username: z.string(),
  at: IsoInstant,
  action: z.enum(['create', 'update']),
  before: OrgMessageTemplate.nullable(),
  after: OrgMessageTemplate,
});
export type TemplateAuditEntry = z.infer<typeof TemplateAuditEntry>;
