import { z } from 'zod';

/** Why a workstation keeps the agent's portfolio locked behind a new login (docs/sync.md, "Locking"). */
export const LockReason = z.enum(['session_expired', 'user_disabled', 'offline_too_long']);
export type LockReason = z.infer<typeof LockReason>;

/** What the organisation decides about the debtors' data on its workstations (admin; every workstation reads it). */
export const SecurityPolicy = z.object({
  /** A workstation without a successful sync (or login) for this many days locks the portfolio until a login; null: never. */
  maxOfflineDays: z.number().int().min(1).max(365).nullable().default(null),
}).strict();
export type SecurityPolicy = z.infer<typeof SecurityPolicy>;
