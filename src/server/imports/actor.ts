import type { Db } from '../db';

/**
 * Who makes a write that is not a sync push: a logged-in user over the API, the server's command
 * line (no user; via 'cli', as user_admin_audit records it), or a payment gateway's signed
 * notification (no user; via 'gateway', payments only). Imports also name their run.
 */
export interface WriteActor {
  userId: string | null;
  via: 'api' | 'cli' | 'gateway' | 'sync';
  /** The import run (import_runs) the write belongs to, if it came in a file. */
  importId?: string | null;
}

export const CLI_ACTOR: WriteActor = { userId: null, via: 'cli' };

/** A payment the organisation's gateway reported (src/server/payments/gateway/notifications.ts). */
export const GATEWAY_ACTOR: WriteActor = { userId: null, via: 'gateway' };

export function apiActor(userId: string): WriteActor {
  return { userId, via: 'api' };
}

/**
 * Tells the database triggers (the assignment_log trigger, 0014-import-actors.sql) who is writing,
 * for the rest of the transaction only.
 */
export async function declareActor(tx: Db, actor: WriteActor): Promise<void> {
  await tx.query(
    `SELECT set_config('app.actor_id', $1, true), set_config('app.actor_via', $2, true), set_config('app.import_id', $3, true)`,
    [actor.userId ?? '', actor.via, actor.importId ?? ''],
  );
}
