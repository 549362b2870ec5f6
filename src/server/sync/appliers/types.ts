import type { MutationArgs, MutationName } from '../../../shared/sync/mutations';
import { findAccountForFacts, type AccountRef, type Scope } from '../../access/visibility';
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
  /**
   * findAccountForFacts answered for the whole batch in one query (push.ts), by account id; null =
   * neither visible nor ever assigned to the user. Only fields a push never changes are read from it.
   */
  factsAccounts?: ReadonlyMap<string, AccountRef | null>;
}

/** The account if the user may record facts on it — from the batch's answer when there is one. */
export function accountForFacts(ctx: ApplyContext, accountId: string): Promise<AccountRef | null> {
  const known = ctx.factsAccounts?.get(accountId);
  return known !== undefined ? Promise.resolve(known) : findAccountForFacts(ctx.tx, ctx.scope, accountId);
}

export type Applier<N extends MutationName> = (ctx: ApplyContext, args: MutationArgs<N>) => Promise<void>;

export const accountNotFound = () => new MutationRejected('not_found', 'account not found or not yours', 'accountId');
