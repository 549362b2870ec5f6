import { parsePhoneNumberFromString, type CountryCode as PhoneCountry } from 'libphonenumber-js';
import type { DialPlan } from '../api/contract';

/**
 * Turns the numbers the workstation stores (E.164, see ContactPoint.value) into what the PBX
 * expects to be dialled, and back: caller ids the PBX presents into E.164 to find the account.
 */

/** Internal extensions (supervisor, queues) are dialled as they are, without prefix. */
const EXTENSION = /^[0-9]{2,6}$/;

export type NormaliseResult = { ok: true; e164: string } | { ok: false; reason: 'empty' | 'invalid' };

/** Digits and a leading '+' only; spaces, dashes, dots and brackets are how people write them. */
function clean(raw: string): string {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[^0-9]/g, '');
  return (plus ? '+' : '') + digits;
}

/**
 * E.164 for a number written in any common way; a number without country code is read as a
 * number of `defaultCountry`. "00" international access is accepted too.
 */
export function normaliseToE164(raw: string, defaultCountry: string | null = null): NormaliseResult {
  let s = clean(raw);
  if (s === '' || s === '+') return { ok: false, reason: 'empty' };
  if (s.startsWith('00')) s = `+${s.slice(2)}`;
  const parsed = s.startsWith('+')
    ? parsePhoneNumberFromString(s)
    : defaultCountry
      ? parsePhoneNumberFromString(s, defaultCountry as PhoneCountry)
      : undefined;
  if (!parsed || !parsed.isPossible()) return { ok: false, reason: 'invalid' };
  return { ok: true, e164: parsed.number };
}

export type DialResult =
  { ok: true; dial: string; kind: 'extension' | 'national' | 'international' } | { ok: false; reason: 'empty' | 'invalid' };

/**
 * The dial string for `target` (E.164, any written form, or a short internal extension):
 * numbers of the plan's local country are dialled in national format; others in E.164 with '+'
 * (keepPlus) or with the local country's international access code; then the trunk prefix.
 */
export function toDialString(target: string, plan: DialPlan): DialResult {
  const s = clean(target);
  if (s === '') return { ok: false, reason: 'empty' };
  if (EXTENSION.test(s)) return { ok: true, dial: s, kind: 'extension' };
  const norm = normaliseToE164(s, plan.localCountry);
  if (!norm.ok) return norm;
  const parsed = parsePhoneNumberFromString(norm.e164)!;
  if (plan.localCountry && parsed.country === plan.localCountry) {
    const national = parsed.format('NATIONAL').replace(/[^0-9]/g, '');
    return { ok: true, dial: plan.prefix + national, kind: 'national' };
  }
  if (plan.keepPlus) return { ok: true, dial: plan.prefix + norm.e164, kind: 'international' };
  const idd = plan.localCountry
    ? parsed.format('IDD', { fromCountry: plan.localCountry as PhoneCountry })?.replace(/[^0-9]/g, '')
    : undefined;
  const dial = idd ?? `00${norm.e164.slice(1)}`;
  return { ok: true, dial: plan.prefix + dial, kind: 'international' };
}

/**
 * The caller's number in E.164 from what an incoming INVITE presents (the From user part,
 * possibly with the trunk prefix and in national format). Null for extensions and junk.
 */
export function callerToE164(user: string, plan: DialPlan): string | null {
  const raw = user.trim();
  if (EXTENSION.test(clean(raw))) return null;
  // The trunk prefix is tried off first: "9" + a national number is also a possible number.
  const candidates = plan.prefix && raw.startsWith(plan.prefix) ? [raw.slice(plan.prefix.length), raw] : [raw];
  for (const c of candidates) {
    const norm = normaliseToE164(c, plan.localCountry);
    if (norm.ok) return norm.e164;
  }
  return null;
}
