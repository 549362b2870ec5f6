import { z } from 'zod';

/**
 * Money travels and is stored as integer minor units of the account's currency, so sums and
 * allocations are exact. The number of minor digits is the one people actually pay in
 * (COP and CLP are paid without cents), not always ISO 4217's.
 */
export const CURRENCIES = {
  COP: { digits: 0, locale: 'es-CO' },
  CLP: { digits: 0, locale: 'es-CL' },
  MXN: { digits: 2, locale: 'es-MX' },
  PEN: { digits: 2, locale: 'es-PE' },
  USD: { digits: 2, locale: 'en-US' },
} as const;

export const CurrencyCode = z.enum(['COP', 'CLP', 'MXN', 'PEN', 'USD']);
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/** An amount in minor units: a safe non-negative integer. */
export const MinorAmount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export function currencyDigits(currency: CurrencyCode): number {
  return CURRENCIES[currency].digits;
}

export type ParseAmountResult = { ok: true; minor: number } | { ok: false; reason: string };

/**
 * Parses a decimal amount as written in a spreadsheet ("1500000", "1.500.000,50", "1,500,000.50",
 * "1500000.00") into minor units. Refuses more decimals than the currency is paid in rather than
 * silently rounding a debtor's balance.
 */
export function parseAmount(text: string, currency: CurrencyCode): ParseAmountResult {
  const raw = text.trim().replace(/\s|\$/g, '');
  if (raw === '') return { ok: false, reason: 'empty' };
  if (!/^-?[\d.,]+$/.test(raw)) return { ok: false, reason: 'not a number' };
  if (raw.startsWith('-')) return { ok: false, reason: 'negative' };
  const lastDot = raw.lastIndexOf('.');
  const lastComma = raw.lastIndexOf(',');
  let intPart = raw;
  let fracPart = '';
  const sep = Math.max(lastDot, lastComma);
  if (sep >= 0) {
    const sepChar = raw[sep];
    const otherChar = sepChar === '.' ? ',' : '.';
    const after = raw.slice(sep + 1);
    const sepCount = raw.split(sepChar!).length - 1;
    // A single separator followed by exactly three digits is a thousands separator ("1.500").
    const isThousands = raw.includes(otherChar) ? false : sepCount > 1 || after.length === 3;
    if (isThousands) {
      intPart = raw.split(sepChar!).join('');
      if (raw.includes(otherChar)) return { ok: false, reason: 'not a number' };
    } else {
      intPart = raw.slice(0, sep).split(otherChar).join('');
      fracPart = after;
      if (intPart.includes(sepChar!)) return { ok: false, reason: 'not a number' };
    }
  }
  if (!/^\d+$/.test(intPart) || !/^\d*$/.test(fracPart)) return { ok: false, reason: 'not a number' };
  const digits = currencyDigits(currency);
  const significantFrac = fracPart.replace(/0+$/, '');
  if (significantFrac.length > digits) {
    return { ok: false, reason: `more than ${digits} decimals for ${currency}` };
  }
  const minor = Number(intPart) * 10 ** digits + Number((significantFrac + '0'.repeat(digits)).slice(0, digits) || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, reason: 'too large' };
  return { ok: true, minor };
}

/** Minor units to a plain decimal string ("1500000", "1234.50"). */
export function minorToDecimal(minor: number, currency: CurrencyCode): string {
  const digits = currencyDigits(currency);
  if (digits === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const s = String(abs).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The one money formatter. The amount is written in the currency's own country format when the UI
 * is Spanish (COP "65.385.830", MXN "5,000.50") and in US English otherwise. `code` writes the ISO
 * code instead of the symbol: "$" is the peso of Colombia, Mexico and Chile alike, so wherever
 * amounts of several currencies sit together each one carries its code.
 */
function formatter(currency: CurrencyCode, uiLocale: string, display: 'symbol' | 'code'): Intl.NumberFormat {
  const digits = currencyDigits(currency);
  const locale = uiLocale.startsWith('es') ? CURRENCIES[currency].locale : 'en-US';
  const key = `${locale}|${currency}|${display}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay: display,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(key, f);
  }
  return f;
}

/** Formats minor units in the account's currency, in the UI's language ("$ 1.500.000"). */
export function formatMoney(minor: number, currency: CurrencyCode, uiLocale = 'es'): string {
  return formatter(currency, uiLocale, 'symbol').format(minor / 10 ** currencyDigits(currency));
}

/** The same amount with its ISO code instead of the symbol ("COP 1.500.000"), for places where currencies mix. */
export function formatMoneyCode(minor: number, currency: CurrencyCode, uiLocale = 'es'): string {
  // Intl puts a no-break space between code and amount; a plain one reads (and searches) the same
  return formatter(currency, uiLocale, 'code')
    .format(minor / 10 ** currencyDigits(currency))
    .replace(/\u00a0/g, ' ');
}

export interface CurrencyAmount {
  currency: CurrencyCode;
  amountMinor: number;
}

/**
 * Amounts per currency, summed within each currency and never across ("COP 65.385.830 · MXN 5,000.50"),
 * in the order each currency first appears. One currency alone is still written with its code, so the
 * reader never wonders which peso it is.
 */
export function sumByCurrency(amounts: readonly CurrencyAmount[]): CurrencyAmount[] {
  const totals = new Map<CurrencyCode, number>();
  for (const a of amounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.amountMinor);
  return [...totals].map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

export function formatMoneyTotals(amounts: readonly CurrencyAmount[], uiLocale = 'es'): string {
  return sumByCurrency(amounts)
    .map((a) => formatMoneyCode(a.amountMinor, a.currency, uiLocale))
    .join(' · ');
}
