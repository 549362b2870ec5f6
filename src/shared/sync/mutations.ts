import { z } from 'zod';
import { AccountStatus, Channel, Disposition } from '../domain/enums';
import { ContactPreferences, HhMm, Id, IsoDate, IsoInstant } from '../domain/entities';
import { MinorAmount } from '../domain/money';
import { MessageChannel } from '../domain/channels';
import { ApprovalRequestArgs } from '../domain/collections';
import { ReceiptIssueArgs, ReceiptVoidArgs } from '../domain/field';

/**
 * Every change a client can make, as named mutations with zod-checked args. The client applies
 * them to its store at once (optimistically) and queues them in its outbox; the server applies
 * each exactly once, in the client's order. Facts (activities, notes, promises) carry
 * client-generated ids and never conflict; the few mutable fields take the server's order.
 */
export const ActivityLogArgs = z.object({
  id: Id,
  accountId: Id,
  channel: Channel,
  direction: z.enum(['outbound', 'inbound']).default('outbound'),
  contactPointId: Id.nullable().default(null),
  address: z.string().nullable().default(null),
  disposition: Disposition.nullable(),
  note: z.string().max(4000).nullable().default(null),
  startedAt: IsoInstant,
  answeredAt: IsoInstant.nullable().default(null),
  endedAt: IsoInstant.nullable().default(null),
  durationSec: z.number().int().nonnegative().nullable().default(null),
  sipStatus: z.number().int().nullable().default(null),
  hangupBy: z.enum(['agent', 'remote', 'system']).nullable().default(null),
  promiseId: Id.nullable().default(null),
  /** A call the agent placed outside the softphone (desk phone, mobile): kept as such in the history. */
  manualDial: z.boolean().default(false),
  /**
   * Logged by hand while the workstation was online, checked there as it was logged: the server
   * refuses it (compliance_blocked) when the rules forbid it and it arrives while the agent is still
   * at the form. Softphone records, offline work and older clients leave it false: the fact is
   * kept and the breach flagged for the team lead (docs/compliance.md).
   */
  loggedOnline: z.boolean().default(false),
});

/**
 * Attaches the agent's disposition to a call the softphone already logged (with disposition
 * null). Set-once: the server (and the client store) ignore it when the activity already has a
 * disposition, so the activity stays append-only in effect.
 */
export const ActivitySetOutcomeArgs = z.object({
  activityId: Id,
  disposition: Disposition,
  note: z.string().max(4000).nullable().default(null),
  promiseId: Id.nullable().default(null),
});

export const NoteAddArgs = z.object({
  id: Id,
  accountId: Id,
  body: z.string().trim().min(1).max(4000),
  createdAt: IsoInstant,
});

export const PromiseCreateArgs = z.object({
  id: Id,
  accountId: Id,
  channel: Channel,
  createdAt: IsoInstant,
  installments: z
    .array(z.object({ dueDate: IsoDate, amountMinor: MinorAmount.positive() }))
    .min(1)
    .max(250),
  planId: Id.nullable().default(null),
});

export const ContactPointFlagArgs = z.object({
  contactPointId: Id,
  invalid: z.boolean().optional(),
  verified: z.boolean().optional(),
  doNotContact: z.boolean().optional(),
});

export const AccountSetCallbackArgs = z.object({
  accountId: Id,
  callbackAt: IsoInstant.nullable(),
  note: z.string().max(1000).nullable().default(null),
});

export const AccountSetStatusArgs = z.object({
  accountId: Id,
  status: AccountStatus,
  reason: z.string().max(1000).nullable().default(null),
});

export const DebtorSetPreferencesArgs = z.object({
  debtorId: Id,
  contactPrefs: ContactPreferences,
});

/**
 * An SMS, WhatsApp or e-mail from an organisation template. The client checked compliance before
 * queueing; the server checks again with its full history when it applies it, then sends it
 * through a provider (or records it as blocked). `id` is the message id: it is sent at most once.
 */
export const MessageSendArgs = z
  .object({
    id: Id,
    accountId: Id,
    contactPointId: Id,
    channel: MessageChannel,
    /** The organisation template sent; absent only for WhatsApp free text. */
    templateId: Id.optional(),
    /**
     * WhatsApp only: the agent's own words instead of a template, allowed inside the 24-hour window
     * after the debtor last wrote (src/shared/rules/whatsapp-window.ts; the server refuses it outside).
     */
    freeText: z.boolean().optional(),
    /** The text as the agent previewed it (the server sends its own rendering of the template), or the free text. */
    body: z.string().min(1).max(4000),
    createdAt: IsoInstant,
  })
  .refine((a) => (a.freeText ? a.channel === 'whatsapp' && !a.templateId : !!a.templateId), {
    message: 'a template, or free text on WhatsApp',
    path: ['templateId'],
  });

export const MUTATION_ARGS = {
  'activity.log': ActivityLogArgs,
  'activity.setOutcome': ActivitySetOutcomeArgs,
  'note.add': NoteAddArgs,
  'promise.create': PromiseCreateArgs,
  'contactPoint.flag': ContactPointFlagArgs,
  'account.setCallback': AccountSetCallbackArgs,
  'account.setStatus': AccountSetStatusArgs,
  'debtor.setPreferences': DebtorSetPreferencesArgs,
  /** A negotiation outside the agent's authority, sent to the team lead (made offline too). */
  'approval.request': ApprovalRequestArgs,
  'message.send': MessageSendArgs,
  /** A cash or transfer payment a field collector took, with its numbered receipt (docs/field-collection.md). */
  'receipt.issue': ReceiptIssueArgs,
  /** A receipt annulled by its collector: the number stays used, the payment is reversed. */
  'receipt.void': ReceiptVoidArgs,
} as const;

export type MutationName = keyof typeof MUTATION_ARGS;
export const MUTATION_NAMES = Object.keys(MUTATION_ARGS) as MutationName[];
export type MutationArgs<N extends MutationName> = z.infer<(typeof MUTATION_ARGS)[N]>;

/** One mutation as it travels: `id` is the client's own increasing counter (1, 2, 3 …). */
export const MutationEnvelope = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  args: z.unknown(),
  /** The client's clock when it was made: informational only, never used for ordering. */
  clientTime: IsoInstant,
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

export type ParsedMutation = { [N in MutationName]: { id: number; name: N; args: MutationArgs<N>; clientTime: string } }[MutationName];

export type ParseMutationResult =
  { ok: true; mutation: ParsedMutation } | { ok: false; code: 'unknown_mutation' | 'invalid_args'; message: string; field?: string };

/** Validates a mutation's name and args; used by the client before queueing and by the server before applying. */
export function parseMutation(m: MutationEnvelope): ParseMutationResult {
  const schema = (MUTATION_ARGS as Record<string, z.ZodTypeAny>)[m.name];
  if (!schema) return { ok: false, code: 'unknown_mutation', message: `unknown mutation "${m.name}"` };
  const r = schema.safeParse(m.args);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    return { ok: false, code: 'invalid_args', message: `${m.name}: ${field ?? 'args'}: ${issue?.message ?? 'invalid'}`, field };
  }
  return { ok: true, mutation: { id: m.id, name: m.name, args: r.data, clientTime: m.clientTime } as ParsedMutation };
}

export { HhMm };
