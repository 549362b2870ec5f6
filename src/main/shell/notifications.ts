/**
 * The desktop notification for callbacks falling due. An OS notification can be read on a locked
 * screen (and stays in the notification centre): while the screen is locked it says only how
 * many callbacks are due; with the screen unlocked it may name the debtors, and the shell closes
 * those notifications when the screen locks (src/main/electron/main.ts).
 */
export interface DueCallback {
  debtorName: string;
}

export interface CallbackNotice {
  title: string;
  body: string;
  /** Whether the text names a debtor (such a notice is closed when the screen locks). */
  namesDebtors: boolean;
}

const MAX_NAMES = 3;

export function callbackNotice(due: readonly DueCallback[], locale: 'es' | 'en', screenLocked: boolean): CallbackNotice | null {
  const n = due.length;
  if (n === 0) return null;
  const one = new Intl.PluralRules(locale).select(n) === 'one';
  const title = locale === 'es' ? (one ? 'Rellamada pendiente' : 'Rellamadas pendientes') : one ? 'Callback due' : 'Callbacks due';
  const count =
    locale === 'es'
      ? one
        ? `Tienes ${n} rellamada pendiente.`
        : `Tienes ${n} rellamadas pendientes.`
      : one
        ? `You have ${n} callback due.`
        : `You have ${n} callbacks due.`;
  if (screenLocked) return { title, body: count, namesDebtors: false };
  const names = due.slice(0, MAX_NAMES).map((d) => d.debtorName);
  const more = n - names.length;
  const list = more > 0 ? `${names.join(', ')} ${locale === 'es' ? `y ${more} más` : `and ${more} more`}` : names.join(', ');
  return { title, body: list, namesDebtors: true };
}

/**
 * The desktop notification for debtors' replies that just arrived. Like callbacks: on a locked
 * screen only how many; unlocked, whose (a debtor's name is personal data on a shared screen).
 */
export function replyNotice(replies: readonly DueCallback[], locale: 'es' | 'en', screenLocked: boolean): CallbackNotice | null {
  const n = replies.length;
  if (n === 0) return null;
  const one = new Intl.PluralRules(locale).select(n) === 'one';
  const title =
    locale === 'es' ? (one ? 'Respuesta de un deudor' : 'Respuestas de deudores') : one ? 'A debtor replied' : 'Debtors replied';
  const count =
    locale === 'es'
      ? one
        ? `Tienes ${n} respuesta nueva.`
        : `Tienes ${n} respuestas nuevas.`
      : one
        ? `You have ${n} new reply.`
        : `You have ${n} new replies.`;
  if (screenLocked) return { title, body: count, namesDebtors: false };
  const names = [...new Set(replies.map((d) => d.debtorName))].slice(0, MAX_NAMES);
  const more = new Set(replies.map((d) => d.debtorName)).size - names.length;
  const list = more > 0 ? `${names.join(', ')} ${locale === 'es' ? `y ${more} más` : `and ${more} more`}` : names.join(', ');
  return { title, body: list, namesDebtors: true };
}
