import { currencyDigits, type CurrencyCode } from '../domain/money';

/**
 * An amount written in words, as a receipt states it beside the figures so that a figure cannot
 * be altered by hand ("un millón doscientos mil pesos"). Spanish follows the RAE: "un" before a
 * noun ("veintiún pesos", "ciento un mil", "un millón"), "cien" alone and "ciento" before more,
 * "mil" never "un mil", the long scale (10^9 is "mil millones", 10^12 "un billón") and "de"
 * between a round million and the currency ("un millón de pesos", but "un millón doscientos mil
 * pesos"). The minor part follows the currency: COP and CLP are paid without cents
 * (src/shared/domain/money.ts), so they have none; MXN and USD say "centavos", PEN "céntimos".
 */
export type WordsLanguage = 'es' | 'en';

interface UnitNames {
  one: string;
  other: string;
  minorOne: string;
  minorOther: string;
}

const NAMES: Record<WordsLanguage, Record<CurrencyCode, UnitNames>> = {
  es: {
    COP: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    CLP: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    MXN: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    PEN: { one: 'sol', other: 'soles', minorOne: 'céntimo', minorOther: 'céntimos' },
    USD: { one: 'dólar', other: 'dólares', minorOne: 'centavo', minorOther: 'centavos' },
  },
  en: {
    COP: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    CLP: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    MXN: { one: 'peso', other: 'pesos', minorOne: 'centavo', minorOther: 'centavos' },
    PEN: { one: 'sol', other: 'soles', minorOne: 'céntimo', minorOther: 'céntimos' },
    USD: { one: 'dollar', other: 'dollars', minorOne: 'cent', minorOther: 'cents' },
  },
};

const ES_UNITS = [
  'cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez', 'once', 'doce', 'trece', 'catorce',
  'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro',
  'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve',
]; // prettier-ignore
const ES_TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const ES_HUNDREDS = [
  '', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos',
]; // prettier-ignore

/** 0–999 in Spanish; `apocope` when a noun follows (uno → un, veintiuno → veintiún). */
function esBelowThousand(n: number, apocope: boolean): string {
  if (n === 100) return 'cien';
  const h = Math.floor(n / 100);
  const r = n % 100;
  const parts: string[] = [];
  if (h > 0) parts.push(ES_HUNDREDS[h]!);
  if (r > 0 || h === 0) {
    let w: string;
    if (r < 30) w = ES_UNITS[r]!;
    else {
      const t = Math.floor(r / 10);
      const u = r % 10;
      w = u === 0 ? ES_TENS[t]! : `${ES_TENS[t]} y ${ES_UNITS[u]}`;
    }
    if (apocope) w = w.replace(/veintiuno$/, 'veintiún').replace(/(^|\s)uno$/, '$1un');
    parts.push(w);
  }
  return parts.join(' ');
}

/** 0–999,999 in Spanish ("mil", not "un mil"). */
function esBelowMillion(n: number, apocope: boolean): string {
  const th = Math.floor(n / 1000);
  const r = n % 1000;
  const parts: string[] = [];
  if (th > 0) parts.push(th === 1 ? 'mil' : `${esBelowThousand(th, true)} mil`);
  if (r > 0 || th === 0) parts.push(esBelowThousand(r, apocope));
  return parts.join(' ');
}

/** A whole number in Spanish words, up to 10^18 − 1 (millones, billones on the long scale). */
export function spanishNumber(n: number, apocope = false): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative safe integer: ${n}`);
  const billions = Math.floor(n / 1e12);
  const millions = Math.floor((n % 1e12) / 1e6);
  const rest = n % 1e6;
  const parts: string[] = [];
  if (billions > 0) parts.push(billions === 1 ? 'un billón' : `${esBelowMillion(billions, true)} billones`);
  if (millions > 0) parts.push(millions === 1 ? 'un millón' : `${esBelowMillion(millions, true)} millones`);
  if (rest > 0 || n === 0) parts.push(esBelowMillion(rest, apocope));
  return parts.join(' ');
}

const EN_UNITS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen',
  'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
]; // prettier-ignore
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

function enBelowThousand(n: number): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  const parts: string[] = [];
  if (h > 0) parts.push(`${EN_UNITS[h]} hundred`);
  if (r > 0) parts.push(r < 20 ? EN_UNITS[r]! : EN_TENS[Math.floor(r / 10)]! + (r % 10 ? `-${EN_UNITS[r % 10]}` : ''));
  return parts.join(' ');
}

/** A whole number in English words (short scale, no "and": a cheque's style). */
export function englishNumber(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative safe integer: ${n}`);
  if (n === 0) return 'zero';
  const groups: string[] = [];
  let rest = n;
  for (let i = 0; rest > 0; i++) {
    const g = rest % 1000;
    if (g > 0) groups.unshift(EN_SCALES[i] ? `${enBelowThousand(g)} ${EN_SCALES[i]}` : enBelowThousand(g));
    rest = Math.floor(rest / 1000);
  }
  return groups.join(' ');
}

/** The amount of `minor` units of `currency` in words: "un millón doscientos mil pesos", "ciento un soles con cinco céntimos". */
export function amountInWords(minor: number, currency: CurrencyCode, lang: WordsLanguage): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`not an amount: ${minor}`);
  const names = NAMES[lang][currency];
  const scale = 10 ** currencyDigits(currency);
  const major = Math.floor(minor / scale);
  const cents = minor % scale;
  let text: string;
  if (lang === 'es') {
    const words = spanishNumber(major, true);
    // "un millón de pesos", "dos mil millones de pesos": "de" after a round million or billion
    const de = major > 0 && major % 1e6 === 0 ? ' de' : '';
    text = `${words}${de} ${major === 1 ? names.one : names.other}`;
    if (cents > 0) text += ` con ${spanishNumber(cents, true)} ${cents === 1 ? names.minorOne : names.minorOther}`;
  } else {
    text = `${englishNumber(major)} ${major === 1 ? names.one : names.other}`;
    if (cents > 0) text += ` and ${englishNumber(cents)} ${cents === 1 ? names.minorOne : names.minorOther}`;
  }
  return text;
}
