import type { Channel, ContactKind } from '../../domain/enums';
import { formatDay } from '../../domain/time';

/**
 * The words the rules' own texts use for channels, contact kinds and days, in Spanish and
 * English: a reason is read by an agent, never an enum value ("whatsapp") or an ISO date.
 */
const CHANNEL: Record<Channel, { es: string; en: string }> = {
  call: { es: 'llamada', en: 'call' },
  sms: { es: 'SMS', en: 'SMS' },
  email: { es: 'correo', en: 'e-mail' },
  whatsapp: { es: 'WhatsApp', en: 'WhatsApp' },
  visit: { es: 'visita', en: 'visit' },
  letter: { es: 'carta', en: 'letter' },
  self_service: { es: 'autogestión', en: 'self-service' },
};
const KIND: Record<ContactKind, { es: string; en: string }> = {
  phone: { es: 'teléfono', en: 'phone' },
  email: { es: 'correo', en: 'e-mail' },
  whatsapp: { es: 'WhatsApp', en: 'WhatsApp' },
  address: { es: 'dirección', en: 'address' },
};

export const channelWord = (c: Channel, lang: 'es' | 'en'): string => CHANNEL[c]?.[lang] ?? c;
export const kindWord = (k: ContactKind, lang: 'es' | 'en'): string => KIND[k]?.[lang] ?? k;

/** 'YYYY-MM-DD' as dd/mm/aaaa (Spanish) or mm/dd/yyyy (English), without any zone arithmetic. */
export function dayWord(date: string, lang: 'es' | 'en'): string {
  return formatDay(date, lang);
}
