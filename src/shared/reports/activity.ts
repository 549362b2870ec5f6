import { z } from 'zod';
import { Id, IsoDate, IsoInstant } from '../domain/entities';
import { Role } from '../domain/enums';
import { addDays, daysBetween, localDate, zonedTimeToUtc } from '../domain/time';

/**
 * The team lead's activity report: per agent, what was done in a period of calendar days of the
 * organisation's time zone (a team shares one working day, whatever the debtors' zones).
 * Definitions live here and in docs/reports.md; the server only counts.
 */
export const MAX_REPORT_DAYS = 92;

export const ReportPeriodPreset = z.enum(['today', '7d', '30d', 'month']);
export type ReportPeriodPreset = z.infer<typeof ReportPeriodPreset>;

/** Either a preset or an explicit from/to (both inclusive, 'YYYY-MM-DD'). */
export const ActivityReportQuery = z
  .object({
    period: ReportPeriodPreset.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period && (q.from || q.to)) ctx.addIssue({ code: 'custom', path: ['period'], message: 'give a period or from/to, not both' });
    if (!q.period && (!q.from || !q.to))
      ctx.addIssue({ code: 'custom', path: [q.from ? 'to' : 'from'], message: 'from and to are both required without a period' });
    if (q.from && q.to) {
      if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to is before from' });
      else if (daysBetween(q.from, q.to) + 1 > MAX_REPORT_DAYS)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `at most ${MAX_REPORT_DAYS} days` });
    }
  });
export type ActivityReportQuery = z.infer<typeof ActivityReportQuery>;

/** Amounts in different currencies are never added together. */
export const MoneyByCurrency = z.array(z.object({ currency: z.string().length(3), amountMinor: z.number().int() }));
export type MoneyByCurrency = z.infer<typeof MoneyByCurrency>;

export const AgentActivity = z.object({
  agentId: Id,
  username: z.string(),
  displayName: z.string(),
  role: Role,
  teamName: z.string().nullable(),
  disabled: z.boolean(),
  /** Now, not in the period: the portfolio the agent holds. */
  assignedAccounts: z.number().int(),
  assignedBalance: MoneyByCurrency,
  /** Calls made (answered or not), messages that left (refused ones excluded), field visits. */
  calls: z.number().int(),
  messages: z.number().int(),
  visits: z.number().int(),
  /** Attempts whose outcome says the agent spoke with the debtor (RIGHT_PARTY_DISPOSITIONS). */
  rightPartyContacts: z.number().int(),
  /** Promises made in the period, and where those promises stand today. */
  promisesMade: z.number().int(),
  promised: MoneyByCurrency,
  promisesKept: z.number().int(),
  promisesPartiallyKept: z.number().int(),
  promisesBroken: z.number().int(),
  promisesPending: z.number().int(),
  /** Payments dated in the period (not reversed) on the accounts the agent holds now. */
  collected: MoneyByCurrency,
  /** Attempts the server recorded although the rules forbade them (offline work). */
  violations: z.number().int(),
  lastActivityAt: IsoInstant.nullable(),
});
export type AgentActivity = z.infer<typeof AgentActivity>;

/** Where a report was read: the primary, or a streaming replica that many seconds behind. */
export const ReportReadFrom = z.object({ source: z.enum(['primary', 'replica']), staleSeconds: z.number().min(0) });
export type ReportReadFrom = z.infer<typeof ReportReadFrom>;

export const ActivityReport = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  agents: z.array(AgentActivity),
  /** Absent from older servers. */
  readFrom: ReportReadFrom.optional(),
});
export type ActivityReport = z.infer<typeof ActivityReport>;

/** The calendar days a query covers, in `timeZone`, as of `now`. */
export function reportDays(q: ActivityReportQuery, timeZone: string, now: Date): { from: string; to: string } {
  if (!q.period) return { from: q.from!, to: q.to! };
  const today = localDate(now, timeZone);
  switch (q.period) {
    case 'today':
      return { from: today, to: today };
    case '7d':
      return { from: addDays(today, -6), to: today };
    case '30d':
      return { from: addDays(today, -29), to: today };
    case 'month':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/** [start, end) instants of the days from..to (inclusive) in `timeZone`. */
export function reportInstants(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: zonedTimeToUtc(from, '00:00', timeZone), end: zonedTimeToUtc(addDays(to, 1), '00:00', timeZone) };
}

/** Right-party contacts per call or visit (messages reach no one to speak with); null when none. */
export function contactRate(a: Pick<AgentActivity, 'calls' | 'visits' | 'rightPartyContacts'>): number | null {
  const attempts = a.calls + a.visits;
  return attempts === 0 ? null : a.rightPartyContacts / attempts;
}

/**
 * Share of the period's promises that have come due and were kept in full; partly kept ones
 * count as not kept (they are shown apart), pending ones are not judged yet. null when none is due.
 */
export function keptRate(a: Pick<AgentActivity, 'promisesKept' | 'promisesPartiallyKept' | 'promisesBroken'>): number | null {
  const due = a.promisesKept + a.promisesPartiallyKept + a.promisesBroken;
  return due === 0 ? null : a.promisesKept / due;
}

/**
 * The agent's own day on the workstation ("Mi día"): counted from the local store, so it includes
 * what was done offline and not yet sent. The day is the workstation's calendar day.
 */
export const MyDay = AgentActivity.pick({
  calls: true,
  messages: true,
  visits: true,
  rightPartyContacts: true,
  promisesMade: true,
  promised: true,
}).extend({ since: IsoInstant });
export type MyDay = z.infer<typeof MyDay>;
