/**
 * How a typed search meets stored national ids, account references and phone numbers: the one
 * rule, used by the local store when it writes its search column and when it reads a query.
 *
 * Agents type ids and numbers the way the caller dictates them: a Chilean RUT as "26627098" for
 * "26.627.098-K", a Colombian cédula with or without its dots, a phone with or without "+57",
 * spaces, dashes or parentheses. Everything punctuation-like is dropped on both sides, so any
 * formatting of the same characters finds the same record.
 */

/** Lower-case, accents stripped: what the agent types matches "Peña", "PENA" and "pena". */
export function foldText(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

export function digitsOnly(s: string): string {
  return s.replace(/\D+/g, '');
}

export function reverseDigits(s: string): string {
  return digitsOnly(s).split('').reverse().join('');
}

/** An id or reference as letters and digits only: "26.627.098-K" → "26627098k", "CC 1.020.304" → "cc1020304". */
export function compactId(s: string): string {
  return foldText(s).replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Agents type the last 7+ digits of a number; fewer are too ambiguous to search as a phone. */
export const PHONE_SUFFIX_MIN = 7;

/** Separates the parts of the stored search text, so a term never matches across two of them. */
const SEP = '\u0001';

/**
 * The folded text the store searches: the name first (the name sort reads it), then the id and
 * reference as written and, where punctuation differs, as letters and digits only.
 */
export function searchText(debtorName: string, nationalId: string, externalRef: string): string {
  const parts = [foldText(debtorName), foldText(nationalId), foldText(externalRef)];
  for (const raw of [nationalId, externalRef]) {
    const compact = compactId(raw);
    if (compact && compact !== foldText(raw)) parts.push(compact);
  }
  return parts.join(SEP);
}

/**
 * Country calling codes of the markets served (Latin America, the US and Spain), longest first
 * so "593" is tried before "59" would be.
 */
const CALLING_CODES = [
  '591',
  '593',
  '595',
  '598',
  '502',
  '503',
  '504',
  '505',
  '506',
  '507',
  '51',
  '52',
  '53',
  '54',
  '55',
  '56',
  '57',
  '58',
  '34',
  '1',
];

/** A national number is at least this long once its country code is gone. */
const NATIONAL_MIN = 8;

/**
 * The digit strings a typed phone number may end a stored number with. A stored number matches
 * when its digits end with any of them; stored numbers keep their country code or not, so the
 * query is tried as typed and without its international prefix ("00"), country code, Mexico's
 * old mobile "1" / "044", Argentina's mobile "9" after +54, and Argentina's national "0 … 15"
 * (011 15-4123-4567 is +54 9 11 4123-4567). Empty when the query is not a phone (letters, or
 * fewer than PHONE_SUFFIX_MIN digits).
 */
export function phoneTails(query: string): string[] {
  if (/\p{L}/u.test(query)) return [];
  let d = digitsOnly(query);
  if (d.length < PHONE_SUFFIX_MIN) return [];
  const out = new Set<string>([d]);
  if (d.startsWith('00')) {
    d = d.slice(2);
    out.add(d);
  }
  for (const code of CALLING_CODES) {
    if (!d.startsWith(code) || d.length - code.length < NATIONAL_MIN) continue;
    const national = d.slice(code.length);
    out.add(national);
    if (code === '54' && national.startsWith('9') && national.length === 11) out.add(national.slice(1));
    if (code === '52' && national.startsWith('1') && national.length === 11) out.add(national.slice(1));
  }
  // national dialling: a trunk "0" (Argentina, Peru), Mexico's "044"/"045" mobile prefix
  if (/^04[45]\d{10}$/.test(d)) out.add(d.slice(3));
  const trunkless = d.replace(/^0+/, '');
  if (trunkless !== d && trunkless.length >= PHONE_SUFFIX_MIN) out.add(trunkless);
  // Argentina: area code (2–4 digits) + "15" + subscriber = 12 digits; the number is the other 10
  if (trunkless.length === 12) {
    for (let area = 2; area <= 4; area++) {
      if (trunkless.slice(area, area + 2) === '15') out.add(trunkless.slice(0, area) + trunkless.slice(area + 2));
    }
  }
  return [...out].filter((t) => t.length >= PHONE_SUFFIX_MIN);
}

/** What one typed search looks for. */
export interface SearchTerms {
  /** Substrings of the stored search text, each already folded (one or two: as typed, and as letters and digits only). */
  text: string[];
  /** Tails of stored phone numbers (digits), when the query reads as a phone. */
  phoneTails: string[];
}

export function searchTerms(query: string): SearchTerms {
  const folded = foldText(query.trim());
  const text = folded ? [folded] : [];
  const compact = compactId(folded);
  // the compact form only helps when the query carries an id's digits ("26.627.098-k", "+57 300…")
  if (compact && compact !== folded && /\p{N}/u.test(compact)) text.push(compact);
  return { text, phoneTails: phoneTails(query) };
}
