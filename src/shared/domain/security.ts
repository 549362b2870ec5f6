import { z } from 'zod';

/** Why a workstation keeps the agent's portfolio locked behind a new login (docs/sync.md, "Locking"). */
export const LockReason = z.enum(['session_expired', 'user_disabled', 'offline_too_long']);
export type LockReason = z.infer<typeof LockReason>;

/** When an administrator's wipe order erases a workstation's store: after its outbox reached the server, or at its next contact. */
export const WipeMode = z.enum(['after_sync', 'immediate']);
export type WipeMode = z.infer<typeof WipeMode>;

/** What the organisation decides about the debtors' data on its workstations (admin; every workstation reads it). */
export const SecurityPolicy = z
  .object({
    /** A workstation without a successful sync (or login) for this many days locks the portfolio until a login; null: never. */
    maxOfflineDays: z.number().int().min(1).max(365).nullable().default(null),
    /** Logout also erases the local store (the portfolio), not only the token and SIP password. */
    eraseOnLogout: z.boolean().default(false),
    /** How a wipe order is carried out when the order does not name a mode. */
    wipeMode: WipeMode.default('after_sync'),
  })
  .strict();
export type SecurityPolicy = z.infer<typeof SecurityPolicy>;

/** An administrator's wipe order for every workstation of one user; without a mode, the organisation's wipeMode. */
export const WipeOrderRequest = z.object({ mode: WipeMode.optional() }).strict();
export type WipeOrderRequest = z.infer<typeof WipeOrderRequest>;

export const WipeOrder = z.object({
  userId: z.string().uuid(),
  mode: WipeMode,
  orderedAt: z.string(),
});
export type WipeOrder = z.infer<typeof WipeOrder>;

/** One wipe order as the administrators' screen lists it: whose, by whom, and whether it was carried out yet. */
export const WipeOrderEntry = WipeOrder.extend({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  orderedBy: z.string(),
  /** When the first of the user's sessions received it (its store erased); null while pending. */
  doneAt: z.string().nullable(),
});
export type WipeOrderEntry = z.infer<typeof WipeOrderEntry>;
export const WipeOrderList = z.object({ orders: z.array(WipeOrderEntry) });
