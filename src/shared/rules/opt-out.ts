/**
 * Words a debtor writes back to refuse a channel. A reply that is one of these (alone, give or take
 * punctuation, case, accents and spacing) is a legal instruction: the channel it came on is
 * refused at once for the debtor (ContactPreferences.refusedChannels) and checkContact blocks it.
 * Only the whole reply counts, so "no puedo pagar, no más llamadas a mi trabajo" is a reply for the
 * agent to read, not an opt-out of the channel it came on.
 */
export const OPT_OUT_WORDS: readonly string[] = [
  // English keywords carriers honour (CTIA; Twilio answers them itself)
  'stop',
  'stopall',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'optout',
  'opt out',
  // Spanish
  'baja',
  'darme de baja',
  'dar de baja',
  'de baja',
  'no mas',
  'no mas mensajes',
  'no me escriban',
  'no escribir',
  'no enviar',
  'cancelar',
  'cancelar suscripcion',
  'parar',
  'detener',
  'alto',
  'basta',
  'desuscribir',
  'eliminar',
];

const WORDS = new Set(OPT_OUT_WORDS);

/** Lower case, accents and punctuation gone, spaces collapsed: "¡NO MÁS!" → "no mas". */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The opt-out word the reply is, or null. An e-mail's quoted original below the reply is not read. */
export function optOutWord(text: string): string | null {
  const firstBlock = text.split(/\r?\n\s*\r?\n|\r?\n>|\r?\nOn .*wrote:|\r?\nEl .*escribió:/)[0] ?? '';
  const n = normalizeReply(firstBlock);
  return WORDS.has(n) ? n : null;
}
