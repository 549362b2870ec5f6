import { z } from 'zod';
import { MessageChannel } from './channels';
import { TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './message-template';
import { WhatsAppTemplateConfig, whatsappParamDiff, whatsappTemplateMismatch } from './whatsapp-template';

/**
 * What an administrator saves as an organisation message template, and the rules it must meet.
 * The same checks run in the admin screen (as the admin types) and on the server (which decides),
 * so a refusal always names the field and the offending placeholder.
 */

/** Meta's limit for an approved template's body; longer text could never be the approved one. */
export const WHATSAPP_BODY_MAX = 1024;
/** One GSM-7 SMS segment; longer texts are sent (and billed) as several. */
export const SMS_SEGMENT_CHARS = 160;

export type TemplateProblemCode =
  | 'unknown_placeholder'
  | 'subject_required'
  | 'subject_not_email'
  | 'whatsapp_not_whatsapp'
  | 'whatsapp_body_too_long'
  | 'whatsapp_param_missing'
  | 'whatsapp_param_extra';

/** `message` is the server's English wording; `code` and `names` let a screen word it in Spanish or English. */
export interface TemplateProblem {
  field: 'body' | 'subject' | 'whatsapp' | 'whatsapp.params';
  code: TemplateProblemCode;
  names: string[];
  message: string;
}

interface TemplateDraft {
  channel: MessageChannel;
  subject: string | null;
  body: string;
  whatsapp: (Omit<WhatsAppTemplateConfig, 'params'> & { params: readonly string[] }) | null;
}

const known = TEMPLATE_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ');
const unknownText = (names: string[]) =>
  `unknown placeholder${names.length > 1 ? 's' : ''} ${names.map((n) => `{{${n}}}`).join(', ')} (known: ${known})`;

/** Why a template cannot be saved (empty = it can). */
export function templateProblems(t: TemplateDraft): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const add = (field: TemplateProblem['field'], code: TemplateProblemCode, message: string, names: string[] = []) =>
    problems.push({ field, code, names, message });
  const inBody = unknownPlaceholders(t.body);
  if (inBody.length) add('body', 'unknown_placeholder', unknownText(inBody), inBody);
  const subject = t.subject?.trim() ?? '';
  if (t.channel === 'email') {
    if (!subject) add('subject', 'subject_required', 'an e-mail template needs a subject');
    const inSubject = unknownPlaceholders(subject);
    if (inSubject.length) add('subject', 'unknown_placeholder', unknownText(inSubject), inSubject);
  } else if (subject) {
    add('subject', 'subject_not_email', 'only e-mail templates have a subject');
  }
  if (t.channel !== 'whatsapp' && t.whatsapp)
    add('whatsapp', 'whatsapp_not_whatsapp', 'only WhatsApp templates have a Meta-approved template');
  if (t.channel === 'whatsapp') {
    if (t.body.length > WHATSAPP_BODY_MAX)
      add('body', 'whatsapp_body_too_long', `a WhatsApp template body has at most ${WHATSAPP_BODY_MAX} characters`);
    if (t.whatsapp) {
      // the check the server runs at push (accept.ts), refused here already when saved
      const mismatch = whatsappTemplateMismatch(t.body, t.whatsapp).join('; ');
      const { notInParams, notInBody } = whatsappParamDiff(t.body, t.whatsapp);
      if (notInParams.length) add('whatsapp.params', 'whatsapp_param_missing', mismatch, notInParams);
      if (notInBody.length) add('whatsapp.params', 'whatsapp_param_extra', mismatch, notInBody);
    }
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
  channel: MessageChannel,
  subject: z
    .string()
    .trim()
    .max(200)
    .nullable()
    .default(null)
    .transform((s) => (s ? s : null)),
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
