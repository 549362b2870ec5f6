import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * The debtor's time zone decides when they may be contacted (every law we cover counts hours in
 * the debtor's local time), so a wrong zone is a compliance bug, not a cosmetic one. Countries
 * with one zone default to it; the US and Mexico's non-central regions are derived from the
 * phone's area code; anything else must come explicitly in the file.
 */

export const COUNTRY_DEFAULT_ZONE: Readonly<Record<string, string>> = {
  CO: 'America/Bogota',
  MX: 'America/Mexico_City',
  PE: 'America/Lima',
  CL: 'America/Santiago',
  EC: 'America/Guayaquil',
  PA: 'America/Panama',
  GT: 'America/Guatemala',
  SV: 'America/El_Salvador',
  HN: 'America/Tegucigalpa',
  NI: 'America/Managua',
  CR: 'America/Costa_Rica',
  DO: 'America/Santo_Domingo',
  PR: 'America/Puerto_Rico',
  BO: 'America/La_Paz',
  PY: 'America/Asuncion',
  UY: 'America/Montevideo',
  VE: 'America/Caracas',
  AR: 'America/Argentina/Buenos_Aires',
  ES: 'Europe/Madrid',
};

/** Countries whose default zone is only a fallback: the phone's area code can refine it. */
const REFINE_FROM_PHONE = new Set(['MX']);

function zoneTable(groups: Record<string, string>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [zone, codes] of Object.entries(groups)) for (const c of codes.split(/\s+/)) if (c) m.set(c, zone);
  return m;
}

/**
 * US area codes that lie wholly (or almost wholly) in one zone. Codes split between zones
 * (e.g. 850, 812, 270, 208, 605, 308) are left out on purpose: those debtors need an explicit zone.
 */
const US_AREA_ZONES = zoneTable({
  'America/New_York': `
    212 315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934
    201 551 609 640 732 848 856 862 908 973
    203 475 860 959 339 351 413 508 617 774 781 857 978 401 603 802 207
    215 223 267 272 412 445 484 570 582 610 717 724 814 835 878
    302 240 301 410 443 667 202 276 434 540 571 703 757 804 826 948 304 681
    252 336 472 704 743 828 910 919 980 984 803 839 843 854 864
    229 404 470 478 678 706 762 770 912 943
    239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 863 904 941 954
    216 220 234 283 326 330 380 419 436 440 513 567 614 740 937
    231 248 269 313 517 586 616 679 734 810 947 989
    317 463 765 260 574 502 859 606 423 865`,
  'America/Chicago': `
    217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872
    262 274 414 534 608 715 920 218 320 507 612 651 763 952 319 515 563 641 712
    314 417 557 573 636 660 816 975 479 501 870 225 318 337 504 985
    228 601 662 769 205 251 256 334 659 938 615 629 731 901 931
    210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979
    405 539 572 580 918 316 620 785 913 402 531 701 219`,
  'America/Denver': '303 719 720 983 970 505 575 385 435 801 307 406 915',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles': `
    209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661
    669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951
    206 253 360 425 509 564 458 503 541 971 702 725 775`,
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
});

/** Mexican area codes outside the central zone (Mexico_City is the default). */
const MX_AREA_ZONES = zoneTable({
  'America/Tijuana': '664 665 686 646 615 616 653 658 661',
  'America/Hermosillo': '662 631 632 633 634 637 638 641 642 643 644 645 647',
  'America/Mazatlan': '669 667 668 672 673 687 694 695 696 697 311 319 323 324 612 613 624',
  'America/Chihuahua': '614 625 626 627 628 629 635 636 639 648 649',
  'America/Ciudad_Juarez': '656',
  'America/Cancun': '998 983 984 987',
  'America/Monterrey': '81',
});

function areaZone(e164: string): string | undefined {
  const p = parsePhoneNumberFromString(e164);
  if (!p) return undefined;
  const national = p.nationalNumber;
  if (p.country === 'US') return US_AREA_ZONES.get(national.slice(0, 3));
  if (p.country === 'MX') return MX_AREA_ZONES.get(national.slice(0, 2)) ?? MX_AREA_ZONES.get(national.slice(0, 3));
  return undefined;
}

const canonicalCache = new Map<string, string | undefined>();

/** The canonical spelling of an IANA zone ("america/bogota" → "America/Bogota"), or undefined. */
export function canonicalZone(zone: string): string | undefined {
  const z = zone.trim();
  if (canonicalCache.has(z)) return canonicalCache.get(z);
  let result: string | undefined;
  if (z.includes('/') || z.toUpperCase() === 'UTC') {
    try {
      result = new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
    } catch {
      result = undefined;
    }
  }
  canonicalCache.set(z, result);
  return result;
}

export type ZoneResult = { ok: true; zone: string } | { ok: false; reason: string };

/**
 * The zone for a debtor with no explicit zone: from the first phone whose area code tells, else
 * the country's single zone. The US has no default: guessing Eastern would let calls reach
 * Pacific debtors at 05:00.
 */
export function resolveTimeZone(country: string, phones: readonly string[]): ZoneResult {
  if (country === 'US' || REFINE_FROM_PHONE.has(country)) {
    for (const ph of phones) {
      const z = areaZone(ph);
      if (z) return { ok: true, zone: z };
    }
  }
  const fallback = COUNTRY_DEFAULT_ZONE[country];
  if (fallback) return { ok: true, zone: fallback };
  return {
    ok: false,
    reason:
      country === 'US'
        ? 'no se puede deducir la zona horaria del código de área; indíquela (p. ej. America/New_York)'
        : `sin zona horaria por defecto para ${country}; indíquela (p. ej. America/Bogota)`,
  };
}
