/**
 * Calendar helpers in a given IANA time zone, with Intl only (runs in Node and Chromium).
 * Dates that are calendar days (due dates) travel as 'YYYY-MM-DD'; instants as ISO-8601 UTC.
 */
const dtf = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dtf.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    dtf.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** 'YYYY-MM-DD' */
  date: string;
}

export function localParts(instant: Date | number, timeZone: string): LocalParts {
  const parts = partsFormatter(timeZone).formatToParts(typeof instant === 'number' ? new Date(instant) : instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const year = Number(get('year'));
  const month = Number(get('month'));
  const day = Number(get('day'));
  return {
    year,
    month,
    day,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    second: Number(get('second')),
    weekday: WEEKDAYS[get('weekday')] ?? 0,
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  };
}

/** The calendar date 'YYYY-MM-DD' at `instant` in `timeZone`. */
export function localDate(instant: Date | number, timeZone: string): string {
  return localParts(instant, timeZone).date;
}

/** Offset of `timeZone` from UTC at `instant`, in minutes (e.g. -300 for Bogotá). */
export function tzOffsetMinutes(instant: Date | number, timeZone: string): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  const p = localParts(t, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60000);
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` `hh:mm`. For a wall time that
 * does not exist (spring-forward gap) returns the first instant after the gap.
 */
export function zonedTimeToUtc(date: string, hhmm: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let t = guess - tzOffsetMinutes(guess, timeZone) * 60000;
  // second pass handles instants near an offset change
  t = guess - tzOffsetMinutes(t, timeZone) * 60000;
  const p = localParts(t, timeZone);
  if (p.hour * 60 + p.minute < hh * 60 + mm && p.date === date) {
    // inside a DST gap: move forward by the gap
    t += (hh * 60 + mm - (p.hour * 60 + p.minute)) * 60000;
  }
  return new Date(t);
}

/** Whole days from calendar date a to b ('YYYY-MM-DD'), b - a. */
export function daysBetween(a: string, b: string): number {
  const pa = a.split('-').map(Number) as [number, number, number];
  const pb = b.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(pb[0], pb[1] - 1, pb[2]) - Date.UTC(pa[0], pa[1] - 1, pa[2])) / 86400000);
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Days past due on `today` for an account whose oldest unpaid installment fell due on `dueDate`. */
export function daysPastDue(dueDate: string | null, today: string): number {
  if (!dueDate) return 0;
  return Math.max(0, daysBetween(dueDate, today));
}

/**
 * The one way a calendar day is written for people: dd/mm/aaaa in Spanish, mm/dd/yyyy in English
 * ('YYYY-MM-DD' in, no zone arithmetic). The renderer's date formatter, rule messages, message
 * templates and exports all write days through here.
 */
export function formatDay(date: string, lang: string): string {
  const [y, m, d] = date.split('-');
  return lang.startsWith('en') ? `${m}/${d}/${y}` : `${d}/${m}/${y}`;
}
