import { z } from 'zod';
import { Channel } from '../../domain/enums';
import { HhMm, IsoDate } from '../../domain/entities';

/**
 * Compliance rules are DATA: a lawyer can read profiles.ts line by line against the law it cites,
 * and an organisation can only ADD rules (see mergeProfile), so a merge can never loosen the law.
 */

/** Opening hours of one weekday, half-open [from, to) in the debtor's local time; null = closed all day. */
export const DayHours = z
  .object({ from: HhMm, to: HhMm })
  .refine((h) => h.from < h.to, { path: ['to'], message: 'closing time must be after opening time' })
  .nullable();
export type DayHours = z.infer<typeof DayHours>;

export const LegalText = z.object({
  /** Rule id, stable: tests, audit logs and the UI refer to it. */
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'rule id: lower-case letters, digits, _ . -'),
  /** Legal source (law, article) or "house policy". */
  source: z.string().min(1),
  es: z.string().min(1),
  en: z.string().min(1),
});

export const HourRule = LegalText.extend({
  /** Channels the hour rule covers. */
  channels: z.array(Channel).min(1),
  /** Index 0 = Sunday … 6 = Saturday. */
  week: z.array(DayHours).length(7),
  /** Public holidays of the profile's country are closed all day. */
  closedOnHolidays: z.boolean(),
});
export type HourRule = z.infer<typeof HourRule>;

const CapBase = LegalText.extend({
  /** 'debtor' counts contacts about every debt of the debtor; 'account' only those about this debt. */
  scope: z.enum(['debtor', 'account']),
  /** The cap applies when the contact being checked is on one of these channels. */
  appliesTo: z.array(Channel).min(1),
  /** Past contacts on these channels count towards the cap. */
  counted: z.array(Channel).min(1),
  /**
   * Windows are whole calendar days in the debtor's time zone, ending with the day of the contact
   * being checked (windowDays = 7: that day and the six before it).
   */
  windowDays: z.number().int().min(1).max(366),
});

export const FrequencyCap = z.discriminatedUnion('kind', [
  CapBase.extend({
    kind: z.literal('count'),
    /** What counts: every attempt, or only attempts where a conversation with the debtor happened. */
    counts: z.enum(['attempts', 'conversations']),
    /** Refuse when the window already holds this many counted contacts. */
    blockAt: z.number().int().min(1),
  }),
  /** Refuse when the window holds a counted contact on a channel other than the one being checked. */
  CapBase.extend({ kind: z.literal('single_channel') }),
  /** Refuse when a counted contact lies fewer than windowDays calendar days before. */
  CapBase.extend({ kind: z.literal('min_gap') }),
]);
export type FrequencyCap = z.infer<typeof FrequencyCap>;

export const Party = z.enum(['debtor', 'guarantor', 'co_obligor', 'third_party']);
export type Party = z.infer<typeof Party>;

export const ComplianceProfile = z.object({
  /** ISO country code, or 'default'. */
  country: z.string(),
  /** Public holidays come from this country's calendar. */
  holidayCountry: z.string().nullable(),
  hourRules: z.array(HourRule),
  caps: z.array(FrequencyCap),
  /** Only channels listed in Debtor.contactPrefs.authorizedChannels may be used, even when none are listed. */
  requireAuthorizedChannels: z.boolean(),
  /** Who may be contacted about the debt. */
  allowedParties: z.array(Party).min(1),
  allowedPartiesSource: z.string(),
});
export type ComplianceProfile = z.infer<typeof ComplianceProfile>;

/**
 * What an organisation may add to its country profile. Everything here only narrows: extra hour
 * rules and caps are ANDed with the law's, closed dates close, blocked channels block.
 */
export const ComplianceOverride = z.object({
  hourRules: z.array(HourRule).default([]),
  caps: z.array(FrequencyCap).default([]),
  /** Extra closed calendar days (e.g. company holidays), in the debtor's time zone. */
  closedDates: z.array(IsoDate).default([]),
  requireAuthorizedChannels: z.boolean().default(false),
  blockedChannels: z.array(Channel).default([]),
  /** Parties removed from the profile's allowed parties. */
  disallowedParties: z.array(Party).default([]),
});
export type ComplianceOverride = z.infer<typeof ComplianceOverride>;
export type ComplianceOverrideInput = z.input<typeof ComplianceOverride>;

/** One instant of the compliance check as rules see it: a local calendar day and minute. */
export interface Reason {
  ruleId: string;
  es: string;
  en: string;
  /**
   * A frequency cap's refusal: the past contact that holds it (for the one-channel rule, the
   * latest contact on another channel; otherwise the latest counted contact) — possibly on
   * another account of the same debtor — and the instant the cap frees (null beyond the horizon).
   */
  heldBy?: HeldBy;
}

export interface HeldBy {
  accountId: string;
  channel: Channel;
  at: string;
  /** Who made it, when the caller's history says (null for an unknown agent). */
  agentId: string | null;
  freesAt: string | null;
}
