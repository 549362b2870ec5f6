import { z } from 'zod';
import { TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './message-template';
import { WhatsAppTemplateConfig, whatsappTemplateMismatch } from './whatsapp-template';

/**
 * What an administrator saves as an organisation message template, and the rules it must meet.
 * The same checks run in the admin screen (as the admin types) and on the server (which decides),
 * so a refusal always names the field and the offending placeholder.
 */

/** Meta's limit for an approved template's body; longer text could never be the approved one. */
export const WHATSAPP_BODY_MAX = 1024;
/** One GSM-7 SMS segment; longer texts are sent (and billed) as several. */
export const SMS_SEGMENT_CHARS = 160;

export interface TemplateProblem { field: 'name' | 'body' | 'subject' | 'whatsapp' | 'whatsapp.params'; message: string }

interface TemplateDraft {
  channel: 'sms' | 'whatsapp' | 'email';
  subject: string | null;
  body: string;
  whatsapp: WhatsAppTemplateConfig | null;
}

const known = TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');
const unknownText = (names: string[]) =>
  `unknown placeholder${names.length > 1 ? 's' : ''} ${names.map((n) => `{{${n}}}`).join(', ')} (known: ${known})`;

/** Why a template cannot be saved (empty = it can). */
export function templateProblems(t: TemplateDraft): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const inBody = unknownPlaceholders(t.body);
  if (inBody.length) problems.push({ field: 'body', message: unknownText(inBody) });
  const subject = t.subject?.trim() ?? '';
  if (t.channel === 'email') {
    if (!subject) problems.push({ field: 'subject', message: 'an e-mail template needs a subject' });
    const inSubject = unknownPlaceholders(subject);
    if (inSubject.length) problems.push({ field: 'subject', message: unknownText(inSubject) });
  } else if (subject) {
    problems.push({ field: 'subject', message: 'only e-mail templates have a subject' });
  }
  if (t.channel !== 'whatsapp' && t.whatsapp) {
    problems.push({ field: 'whatsapp', message: 'only WhatsApp templates have a Meta-approved template' });
  }
  if (t.channel === 'whatsapp') {
    if (t.body.length > WHATSAPP_BODY_MAX) problems.push({ field: 'body', message: `a WhatsApp template body has at most ${WHATSAPP_BODY_MAX} characters` });
    const mismatch = t.whatsapp ? whatsappTemplateMismatch(t.body, t.whatsapp) : [];
    if (mismatch.length) problems.push({ field: 'whatsapp.params', message: mismatch.join('; ') });
  }
  return problems;
}

/** How many SMS segments the rendered text takes (the admin is warned, not refused). */
export function smsSegments(text: string): number {
  // GSM-7 fits 160 per single message, 153 per part; anything outside it (tildes on capitals, emoji) UCS-2: 70 / 67
  const gsm = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z_a-z¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùü]*$/.test(text);
  const [single, part] = gsm ? [SMS_SEGMENT_CHARS, 153] : [70, 67];
  return text.length <= single ? 1 : Math.ceil(text.length / part);
}

const Fields = z.object({
  name: z.string().trim().min(1, 'a name is required').max(120),
  channel: z.enum(['sms', 'whatsapp', 'email']),
  subject: z.string().trim().max(200).nullable().default(null).transform((s) => (s ? s : null)),
  body: z.string().trim().min(1, 'the body is empty').max(10_000),
  /** WhatsApp only: the Meta-approved template; null = not approved yet (cannot be sent). */
  whatsapp: WhatsAppTemplateConfig.nullable().default(null),
  /** Inactive templates are kept (sent messages refer to them) but no longer offered or accepted. */
  active: z.boolean().default(true),
});

function refine(t: z.output<typeof Fields>, ctx: z.RefinementCtx) {
  for (const p of templateProblems(t)) ctx.addIssue({ code: 'custom', path: p.field.split('.'), message: p.message });
}

export const MessageTemplateInput = Fields.superRefine(refine);
export type MessageTemplateInput = z.input<typeof MessageTemplateInput>;

/** An update carries the revision the admin edited, so two admins cannot silently overwrite each other. */
export const MessageTemplateUpdate = Fields.extend({ revision: z.number().int().nonnegative().optional() }).superRefine(refine);
export type MessageTemplateUpdate = z.input<typeof MessageTemplateUpdate>;
