import type { Channel, DebtorType, Segment } from '../../shared/domain/enums';
import { normaliseHeader } from './columns';

/** Cell parsers for the portfolio file. Each returns a value or a Spanish reason for the user. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

function validYmd(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200) return undefined;
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * 'YYYY-MM-DD' or 'DD/MM/YYYY' (also with '-' or '.'), day first as written in Latin America.
 * Month-first US dates are not guessed: "03/04/2025" is 3 April.
 */
export function parseDate(text: string): Parsed<string> {
  const t = text.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t);
  if (m) {
    const d = validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? ok(d) : fail(`"${text}" no es una fecha real`);
  }
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) {
    const d = validYmd(Number(m[3]), Number(m[2]), Number(m[1]));
    return d ? ok(d) : fail(`"${text}" no es una fecha real`);
  }
  return fail(`"${text}" no es una fecha (use AAAA-MM-DD o DD/MM/AAAA)`);
}

export function parseNonNegativeInt(text: string): Parsed<number> {
  const t = text.trim().replace(/\.0+$/, '');
  if (!/^\d+$/.test(t)) return fail(`"${text}" no es un número entero no negativo`);
  const n = Number(t);
  return Number.isSafeInteger(n) ? ok(n) : fail(`"${text}" es demasiado grande`);
}

const DEBTOR_TYPES: Record<string, DebtorType> = {
  persona: 'individual',
  persona_natural: 'individual',
  natural: 'individual',
  pn: 'individual',
  individual: 'individual',
  person: 'individual',
  empresa: 'company',
  persona_juridica: 'company',
  juridica: 'company',
  pj: 'company',
  company: 'company',
  business: 'company',
  moral: 'company',
  persona_moral: 'company',
};

export function parseDebtorType(text: string): Parsed<DebtorType> {
  const v = DEBTOR_TYPES[normaliseHeader(text)];
  return v ? ok(v) : fail(`"${text}" no es un tipo de deudor (persona o empresa)`);
}

const SEGMENTS: Record<string, Segment> = {
  bajo: 'low',
  baja: 'low',
  low: 'low',
  medio: 'medium',
  media: 'medium',
  medium: 'medium',
  alto: 'high',
  alta: 'high',
  high: 'high',
};

export function parseSegment(text: string): Parsed<Segment> {
  const v = SEGMENTS[normaliseHeader(text)];
  return v ? ok(v) : fail(`"${text}" no es un segmento (bajo, medio o alto)`);
}

const CHANNELS: Record<string, Channel> = {
  llamada: 'call',
  llamadas: 'call',
  telefono: 'call',
  call: 'call',
  phone: 'call',
  voz: 'call',
  sms: 'sms',
  mensaje_de_texto: 'sms',
  texto: 'sms',
  email: 'email',
  correo: 'email',
  e_mail: 'email',
  mail: 'email',
  correo_electronico: 'email',
  whatsapp: 'whatsapp',
  wa: 'whatsapp',
  visita: 'visit',
  visitas: 'visit',
  terreno: 'visit',
  visit: 'visit',
  carta: 'letter',
  cartas: 'letter',
  letter: 'letter',
  correspondencia: 'letter',
  autogestion: 'self_service',
  self_service: 'self_service',
};

/** "llamada|sms|email", "Llamada, SMS" → unique channels in the order written. */
export function parseChannels(text: string): Parsed<Channel[]> {
  const out: Channel[] = [];
  for (const part of text.split(/[|,;/+]|\s+y\s+|\s+and\s+/i)) {
    const key = normaliseHeader(part);
    if (key === '') continue;
    const ch = CHANNELS[key];
    if (!ch) return fail(`"${part.trim()}" no es un canal (llamada, sms, email, whatsapp, visita, carta)`);
    if (!out.includes(ch)) out.push(ch);
  }
  return ok(out);
}

const COUNTRY_NAMES: Record<string, string> = {
  colombia: 'CO',
  mexico: 'MX',
  peru: 'PE',
  chile: 'CL',
  estados_unidos: 'US',
  eeuu: 'US',
  ee_uu: 'US',
  usa: 'US',
  united_states: 'US',
  ecuador: 'EC',
  panama: 'PA',
  guatemala: 'GT',
  el_salvador: 'SV',
  honduras: 'HN',
  nicaragua: 'NI',
  costa_rica: 'CR',
  republica_dominicana: 'DO',
  puerto_rico: 'PR',
  bolivia: 'BO',
  paraguay: 'PY',
  uruguay: 'UY',
  venezuela: 'VE',
  argentina: 'AR',
  espana: 'ES',
};

/** ISO alpha-2 ("co", "CO") or the country's name in Spanish or English ("México"). */
export function parseCountry(text: string): Parsed<string> {
  const t = text.trim();
  if (/^[a-z]{2}$/i.test(t)) return ok(t.toUpperCase());
  const code = COUNTRY_NAMES[normaliseHeader(t)];
  return code ? ok(code) : fail(`"${text}" no es un país (use el código ISO de dos letras, p. ej. CO)`);
}

/** Splits a cell that may hold several values ("3001234567 | 3109876543"). */
export function splitMulti(text: string): string[] {
  return text
    .split(/[|;]|\s\/\s/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
