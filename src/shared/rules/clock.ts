import { tzOffsetMinutes } from '../domain/time';

/**
 * Local calendar reads for the rules' hot paths. Intl's formatToParts costs tens of microseconds
 * and the compliance search reads the clock dozens of times per decision, for every account of a
 * queue, so the zone's UTC offset (from domain/time) is memoised per 15-minute slice of time —
 * every offset change in the tz database falls on a quarter hour — and a slice is only cached
 * when both of its ends agree, so a transition inside it is never hidden.
 */
const SLICE = 15 * 60_000;
const offsets = new Map<string, Map<number, number>>();
const MAX_SLICES_PER_ZONE = 50_000;

export function offsetMinutes(t: number, zone: string): number {
  let byZone = offsets.get(zone);
  if (!byZone) offsets.set(zone, (byZone = new Map()));
  const slice = Math.floor(t / SLICE);
  const cached = byZone.get(slice);
  if (cached !== undefined) return cached;
  const start = slice * SLICE;
  const a = tzOffsetMinutes(start, zone);
  const b = tzOffsetMinutes(start + SLICE - 1000, zone);
  if (a !== b) return tzOffsetMinutes(t, zone);
  if (byZone.size >= MAX_SLICES_PER_ZONE) byZone.clear();
  byZone.set(slice, a);
  return a;
}

export interface LocalClock {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  hour: number;
  minute: number;
}

export function localClock(t: number, zone: string): LocalClock {
  const d = new Date(t + offsetMinutes(t, zone) * 60_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return {
    date: `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${day < 10 ? '0' : ''}${day}`,
    weekday: d.getUTCDay(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}

export function localDateFast(t: number, zone: string): string {
  return localClock(t, zone).date;
}

/**
 * The instant the wall clock in `zone` reads `date` `hhmm`. In a fall-back overlap, the earlier of
 * the two; inside a spring-forward gap (a wall time that never happens), the instant the gap
 * ends — e.g. 00:00 on the day Santiago springs forward is 01:00 -03:00.
 */
export function localToUtc(date: string, hhmm: string, zone: string): number {
  const want = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const guess = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + want * 60_000;
  const offsetsNear = new Set([-86_400_000, 0, 86_400_000].map((d) => offsetMinutes(guess + d, zone)));
  const candidates = [...offsetsNear].map((o) => guess - o * 60_000).sort((a, b) => a - b);
  for (const t of candidates) {
    const c = localClock(t, zone);
    if (c.date === date && c.hour * 60 + c.minute === want) return t;
  }
  // In a gap: the offset changes between the candidates; find the minute it does.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  const after = offsetMinutes(hi, zone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2 / 60_000) * 60_000;
    if (offsetMinutes(mid, zone) === after) hi = mid;
    else lo = mid;
  }
  return hi;
}
