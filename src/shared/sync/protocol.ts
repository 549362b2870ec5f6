import { z } from 'zod';
import { Account, Activity, ContactPoint, Debtor, Id, IsoInstant, Note, Payment, PaymentPromise } from '../domain/entities';
import { AccountScore } from '../risk/score';
import { MutationEnvelope } from './mutations';
import { Snapshot } from './snapshot';
import { ContactHabits } from '../rules/contact-habits';

/**
 * Push/pull sync between a client store and the central server (after Replicache):
 * - push: the client sends its outbox in order; the server applies each mutation exactly once,
 *   committing the client's last applied mutation id in the same transaction as the data.
 *   A replayed id is acknowledged without being applied; an id beyond last+1 is refused.
 *   A mutation the server understands but refuses (bad args, no rights) is recorded as
 *   rejected and acknowledged, so it never blocks the queue; the client shows it to the agent.
 * - pull: the client sends its opaque cursor; the server answers with every change visible to
 *   the user since then (server order, never the client's clock), in pages, plus accounts that
 *   left the user's view.
 */
export const PROTOCOL_VERSION = 1;

export const PushRequest = z.object({
  protocolVersion: z.number().int(),
  clientId: Id,
  mutations: z.array(MutationEnvelope).max(5000),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const MutationResult = z.object({
  id: z.number().int().positive(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).optional(),
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  /** Highest mutation id of this client the server has processed (applied or rejected). */
  lastMutationId: z.number().int().nonnegative(),
  results: z.array(MutationResult),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const PullRequest = z.object({
  protocolVersion: z.number().int(),
  clientId: Id,
  /** Opaque; null for a first (full) pull. */
  cursor: z.string().nullable(),
  /** Page size hint in accounts. */
  limit: z.number().int().positive().max(20000).optional(),
  /**
   * The client reads the bulk rows of a full pull as tuples (`snapshot`, see snapshot.ts);
   * without it they come as objects in `patch`, as they always did.
   */
  tuples: z.boolean().optional(),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const Patch = z.object({
  debtors: z.array(Debtor),
  accounts: z.array(Account),
  contactPoints: z.array(ContactPoint),
  activities: z.array(Activity),
  notes: z.array(Note),
  payments: z.array(Payment),
  promises: z.array(PaymentPromise),
  /** Best hours, recommended channel and rule segment of the debtors (contact_habits; absent from older servers). */
  contactHabits: z.array(ContactHabits).optional(),
  /** Risk scores of the accounts (docs/risk.md); absent from servers before them. */
  scores: z.array(AccountScore).optional(),
  /** Accounts no longer visible to this user (reassigned away, closed out of view). */
  removedAccountIds: z.array(Id),
});
export type Patch = z.infer<typeof Patch>;

/**
 * Tokens of the organisation data a workstation caches beside its store (negotiation policies,
 * message templates, compliance rules) and of the caller's own approval requests. They change
 * when that data does; the workstation fetches only what changed, so a sync with nothing new is
 * one request.
 */
export const OrgDataVersions = z.object({
  policies: z.string(),
  templates: z.string(),
  compliance: z.string(),
  approvals: z.string(),
});
export type OrgDataVersions = z.infer<typeof OrgDataVersions>;

export const PullResponse = z.object({
  cursor: z.string(),
  /** More pages follow: pull again at once with the new cursor. */
  hasMore: z.boolean(),
  /** When true the client must drop its synced data (not its outbox) before applying the patch. */
  reset: z.boolean(),
  /** Last mutation id of this client the server has processed, to trim the outbox. */
  lastMutationId: z.number().int().nonnegative(),
  /** Progress of a paged full pull: accounts sent so far and in all. */
  progress: z.object({ done: z.number().int(), total: z.number().int() }).optional(),
  serverTime: IsoInstant,
  patch: Patch,
  /** Pages of a full pull asked for with `tuples`: debtors, accounts and contact points (patch has the rest). */
  snapshot: Snapshot.optional(),
  /** On every answer but the later pages of a full pull (absent from older servers). */
  orgData: OrgDataVersions.optional(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Error body of every non-2xx answer of the REST API. */
export const ApiError = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    /** For `update_required`: the protocol version the server speaks. */
    protocolVersion: z.number().int().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiError>;

export function emptyPatch(): Patch {
  return { debtors: [], accounts: [], contactPoints: [], activities: [], notes: [], payments: [], promises: [], removedAccountIds: [] };
}
