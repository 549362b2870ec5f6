/**
 * Dates and times as the agent must read them: always in the debtor's time zone, formatted by
 * Intl in the UI's language. Instants travel as ISO-8601 UTC, calendar days as 'YYYY-MM-DD'.
 */
const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: string, timeZone: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(uiLocaleTag(locale), { timeZone, ...opts });
    cache.set(key, f);
  }
  return f;
}

function uiLocaleTag(locale: string): string {
  return locale.startsWith('en') ? 'en-US' : 'es-CO';
}

export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatTime(instant: Date, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, { hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(instant);
}

/** A calendar day ('YYYY-MM-DD') shown as a date; built at noon UTC so no zone moves it a day. */
export function formatCalendarDate(date: string, locale: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return fmt(locale, 'UTC', { dateStyle: 'medium' }).format(new Date(Date.UTC(y, m - 1, d, 12)));
}

/** Offset label like "UTC−05:00" for a zone at an instant. */
export function zoneLabel(timeZone: string, instant: Date, locale: string): string {
  const parts = fmt(locale, timeZone, { timeZoneName: 'shortOffset' }).formatToParts(instant);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

export function formatDuration(totalSec: number): string {
  const m = Math.floor(totalSec / 60);
  const s = totalSec % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
