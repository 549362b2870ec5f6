import type { MutationArgs, MutationName } from '../../../shared/sync/mutations';
import { findAccountForFacts, type AccountRef, type Scope } from '../../access/visibility';
import type { AuthUser } from '../../auth/sessions';
import type { Db } from '../../db';
import type { ServerErrorCode } from '../../../shared/errors/codes';

/** A refusal the client should show the agent; the mutation is acknowledged as rejected. */
export class MutationRejected extends Error {
  /** `code` is one of src/shared/errors/codes.ts; a rule's refusal uses MutationRejected.rule. */
  constructor(code: ServerErrorCode, message: string, field?: string);
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'MutationRejected';
  }
  /** A refusal by a shared rule, coded with the rule's id (its text comes with the rule). */
  static rule(ruleId: string, message: string, field?: string): MutationRejected {
    return new (MutationRejected as new (code: string, message: string, field?: string) => MutationRejected)(ruleId, message, field);
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
