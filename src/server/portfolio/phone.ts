import { getCountries, parsePhoneNumberFromString, type CountryCode as PhoneCountry } from 'libphonenumber-js/max';

/**
 * Phone numbers from spreadsheets come in every shape ("300 123 4567", "(55) 1234-5678",
 * "+56 9 6123 4567", "573001234567.0" from Excel). We keep only numbers libphonenumber's full
 * metadata calls valid, in E.164, using the debtor's country as the default region.
 */

const KNOWN_REGIONS = new Set<string>(getCountries());

export type PhoneResult = { ok: true; e164: string; region: string | undefined } | { ok: false; reason: string };

// A debtor's numbers repeat on each of their accounts' rows; parsing is the parser's main cost.
// Those rows are adjacent, so a few thousand recent numbers catch the repeats: a larger memo only
// held tens of MB through a streamed file of millions of distinct numbers.
const memo = new Map<string, PhoneResult>();
const MEMO_LIMIT = 10_000;

export function normalisePhone(text: string, country: string): PhoneResult {
  const key = `${country}|${text}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const result = normaliseUncached(text, country);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, result);
  return result;
}

function normaliseUncached(text: string, country: string): PhoneResult {
  let raw = text.trim();
  // Spreadsheets that stored the number as a float export "3001234567.0".
  raw = raw.replace(/\.0+$/, '');
  if (raw === '') return { ok: false, reason: 'vacío' };
  // Letters mean a note or an extension; E.164 cannot carry either, so the agent must see it.
  if (/\p{L}/u.test(raw)) {
    return { ok: false, reason: `"${text}" no es un número de teléfono` };
  }
  const region = KNOWN_REGIONS.has(country) ? (country as PhoneCountry) : undefined;
  // A number with the country code but without '+' ("573001234567") is common in CRM exports.
  const parsed = parsePhoneNumberFromString(raw, region) ?? (raw.startsWith('+') ? undefined : parsePhoneNumberFromString(`+${raw}`));
  if (!parsed) return { ok: false, reason: `"${text}" no es un número de teléfono` };
  if (!parsed.isPossible()) return { ok: false, reason: `"${text}" tiene una longitud imposible para ${parsed.country ?? country}` };
  if (!parsed.isValid()) {
    const withPlus = raw.startsWith('+') ? undefined : parsePhoneNumberFromString(`+${raw}`);
    if (withPlus?.isValid()) return { ok: true, e164: withPlus.number, region: withPlus.country };
    return { ok: false, reason: `"${text}" no es un número válido en ${parsed.country ?? country}` };
  }
  return { ok: true, e164: parsed.number, region: parsed.country };
}

export function isValidMobile(e164: string): boolean {
  const p = parsePhoneNumberFromString(e164);
  if (!p?.isValid()) return false;
  const t = p.getType();
  return t === 'MOBILE' || t === 'FIXED_LINE_OR_MOBILE';
}
