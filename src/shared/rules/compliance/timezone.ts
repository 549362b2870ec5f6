import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Which clock the rules read. The debtor's recorded zone wins; without it, the country of their
 * phone number; without that, the organisation's zone. A country spanning several zones gives all
 * of them, and the contact must be allowed in every one: we cannot tell which the debtor is in,
 * and calling Honolulu at 03:00 because New York says 08:00 is exactly what the law forbids.
 */
export const COUNTRY_ZONES: Readonly<Record<string, ReadonlyArray<string>>> = {
  CO: ['America/Bogota'],
  PE: ['America/Lima'],
  EC: ['America/Guayaquil'],
  PA: ['America/Panama'],
  GT: ['America/Guatemala'],
  SV: ['America/El_Salvador'],
  HN: ['America/Tegucigalpa'],
  NI: ['America/Managua'],
  CR: ['America/Costa_Rica'],
  DO: ['America/Santo_Domingo'],
  PR: ['America/Puerto_Rico'],
  VE: ['America/Caracas'],
  BO: ['America/La_Paz'],
  PY: ['America/Asuncion'],
  UY: ['America/Montevideo'],
  AR: ['America/Argentina/Buenos_Aires'],
  ES: ['Europe/Madrid'],
  CL: ['America/Santiago', 'America/Punta_Arenas', 'Pacific/Easter'],
  MX: ['America/Tijuana', 'America/Hermosillo', 'America/Mazatlan', 'America/Mexico_City', 'America/Cancun'],
  BR: ['America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco', 'America/Noronha'],
  US: [
    'America/New_York',
    'America/Chicago',
    'America/Denver',
    'America/Phoenix',
    'America/Los_Angeles',
    'America/Anchorage',
    'Pacific/Honolulu',
  ],
};

const validity = new Map<string, boolean>();

export function isValidTimeZone(zone: string | null | undefined): zone is string {
  if (!zone) return false;
  let ok = validity.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    validity.set(zone, ok);
  }
  return ok;
}

/** Country of an E.164 number, or null. */
export function phoneCountry(value: string): string | null {
  const n = parsePhoneNumberFromString(value);
  return n?.country ?? null;
}

export type ZoneSource = 'debtor' | 'phone' | 'org' | 'country';

export interface ResolvedZones {
  zones: string[];
  source: ZoneSource;
}

export function resolveZones(args: {
  debtorZone: string | null | undefined;
  phone: string | null | undefined;
  debtorCountry: string | null | undefined;
  orgZone: string | null | undefined;
}): ResolvedZones {
  if (isValidTimeZone(args.debtorZone)) return { zones: [args.debtorZone], source: 'debtor' };
  const fromPhone = args.phone ? phoneCountry(args.phone) : null;
  const phoneZones = fromPhone ? COUNTRY_ZONES[fromPhone] : undefined;
  if (phoneZones) return { zones: [...phoneZones], source: 'phone' };
  if (isValidTimeZone(args.orgZone)) return { zones: [args.orgZone], source: 'org' };
  const countryZones = args.debtorCountry ? COUNTRY_ZONES[args.debtorCountry] : undefined;
  if (countryZones) return { zones: [...countryZones], source: 'country' };
  return { zones: ['UTC'], source: 'org' };
}
