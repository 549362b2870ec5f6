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

/** Agents type the last 7+ digits of a number; fewer are too ambiguous to search as a phone. */
export const PHONE_SUFFIX_MIN = 7;
