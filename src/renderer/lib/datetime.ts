/**
 * Dates and times as the agent must read them: one format per UI language — dd/mm/aaaa in Spanish,
 * mm/dd/yyyy in English — in the debtor's time zone when it is the debtor's date. Every date on
 * screen goes through here. Instants travel as ISO-8601 UTC, calendar days as 'YYYY-MM-DD'.
 *
 * The day/month/year order is written here rather than left to Intl's `dateStyle`, which differs
 * between ICU versions (es-CO "medium" is "3 dic 2026" in one Chromium and "3/12/2026" in another).
 * Calendar days are written by the shared formatDay, which rule messages and exports use too.
 */
import { formatDay, localDate } from '../../shared/domain/time';

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
  return isEnglish(locale) ? 'en-US' : 'es-CO';
}

function isEnglish(locale: string): boolean {
  return locale.startsWith('en');
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The pattern a person types a date in, as shown in placeholders and messages. */
export function datePattern(locale: string): string {
  return isEnglish(locale) ? 'mm/dd/yyyy' : 'dd/mm/aaaa';
}

/** The day an instant falls on in a zone ("03/12/2026"). */
export function formatDate(iso: string | Date, timeZone: string, locale: string): string {
  return formatDay(localDate(typeof iso === 'string' ? new Date(iso) : iso, timeZone), locale);
}

/** Hours and minutes in a zone ("08:05 a. m." / "08:05 AM"). */
export function formatClock(iso: string | Date, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, { hour: '2-digit', minute: '2-digit' })
    .format(typeof iso === 'string' ? new Date(iso) : iso)
    .replace(/\u00a0|\u202f/g, ' ');
}

/** An instant as date and time in a zone ("03/12/2026 08:05 a. m."). */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  return `${formatDate(iso, timeZone, locale)} ${formatClock(iso, timeZone, locale)}`;
}

/** The zone this workstation runs in: for instants that belong to no debtor (audit logs, admin lists). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function formatTime(instant: Date, timeZone: string, locale: string): string {
  return fmt(locale, timeZone, { hour: '2-digit', minute: '2-digit', weekday: 'short' }).format(instant);
}

/** A calendar day ('YYYY-MM-DD') in the UI language's one format; no zone can move it. */
export function formatCalendarDate(date: string, locale: string): string {
  return formatDay(date, locale);
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

export type ParsedDate = { ok: true; date: string } | { ok: false; reason: 'empty' | 'format' | 'invalid' };

/**
 * What a person typed in a date field, read in the UI language's order: "3/12/2026", "03-12-2026",
 * "03.12.26" and "03122026" are all 3 December 2026 in Spanish. A two-digit
 * year is 20yy. ISO "2026-12-03" is accepted too (pasted from a spreadsheet). Impossible days
 * (31/02) are refused, not rolled over.
 */
export function parseDateInput(text: string, locale: string): ParsedDate {
  const raw = text.trim();
  if (raw === '') return { ok: false, reason: 'empty' };
  let y: number;
  let m: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  const local = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$/.exec(raw);
  const compact = /^(\d{2})(\d{2})(\d{4})$/.exec(raw);
  const hit = local ?? compact;
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (hit) {
    const a = Number(hit[1]);
    const b = Number(hit[2]);
    [d, m] = isEnglish(locale) ? [b, a] : [a, b];
    y = Number(hit[3]);
    if (hit[3]!.length === 2) y += 2000;
  } else {
    return { ok: false, reason: 'format' };
  }
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2999) return { ok: false, reason: 'invalid' };
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return { ok: false, reason: 'invalid' };
  return { ok: true, date: `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}` };
}
