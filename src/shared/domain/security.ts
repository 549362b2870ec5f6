import { z } from 'zod';

/** Why a workstation keeps the agent's portfolio locked behind a new login (docs/sync.md, "Locking"). */
export const LockReason = z.enum(['session_expired', 'user_disabled']);
export type LockReason = z.infer<typeof LockReason>;
