/**
 * Check digits of Latin American national and tax ids, so demo data looks like what a core
 * banking export contains and validators that check them accept it.
 */

/** Chile RUT/RUN: modulus 11 with weights 2..7 from the right; 10 is 'K', 11 is '0'. */
export function rutCheckDigit(body: number): string {
  let sum = 0;
  let weight = 2;
  for (const d of String(body).split('').reverse()) {
    sum += Number(d) * weight;
    weight = weight === 7 ? 2 : weight + 1;
  }
  const r = 11 - (sum % 11);
  return r === 11 ? '0' : r === 10 ? 'K' : String(r);
}

/** "12.345.678-5" */
export function formatRut(body: number): string {
  return `${String(body).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}-${rutCheckDigit(body)}`;
}

export function isValidRut(text: string): boolean {
  const m = /^(\d{1,2}(?:\.?\d{3}){2})-([\dkK])$/.exec(text.trim());
  if (!m) return false;
  return rutCheckDigit(Number(m[1]!.replace(/\./g, ''))) === m[2]!.toUpperCase();
}

const NIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

/** Colombia NIT verification digit (DIAN), weights from the rightmost digit. */
export function nitCheckDigit(body: number): number {
  const digits = String(body).split('').reverse();
  let sum = 0;
  digits.forEach((d, i) => {
    sum += Number(d) * NIT_WEIGHTS[i]!;
  });
  const r = sum % 11;
  return r > 1 ? 11 - r : r;
}

/** Peru RUC check digit: weights 5,4,3,2,7,6,5,4,3,2 over the first ten digits. */
export function rucCheckDigit(first10: string): number {
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(first10[i]) * w[i]!;
  const r = 11 - (sum % 11);
  return r === 10 ? 0 : r === 11 ? 1 : r;
}

const CURP_ALPHABET = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/** Mexico CURP 18th character, from the first 17. */
export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(first17[i]!) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

export function isValidCurp(text: string): boolean {
  if (!/^[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z\d]\d$/.test(text)) return false;
  return curpCheckDigit(text.slice(0, 17)) === text[17];
}

function plain(word: string): string {
  return word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function firstInnerVowel(word: string): string {
  return /[AEIOU]/.exec(word.slice(1))?.[0] ?? 'X';
}

function firstInnerConsonant(word: string): string {
  return /[B-DF-HJ-NP-TV-Z]/.exec(word.slice(1))?.[0] ?? 'X';
}

/**
 * A structurally valid CURP for the given person: name letters, birth date, sex, state,
 * inner consonants, homoclave, check digit (the real homoclave is assigned by RENAPO).
 */
export function buildCurp(p: {
  given: string;
  surname1: string;
  surname2: string;
  birth: string;
  sex: 'H' | 'M';
  state: string;
  homoclave: string;
}): string {
  const g = plain(p.given);
  const s1 = plain(p.surname1);
  const s2 = plain(p.surname2);
  const [y, m, d] = p.birth.split('-');
  const head =
    `${s1[0] ?? 'X'}${firstInnerVowel(s1)}${s2[0] ?? 'X'}${g[0] ?? 'X'}` +
    `${y!.slice(2)}${m}${d}${p.sex}${p.state}` +
    `${firstInnerConsonant(s1)}${firstInnerConsonant(s2)}${firstInnerConsonant(g)}${p.homoclave}`;
  return head + curpCheckDigit(head);
}
