import { z } from 'zod';
import type { Debtor } from '../domain/entities';
import { localClock, localToUtc } from './clock';
import { checkContact } from './compliance/check';
import type { ComplianceOverrideInput } from './compliance/types';

/**
 * Best time to contact (docs/contact-habits.md). A debtor's week is 168 hour cells, indexed
 * `weekday × 24 + hour` (0 = Sunday 00:00–00:59) in the DEBTOR's time zone. Each cell's
 * right-party-contact (RPC) rate is estimated with beta priors stacked three levels deep, so a
 * debtor with two calls looks like their segment and one with forty looks like themselves:
 *
 *   p_seg(h)    = (R_seg(h)   + M · p_seg)      / (A_seg(h)   + M)     segment, hour of day h
 *   p_deb(h)    = (R_deb(h)   + M · p_seg(h))   / (A_deb(h)   + M)     debtor, hour of day h
 *   p_deb(d, h) = (R_deb(d,h) + M · p_deb(h))   / (A_deb(d,h) + M)     debtor, weekday d, hour h
 *
 * A = call attempts, R = right-party contacts among them, p_seg = the segment's overall rate,
 * M = PRIOR_STRENGTH pseudo-attempts. Each level is the posterior mean of a Beta(M·p, M·(1−p))
 * prior centred on the level above. Only hours the law allows (checkContact) may be "best".
 */
export const HOURS_OF_WEEK = 168;
/** How many pseudo-attempts each level's prior weighs: with 4 real attempts a debtor is half themselves. */
export const PRIOR_STRENGTH = 4;
/** How many hour cells a debtor's "best hours" hold (about one good afternoon block over a working week). */
export const BEST_HOURS = 6;

export const HourCounts = z.object({
  /** 0…167, weekday × 24 + hour in the debtor's zone. */
  how: z
    .number()
    .int()
    .min(0)
    .max(HOURS_OF_WEEK - 1),
  attempts: z.number().int().nonnegative(),
  rpc: z.number().int().nonnegative(),
});
export type HourCounts = z.infer<typeof HourCounts>;

/** What the workstation holds per debtor (synced; server table contact_habits). */
export const ContactHabits = z.object({
  debtorId: z.string().uuid(),
  /** Best legal hour cells, best first. Empty: no legal hour to call (e.g. calls not authorised). */
  bestHours: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(HOURS_OF_WEEK - 1),
  ),
  /** Smoothed RPC rate of the best cell and the debtor's own raw counts: the reason in words. */
  bestRate: z.number().min(0).max(1),
  attempts: z.number().int().nonnegative(),
  rpc: z.number().int().nonnegative(),
  /** The segment the rules gave the debtor (segment_rules), or the file's when no rule matched. */
  segment: z.string().min(1),
  /** Recommended channel for the debtor's current stage, with its reason (i18n key + params). */
  channel: z
    .object({
      channel: z.string(),
      stage: z.string(),
      reason: z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }),
    })
    .nullable(),
  computedAt: z.string(),
  /** The server's change version, as every synced row carries it (text: a bigint). */
  version: z.string().regex(/^\d+$/),
});
export type ContactHabits = z.infer<typeof ContactHabits>;

export function hourOfWeek(t: number, zone: string): number {
  const c = localClock(t, zone);
  return c.weekday * 24 + c.hour;
}

/** Beta-prior posterior mean: r successes in a attempts, prior mean p worth m pseudo-attempts. */
export function shrink(r: number, a: number, p: number, m = PRIOR_STRENGTH): number {
  return (r + m * p) / (a + m);
}

function byHourOfDay(cells: ReadonlyArray<HourCounts>): Array<{ a: number; r: number }> {
  const out = Array.from({ length: 24 }, () => ({ a: 0, r: 0 }));
  for (const c of cells) {
    const h = out[c.how % 24]!;
    h.a += c.attempts;
    h.r += c.rpc;
  }
  return out;
}

/** The segment's hour-of-day rates p_seg(h), smoothed towards the segment's overall rate. */
export function segmentPrior(segmentCells: ReadonlyArray<HourCounts>, m = PRIOR_STRENGTH): number[] {
  const hours = byHourOfDay(segmentCells);
  const a = hours.reduce((n, h) => n + h.a, 0);
  const r = hours.reduce((n, h) => n + h.r, 0);
  // an empty segment: an uninformative 0.2, roughly the share of RPC in a collections call centre
  const overall = a > 0 ? r / a : 0.2;
  return hours.map((h) => shrink(h.r, h.a, overall, m));
}

/** p_deb(d, h) for all 168 cells. */
export function smoothedRates(debtorCells: ReadonlyArray<HourCounts>, prior: ReadonlyArray<number>, m = PRIOR_STRENGTH): number[] {
  const hod = byHourOfDay(debtorCells).map((h, i) => shrink(h.r, h.a, prior[i]!, m));
  const cells = new Map(debtorCells.map((c) => [c.how, c]));
  return Array.from({ length: HOURS_OF_WEEK }, (_, how) => {
    const c = cells.get(how);
    return shrink(c?.rpc ?? 0, c?.attempts ?? 0, hod[how % 24]!, m);
  });
}

export interface LegalContext {
  debtor: Pick<Debtor, 'id' | 'country' | 'timeZone' | 'contactPrefs'>;
  org?: { country?: string; timeZone?: string; overrides?: ComplianceOverrideInput };
}

/** A week with no public holiday in it: the weekly pattern of the law, holidays are checked on the day. */
const NO_HOLIDAYS = { isHoliday: () => false };
/** Sunday 2026-06-07: a reference week far from the DST changes of the Americas. */
const REFERENCE_SUNDAY = Date.UTC(2026, 5, 7);
const legalCache = new Map<string, boolean[]>();

/**
 * The hour cells in which checkContact allows a call with an empty history: the whole hour
 * (its first and last minute) inside the legal windows and the debtor's own windows, and the call
 * channel not refused or unauthorised. Caps are not part of the weekly pattern; the queue and the
 * strategies still run checkContact at the moment of contact.
 */
export function legalHours(ctx: LegalContext): boolean[] {
  const key = JSON.stringify([ctx.debtor.country, ctx.debtor.timeZone, ctx.debtor.contactPrefs, ctx.org ?? null]);
  const hit = legalCache.get(key);
  if (hit) return hit;
  const out: boolean[] = [];
  for (let how = 0; how < HOURS_OF_WEEK; how++) {
    const date = new Date(REFERENCE_SUNDAY + Math.floor(how / 24) * 86_400_000).toISOString().slice(0, 10);
    const hh = String(how % 24).padStart(2, '0');
    const ok = [`${hh}:00`, `${hh}:59`].every((hhmm) => {
      const at = localToUtc(date, hhmm, ctx.debtor.timeZone);
      return checkContact({
        channel: 'call',
        contactPoint: null,
        debtor: ctx.debtor,
        account: { id: ctx.debtor.id, status: 'active' },
        history: [],
        org: ctx.org,
        holidays: NO_HOLIDAYS,
        at: new Date(at),
      }).allowed;
    });
    out.push(ok);
  }
  if (legalCache.size > 1000) legalCache.clear();
  legalCache.set(key, out);
  return out;
}

/** The `n` legal cells with the highest smoothed rate, best first (ties: earlier in the week). */
export function bestLegalHours(rates: ReadonlyArray<number>, legal: ReadonlyArray<boolean>, n = BEST_HOURS): number[] {
  return rates
    .map((rate, how) => ({ rate, how }))
    .filter((c) => legal[c.how])
    .sort((a, b) => b.rate - a.rate || a.how - b.how)
    .slice(0, n)
    .map((c) => c.how);
}

/** Whether `t` falls in one of the debtor's best hour cells (their zone). */
export function inBestHour(bestHours: ReadonlyArray<number>, t: number, zone: string): boolean {
  if (bestHours.length === 0) return false;
  try {
    return bestHours.includes(hourOfWeek(t, zone));
  } catch {
    return false;
  }
}

/**
 * The first instant in [from, to) that falls in a best hour cell (on the hour, or `from` itself
 * when it already does), or null. The strategies send inside their window at this instant; the
 * law is still checked by the caller at that instant.
 */
export function firstBestInstant(bestHours: ReadonlyArray<number>, from: number, to: number, zone: string): number | null {
  if (bestHours.length === 0) return null;
  const set = new Set(bestHours);
  if (set.has(hourOfWeek(from, zone))) return from;
  // walk whole hours of the wall clock (aligned by its minute, so half-hour zones work too)
  let t = from - localClock(from, zone).minute * 60_000 - (from % 60_000) + 3_600_000;
  for (; t < to; t += 3_600_000) if (set.has(hourOfWeek(t, zone))) return t;
  return null;
}

const DAY_WORDS: Record<'es' | 'en', string[]> = {
  es: ['dom', 'lun', 'mar', 'mié', 'jue', 'vie', 'sáb'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

function ranges(sorted: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const x of sorted) {
    const last = out.at(-1);
    if (last && x === last[1] + 1) last[1] = x;
    else out.push([x, x]);
  }
  return out;
}

/**
 * The best hours in words, e.g. "mar–jue 18–20 h" (days Tuesday to Thursday, hours 18:00 to
 * 20:00): the days and the hours of the best cells, each collapsed into ranges. A set that is no
 * rectangle reads as its days and hours all the same: a summary for an agent, the cells are exact.
 */
export function describeBestHours(bestHours: ReadonlyArray<number>, lang: 'es' | 'en'): string {
  if (bestHours.length === 0) return '';
  const days = [...new Set(bestHours.map((h) => Math.floor(h / 24)))].sort((a, b) => a - b);
  const hours = [...new Set(bestHours.map((h) => h % 24))].sort((a, b) => a - b);
  const w = DAY_WORDS[lang];
  const dayText = ranges(days)
    .map(([a, b]) => (a === b ? w[a] : `${w[a]}–${w[b]}`))
    .join(', ');
  const hourText = ranges(hours)
    .map(([a, b]) => `${a}–${b + 1}`)
    .join(', ');
  return `${dayText} ${hourText} h`;
}
