import type { ContactWindow } from '../../domain/entities';
import { dayWord } from './words';
import type { Channel } from '../../domain/enums';
import { addDays } from '../../domain/time';
import { localClock, localToUtc } from '../clock';
import type { HolidayCalendar } from './holidays';
import type { ComplianceProfile, FrequencyCap, HourRule, Reason } from './types';

/**
 * The time-dependent ("soft") rules: hours, days, holidays, the debtor's windows and frequency
 * caps. Each failing rule also says the earliest instant it could pass, which makes the search
 * for nextAllowedAt a handful of jumps instead of a minute-by-minute scan.
 */

export interface PastContact {
  at: number;
  channel: Channel;
  conversation: boolean;
  accountId: string;
  inbound: boolean;
  agentId?: string | null;
}

export interface SoftContext {
  profile: ComplianceProfile & { closedDates: ReadonlyArray<string> };
  channel: Channel;
  accountId: string;
  zones: ReadonlyArray<string>;
  holidays: HolidayCalendar;
  windows: ReadonlyArray<ContactWindow>;
  history: ReadonlyArray<PastContact>;
}

export interface SoftFailure extends Reason {
  /** Earliest instant (ms) at which this rule could pass; Infinity when not within the horizon. */
  bound: number;
}

const DAY_NAMES_ES = ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'];
const DAY_NAMES_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** How far forward bounds look; nextAllowedAt is searched within the same horizon. */
export const HORIZON_DAYS = 60;

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, '0');

/** Holidays close an hour rule's day; the organisation's closed dates are their own rule. */
function dayClosed(ctx: SoftContext, rule: HourRule | null, date: string): boolean {
  return !!rule?.closedOnHolidays && !!ctx.profile.holidayCountry && ctx.holidays.isHoliday(ctx.profile.holidayCountry, date);
}

/** Earliest opening of `rule` strictly after `t` in `zone`, scanning day by day. */
function nextOpening(
  ctx: SoftContext,
  rule: HourRule | null,
  zone: string,
  t: number,
  startDate: string,
  startWeekday: number,
  intervalsOf: (weekday: number) => ReadonlyArray<{ from: string; to: string }>,
): number {
  for (let k = 0; k <= HORIZON_DAYS; k++) {
    const date = addDays(startDate, k);
    if (dayClosed(ctx, rule, date)) continue;
    let best = Infinity;
    for (const iv of intervalsOf((startWeekday + k) % 7)) {
      const open = localToUtc(date, iv.from, zone);
      if (open > t && open < best) best = open;
    }
    if (best < Infinity) return best;
  }
  return Infinity;
}

function hourFailure(ctx: SoftContext, rule: HourRule, zone: string, t: number): SoftFailure | null {
  if (!rule.channels.includes(ctx.channel)) return null;
  const p = localClock(t, zone);
  const hours = rule.week[p.weekday] ?? null;
  const m = p.hour * 60 + p.minute;
  let ruleId: string;
  let es: string;
  let en: string;
  if (dayClosed(ctx, rule, p.date)) {
    ruleId = `${rule.id}.holiday`;
    es = `Día festivo (${p.date}). ${rule.es}`;
    en = `Public holiday (${p.date}). ${rule.en}`;
  } else if (!hours) {
    ruleId = `${rule.id}.day`;
    es = `No se permite gestionar el ${DAY_NAMES_ES[p.weekday]}. ${rule.es}`;
    en = `No contact allowed on ${DAY_NAMES_EN[p.weekday]}. ${rule.en}`;
  } else if (m < toMinutes(hours.from) || m >= toMinutes(hours.to)) {
    ruleId = `${rule.id}.time`;
    es = `Fuera de horario: son las ${pad(p.hour)}:${pad(p.minute)} en ${zone}. ${rule.es}`;
    en = `Outside hours: it is ${pad(p.hour)}:${pad(p.minute)} in ${zone}. ${rule.en}`;
  } else {
    return null;
  }
  const bound = nextOpening(ctx, rule, zone, t, p.date, p.weekday, (wd) => {
    const iv = rule.week[wd];
    return iv ? [iv] : [];
  });
  return { ruleId, es, en, bound };
}

/** Closed dates of the organisation apply to every channel, hour rule or not. */
function closedDateFailure(ctx: SoftContext, zone: string, t: number): SoftFailure | null {
  const p = localClock(t, zone);
  if (!ctx.profile.closedDates.includes(p.date)) return null;
  let k = 1;
  while (k <= HORIZON_DAYS && ctx.profile.closedDates.includes(addDays(p.date, k))) k++;
  return {
    ruleId: 'org.closed_date',
    es: `La organización no gestiona el ${dayWord(p.date, 'es')}`,
    en: `The organisation does not contact debtors on ${dayWord(p.date, 'en')}`,
    bound: k > HORIZON_DAYS ? Infinity : localToUtc(addDays(p.date, k), '00:00', zone),
  };
}

/** A window whose `from` is after its `to` covers the start and the end of the same listed day. */
function windowIntervals(w: ContactWindow): Array<{ from: string; to: string }> {
  return toMinutes(w.from) < toMinutes(w.to)
    ? [{ from: w.from, to: w.to }]
    : [
        { from: '00:00', to: w.to },
        { from: w.from, to: '23:59' },
      ];
}

function windowFailure(ctx: SoftContext, zone: string, t: number): SoftFailure | null {
  if (ctx.windows.length === 0) return null;
  const p = localClock(t, zone);
  const m = p.hour * 60 + p.minute;
  const inside = ctx.windows.some(
    (w) =>
      w.days.includes(p.weekday) && windowIntervals(w).some((iv) => m >= toMinutes(iv.from) && (m < toMinutes(iv.to) || iv.to === '23:59')),
  );
  if (inside) return null;
  const bound = nextOpening(ctx, null, zone, t, p.date, p.weekday, (wd) =>
    ctx.windows.filter((w) => w.days.includes(wd)).flatMap(windowIntervals),
  );
  const list = ctx.windows.map((w) => `${w.days.map((d) => DAY_NAMES_ES[d]?.slice(0, 3)).join(',')} ${w.from}–${w.to}`).join('; ');
  const listEn = ctx.windows.map((w) => `${w.days.map((d) => DAY_NAMES_EN[d]?.slice(0, 3)).join(',')} ${w.from}–${w.to}`).join('; ');
  return {
    ruleId: 'debtor.window',
    es: `Fuera de las franjas que eligió el deudor (${list})`,
    en: `Outside the contact windows the debtor chose (${listEn})`,
    bound,
  };
}

/** The contact that holds a failing cap on `date`: the latest of those that make it fail. */
function capHolder<E extends { date: string; channel: Channel; at: number }>(
  cap: FrequencyCap,
  channel: Channel,
  events: ReadonlyArray<E>,
  date: string,
): E | null {
  const first = addDays(date, -(cap.windowDays - 1));
  const blocking = events.filter((e) => e.date >= first && e.date <= date && (cap.kind !== 'single_channel' || e.channel !== channel));
  return blocking.reduce<E | null>((latest, e) => (!latest || e.at > latest.at ? e : latest), null);
}

function capPasses(
  cap: FrequencyCap,
  channel: Channel,
  eventsOnDates: ReadonlyArray<{ date: string; channel: Channel }>,
  date: string,
): boolean {
  const first = addDays(date, -(cap.windowDays - 1));
  const inWindow = eventsOnDates.filter((e) => e.date >= first && e.date <= date);
  switch (cap.kind) {
    case 'count':
      return inWindow.length < cap.blockAt;
    case 'single_channel':
      return inWindow.every((e) => e.channel === channel);
    case 'min_gap':
      return inWindow.length === 0;
  }
}

/** Local dates of past contacts, memoised per context: the search re-reads them on every jump. */
const eventDates = new WeakMap<SoftContext, Map<string, Map<PastContact, string>>>();
function eventDate(ctx: SoftContext, e: PastContact, zone: string): string {
  let byZone = eventDates.get(ctx);
  if (!byZone) eventDates.set(ctx, (byZone = new Map()));
  let dates = byZone.get(zone);
  if (!dates) byZone.set(zone, (dates = new Map()));
  let d = dates.get(e);
  if (d === undefined) dates.set(e, (d = localClock(e.at, zone).date));
  return d;
}

function capFailure(ctx: SoftContext, cap: FrequencyCap, zone: string, t: number): SoftFailure | null {
  if (!cap.appliesTo.includes(ctx.channel)) return null;
  const conversationsOnly = cap.kind === 'count' && cap.counts === 'conversations';
  const events = ctx.history
    .filter(
      (e) =>
        cap.counted.includes(e.channel) &&
        (cap.scope === 'debtor' || e.accountId === ctx.accountId) &&
        (conversationsOnly ? e.conversation : !e.inbound),
    )
    .map((e) => ({ date: eventDate(ctx, e, zone), channel: e.channel, at: e.at, accountId: e.accountId, agentId: e.agentId ?? null }));
  const today = localClock(t, zone).date;
  if (capPasses(cap, ctx.channel, events, today)) return null;
  let bound = Infinity;
  for (let k = 1; k <= HORIZON_DAYS + 1; k++) {
    const date = addDays(today, k);
    if (capPasses(cap, ctx.channel, events, date)) {
      bound = localToUtc(date, '00:00', zone);
      break;
    }
  }
  const holder = capHolder(cap, ctx.channel, events, today);
  return {
    ruleId: cap.id,
    es: cap.es,
    en: cap.en,
    bound,
    ...(holder
      ? {
          heldBy: {
            accountId: holder.accountId,
            channel: holder.channel,
            at: new Date(holder.at).toISOString(),
            agentId: holder.agentId,
            freesAt: Number.isFinite(bound) ? new Date(bound).toISOString() : null,
          },
        }
      : {}),
  };
}

/** Every soft rule failing at `t`, each once (the first zone that fails it names it). */
export function softFailures(ctx: SoftContext, t: number): SoftFailure[] {
  const byId = new Map<string, SoftFailure>();
  const add = (f: SoftFailure | null) => {
    if (!f) return;
    const prev = byId.get(f.ruleId);
    if (!prev) byId.set(f.ruleId, f);
    else if (f.bound > prev.bound) {
      prev.bound = f.bound;
      if (f.heldBy) prev.heldBy = f.heldBy;
    }
  };
  for (const zone of ctx.zones) {
    add(closedDateFailure(ctx, zone, t));
    for (const rule of ctx.profile.hourRules) add(hourFailure(ctx, rule, zone, t));
    add(windowFailure(ctx, zone, t));
    for (const cap of ctx.profile.caps) add(capFailure(ctx, cap, zone, t));
  }
  return [...byId.values()];
}

/**
 * Earliest instant ≥ `from` at which every soft rule passes, or null beyond the horizon. Each
 * failing rule fails on the whole span [t, its bound), so jumping to the largest bound skips
 * nothing that could have been allowed.
 */
export function searchNextAllowed(ctx: SoftContext, from: number): number | null {
  const limit = from + HORIZON_DAYS * 86_400_000;
  let t = from;
  for (let i = 0; i < 1000; i++) {
    const fails = softFailures(ctx, t);
    if (fails.length === 0) return t;
    const next = Math.max(...fails.map((f) => f.bound));
    if (!(next > t) || next > limit) return null;
    t = next;
  }
  return null;
}
