import type { Account, Debtor } from './entities';
import { formatMoney } from './money';
import { daysPastDue, formatDay, localDate } from './time';

/**
 * Organisation message templates (SMS, WhatsApp, e-mail) are Spanish text with {{placeholders}}.
 * Rendered once here for the agent's preview on the workstation and for the server's send, so
 * what the agent previews is what the debtor receives.
 */
export const TEMPLATE_PLACEHOLDERS = ['nombre', 'monto', 'moneda', 'fecha_vencimiento', 'dias_mora', 'link'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
/** Anything between double braces: `{{ Nombre }}` or `{{monto-total}}` is a typo the renderer would print as is. */
const ANY_BRACES = /\{\{([^{}]*)\}\}/g;

/**
 * Names used in the template that are not placeholders (in order, once each): a template with any
 * is refused when saved, since the debtor would read the braces.
 */
export function unknownPlaceholders(body: string): string[] {
  const known = new Set<string>(TEMPLATE_PLACEHOLDERS);
  const names = [...body.matchAll(ANY_BRACES)].map((m) => m[1]!.trim()).filter((n) => !known.has(n));
  return [...new Set(names)];
}

/** What {{link}} shows in a preview: the real, signed link is made by the server as it sends. */
export const LINK_PREVIEW = '[enlace personal de autogestión]';

/** Whether a template uses {{link}} (the server then makes or reuses the debtor's link). */
export const usesLink = (...texts: Array<string | null | undefined>): boolean => texts.some((x) => !!x && /\{\{\s*link\s*\}\}/.test(x));

export function templateVars(
  account: Pick<Account, 'balanceMinor' | 'currency' | 'dueDate' | 'externalRef'>,
  debtor: Pick<Debtor, 'name' | 'timeZone'>,
  at: Date,
  /**
   * The debtor's self-service link (the server makes it when it sends: src/server/portal/links.ts);
   * the workstation's preview, which cannot know it, shows LINK_PREVIEW in its place.
   */
  link: string = LINK_PREVIEW,
): Record<TemplatePlaceholder, string> {
  const today = localDate(at, debtor.timeZone);
  const due = account.dueDate;
  return {
    nombre: debtor.name,
    monto: formatMoney(account.balanceMinor, account.currency, 'es'),
    moneda: account.currency,
    // dd/mm/aaaa: how Latin American debtors read dates
    fecha_vencimiento: due ? formatDay(due, 'es') : '',
    dias_mora: String(daysPastDue(due, today)),
    link,
  };
}

export function renderTemplate(body: string, vars: Record<TemplatePlaceholder, string>): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => (name in vars ? vars[name as TemplatePlaceholder] : whole));
}

/**
 * An e-mail subject as sent: rendered like the body and folded to one line (a line break in a
 * header would start another header of the debtor's data's choosing).
 */
export function renderSubject(subject: string, vars: Record<TemplatePlaceholder, string>): string {
  return renderTemplate(subject, vars).replace(/\s+/g, ' ').trim();
}
