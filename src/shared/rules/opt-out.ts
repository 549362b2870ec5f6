import type { MessageChannel } from '../domain/channels';
import type { ContactPreferences } from '../domain/entities';
import type { CountryCode } from '../domain/enums';

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

/**
 * Words that take an opt-out back ("ALTA", "START"): the debtor asks to hear from us again on the
 * channel they had refused by a word. Like the opt-out words, only the whole reply counts. Some are
 * for every channel and country, some only for one channel (Twilio's SMS re-subscribe keyword
 * UNSTOP) or one country's usage (Chile and Peru say "activar"; in Colombia the debtor's
 * "autorizo" is the authorisation Ley 2300 asks for).
 */
export const OPT_IN_WORDS: {
  all: readonly string[];
  byChannel: Partial<Record<MessageChannel, readonly string[]>>;
  byCountry: Partial<Record<CountryCode, readonly string[]>>;
} = {
  all: ['alta', 'darme de alta', 'dar de alta', 'de alta', 'suscribir', 'suscribirme', 'reactivar', 'start'],
  byChannel: { sms: ['unstop'] },
  byCountry: { CO: ['autorizo'], CL: ['activar'], PE: ['activar'], MX: ['reanudar'] },
};

/** The opt-in word the reply is on that channel for a debtor of that country, or null. */
export function optInWord(text: string, channel: MessageChannel, country: CountryCode | string): string | null {
  const firstBlock = text.split(/\r?\n\s*\r?\n|\r?\n>|\r?\nOn .*wrote:|\r?\nEl .*escribió:/)[0] ?? '';
  const n = normalizeReply(firstBlock);
  const words = [
    ...OPT_IN_WORDS.all,
    ...(OPT_IN_WORDS.byChannel[channel] ?? []),
    ...(OPT_IN_WORDS.byCountry[country as CountryCode] ?? []),
  ];
  return words.includes(n) ? n : null;
}

/**
 * Whether the debtor's own word may lift their refusal of a channel: only a refusal they made by a
 * word (refusedByReply). A channel refused by an agent's record of a legal instruction stays
 * refused until a person lifts it; a channel not refused has nothing to lift.
 */
export function mayReauthorizeByReply(
  prefs: Pick<ContactPreferences, 'refusedChannels' | 'refusedByReply'>,
  channel: MessageChannel,
): boolean {
  return (prefs.refusedChannels ?? []).includes(channel) && (prefs.refusedByReply ?? []).includes(channel);
}
