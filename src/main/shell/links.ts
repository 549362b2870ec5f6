/**
 * A link the renderer tries to open outside the app: web and mail links are opened in the
 * system's programs only after the agent says yes; anything else (file:, smb:, custom
 * protocols that start programs) is refused without asking.
 */
export type LinkAction = { action: 'ask'; url: string } | { action: 'refuse' };

const ASKABLE = new Set(['https:', 'http:', 'mailto:']);

export function externalLinkAction(url: string): LinkAction {
  try {
    const u = new URL(url);
    return ASKABLE.has(u.protocol) ? { action: 'ask', url: u.toString() } : { action: 'refuse' };
  } catch {
    return { action: 'refuse' };
  }
}

export interface LinkQuestion {
  message: string;
  detail: string;
  buttons: [open: string, cancel: string];
  /** Index of the button Enter/Escape choose: always Cancel. */
  defaultId: 1;
  cancelId: 1;
}

/** The question shown before opening; the URL is shown whole so the agent sees where it goes. */
export function externalLinkQuestion(url: string, locale: 'es' | 'en'): LinkQuestion {
  const host = (() => {
    try {
      return new URL(url).host || url;
    } catch {
      return url;
    }
  })();
  return locale === 'es'
    ? { message: `¿Abrir ${host} fuera de Cobranza?`, detail: url, buttons: ['Abrir', 'Cancelar'], defaultId: 1, cancelId: 1 }
    : { message: `Open ${host} outside Cobranza?`, detail: url, buttons: ['Open', 'Cancel'], defaultId: 1, cancelId: 1 };
}
