import { z } from 'zod';
import { CountryCode } from './enums';
import { TEMPLATE_PLACEHOLDERS, type TemplatePlaceholder } from './message-template';

/**
 * WhatsApp lets a business start a conversation (outside the 24-hour customer-service window,
 * which is every collection message) only with a template Meta approved beforehand. The approved
 * body has numbered variables ({{1}}, {{2}} …); ours has named placeholders. A WhatsApp template
 * of ours therefore carries the Meta template's name, its language and which of our placeholders
 * fill {{1}}, {{2}} … in order. The agent's preview is still our body rendered by the shared
 * renderer; the debtor receives Meta's approved text with the same values, so the two texts must
 * be the same wording (the organisation's responsibility when it submits the template).
 */

/** Meta's rule for template names: lowercase letters, digits and underscores. */
export const WhatsAppTemplateName = z
  .string()
  .regex(/^[a-z0-9_]{1,512}$/, 'lowercase letters, digits and underscores (Meta template name)');
/** Meta's language codes: `es`, `es_MX`, `es_AR` … (an underscore, never a hyphen). */
export const WhatsAppLanguage = z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a Meta template language code such as es or es_MX');

export const WhatsAppTemplateConfig = z.object({
  name: WhatsAppTemplateName,
  /** The language the template is sent in unless the debtor's country has its own. */
  language: WhatsAppLanguage,
  /** Debtor country (ISO alpha-2) → language of the same template approved for that country, e.g. MX → es_MX. */
  languageByCountry: z.record(CountryCode, WhatsAppLanguage).default({}),
  /** Our placeholders filling {{1}}, {{2}} … of the approved body, in that order. */
  params: z.array(z.enum(TEMPLATE_PLACEHOLDERS)).max(60),
});
export type WhatsAppTemplateConfig = z.infer<typeof WhatsAppTemplateConfig>;

/** What the WhatsApp adapter sends: resolved when the message is accepted, with the preview's values. */
export const WhatsAppTemplateMessage = z.object({
  name: WhatsAppTemplateName,
  language: WhatsAppLanguage,
  parameters: z.array(z.string()),
});
export type WhatsAppTemplateMessage = z.infer<typeof WhatsAppTemplateMessage>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/**
 * Why our body and the Meta parameters disagree (empty = they agree): a placeholder the preview
 * shows but no parameter carries, or a parameter the preview does not show, would make the debtor
 * receive something other than what the agent read.
 */
export function whatsappTemplateMismatch(body: string, config: { params: readonly string[] }): string[] {
  const { notInParams, notInBody } = whatsappParamDiff(body, config);
  return [
    ...notInParams.map((p) => `{{${p}}} is in the body but not in the Meta parameters`),
    ...notInBody.map((p) => `{{${p}}} is a Meta parameter but not in the body`),
  ];
}

/** The same comparison as names, for a screen that words it in the reader's language. */
export function whatsappParamDiff(body: string, config: { params: readonly string[] }): { notInParams: string[]; notInBody: string[] } {
  const inBody = new Set([...body.matchAll(PLACEHOLDER)].map((m) => m[1]!));
  const inParams = new Set<string>(config.params);
  return { notInParams: [...inBody].filter((p) => !inParams.has(p)), notInBody: [...inParams].filter((p) => !inBody.has(p)) };
}

export function whatsappTemplateMessage(
  config: WhatsAppTemplateConfig,
  debtorCountry: string,
  vars: Record<TemplatePlaceholder, string>,
): WhatsAppTemplateMessage {
  return {
    name: config.name,
    language: config.languageByCountry[debtorCountry] ?? config.language,
    // the same strings the preview shows: amounts and dates already formatted for the debtor
    parameters: config.params.map((p) => vars[p]),
  };
}
