import type { MutationArgs, MutationName } from '../../../shared/sync/mutations';
import type { Scope } from '../../access/visibility';
import type { AuthUser } from '../../auth/sessions';
import type { Db } from '../../db';

/** A refusal the client should show the agent; the mutation is acknowledged as rejected. */
export class MutationRejected extends Error {
  constructor(readonly code: string, message: string, readonly field?: string) {
    super(message);
    this.name = 'MutationRejected';
  }
}

export interface ApplyContext {
  /** Inside the push transaction, within this mutation's own savepoint. */
  tx: Db;
  user: AuthUser;
  scope: Scope;
}

export type Applier<N extends MutationName> = (ctx: ApplyContext, args: MutationArgs<N>) => Promise<void>;

export const accountNotFound = () => new MutationRejected('not_found', 'account not found or not yours', 'accountId');
