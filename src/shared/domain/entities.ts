import { z } from 'zod';
import { CurrencyCode, MinorAmount } from './money';
import { AccountStatus, Channel, ContactKind, CountryCode, DebtorType, Disposition, PromiseStatus, Role, Segment } from './enums';
import { MessageStatus } from './message-status';

/** Entities as they travel between server, client store and UI (camelCase, money in minor units). */

export const Id = z.string().uuid();
export const IsoInstant = z.string().datetime({ offset: true });
// A calendar day that exists (2026-02-30 and 2026-13-01 do not), leap years included. A pattern,
// not a refinement, so the compiled check of a full pull (src/main/sync/snapshot-check.ts, from
// this schema's JSON Schema) refuses exactly what zod refuses.
const DAY_THAT_EXISTS = new RegExp(
  '^(?:\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))' +
    '|(?:\\d{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$',
);
export const IsoDate = z.string().regex(DAY_THAT_EXISTS, 'date as YYYY-MM-DD, a day that exists');
export const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:mm');
/** Server change sequence, as a decimal string (a bigint on the server). */
export const Version = z.string().regex(/^\d+$/);

export const User = z.object({
  id: Id,
  orgId: Id,
  teamId: Id.nullable(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
});
export type User = z.infer<typeof User>;

/** Hours and days the debtor asked to be contacted in, in their own time zone. */
export const ContactWindow = z.object({
  /** 0 = Sunday … 6 = Saturday */
  days: z.array(z.number().int().min(0).max(6)).min(1),
  from: HhMm,
  to: HhMm,
});
export type ContactWindow = z.infer<typeof ContactWindow>;

export const ContactPreferences = z.object({
  /** Channels the debtor authorised (Colombia's Ley 2300 requires it). Empty = none recorded. */
  authorizedChannels: z.array(Channel).default([]),
  preferredChannel: Channel.nullable().default(null),
  windows: z.array(ContactWindow).default([]),
  /** Day of month the debtor prefers to pay on. */
  preferredPaymentDay: z.number().int().min(1).max(31).nullable().default(null),
  /**
   * Channels the debtor refused (an opt-out reply such as "BAJA" or "STOP", src/shared/rules/opt-out.ts):
   * a legal instruction, blocked by checkContact whatever else says the channel is allowed. Absent = none
   * (optional, so the stores and fixtures written before it stay valid).
   */
  refusedChannels: z.array(Channel).optional(),
  /**
   * Of refusedChannels, those the debtor refused by their own word in a reply: the debtor may take
   * these back by a word ("ALTA", "START", src/shared/rules/opt-out.ts). A refusal recorded any other
   * way (an agent taking down the debtor's legal instruction) is not in this list and only a person
   * can lift it. Optional for the same reason as refusedChannels.
   */
  refusedByReply: z.array(Channel).optional(),
});
export type ContactPreferences = z.infer<typeof ContactPreferences>;

export const Debtor = z.object({
  id: Id,
  orgId: Id,
  externalId: z.string().min(1),
  name: z.string().min(1),
  nationalId: z.string().min(1),
  country: CountryCode,
  /** IANA zone, e.g. America/Bogota. */
  timeZone: z.string().min(1),
  debtorType: DebtorType,
  segment: Segment,
  contactPrefs: ContactPreferences,
  version: Version,
});
export type Debtor = z.infer<typeof Debtor>;

export const Account = z.object({
  id: Id,
  orgId: Id,
  debtorId: Id,
  externalRef: z.string().min(1),
  product: z.string().min(1),
  currency: CurrencyCode,
  principalMinor: MinorAmount,
  balanceMinor: MinorAmount,
  /** Oldest unpaid due date; days past due are derived from it in the debtor's time zone. */
  dueDate: IsoDate.nullable(),
  installmentsTotal: z.number().int().nonnegative(),
  installmentsPaid: z.number().int().nonnegative(),
  installmentAmountMinor: MinorAmount.nullable(),
  status: AccountStatus,
  assignedAgentId: Id.nullable(),
  callbackAt: IsoInstant.nullable(),
  callbackNote: z.string().nullable(),
  lastContactAt: IsoInstant.nullable(),
  version: Version,
});
export type Account = z.infer<typeof Account>;

export const ContactPoint = z.object({
  id: Id,
  debtorId: Id,
  kind: ContactKind,
  /** E.164 for phone and WhatsApp, lower-cased address for email, free text for postal addresses. */
  value: z.string().min(1),
  label: z.string().nullable(),
  verified: z.boolean(),
  invalid: z.boolean(),
  doNotContact: z.boolean(),
  version: Version,
});
export type ContactPoint = z.infer<typeof ContactPoint>;

/** Every contact attempt and its outcome. Append-only: never edited, never deleted. */
export const Activity = z.object({
  id: Id,
  accountId: Id,
  agentId: Id,
  channel: Channel,
  direction: z.enum(['outbound', 'inbound']),
  contactPointId: Id.nullable(),
  /** The number or address actually used, kept even if the contact point changes later. */
  address: z.string().nullable(),
  disposition: Disposition.nullable(),
  note: z.string().max(4000).nullable(),
  startedAt: IsoInstant,
  answeredAt: IsoInstant.nullable(),
  endedAt: IsoInstant.nullable(),
  durationSec: z.number().int().nonnegative().nullable(),
  sipStatus: z.number().int().nullable(),
  hangupBy: z.enum(['agent', 'remote', 'system']).nullable(),
  promiseId: Id.nullable(),
  /** A call placed outside the softphone, logged by hand. */
  manualDial: z.boolean().default(false),
  /** When the server accepted it; null while it only exists on the client. */
  recordedAt: IsoInstant.nullable(),
  /**
   * A message's delivery status as its provider last reported it (src/shared/domain/message-status.ts),
   * and the provider's reason when it failed; absent or null for everything but messages.
   */
  messageStatus: MessageStatus.nullable().optional(),
  messageError: z.string().nullable().optional(),
  version: Version,
});
export type Activity = z.infer<typeof Activity>;

export const Note = z.object({
  id: Id,
  accountId: Id,
  authorId: Id,
  body: z.string().min(1).max(4000),
  createdAt: IsoInstant,
  recordedAt: IsoInstant.nullable(),
  version: Version,
});
export type Note = z.infer<typeof Note>;

export const Payment = z.object({
  id: Id,
  accountId: Id,
  /** The payer's bank / core-banking reference; payments are idempotent by it. */
  reference: z.string().min(1),
  amountMinor: MinorAmount,
  currency: CurrencyCode,
  paidAt: IsoInstant,
  reversedAt: IsoInstant.nullable(),
  version: Version,
});
export type Payment = z.infer<typeof Payment>;

export const PromiseInstallment = z.object({
  seq: z.number().int().positive(),
  dueDate: IsoDate,
  amountMinor: MinorAmount,
  paidMinor: MinorAmount,
  status: PromiseStatus,
});
export type PromiseInstallment = z.infer<typeof PromiseInstallment>;

/** A promise to pay: one payment or a series. Its status is decided by the server. */
export const PaymentPromise = z.object({
  id: Id,
  accountId: Id,
  agentId: Id,
  channel: Channel,
  currency: CurrencyCode,
  createdAt: IsoInstant,
  status: PromiseStatus,
  installments: z.array(PromiseInstallment).min(1),
  /** Set when the promise comes from an agreed payment plan. */
  planId: Id.nullable(),
  version: Version,
});
export type PaymentPromise = z.infer<typeof PaymentPromise>;
