import { findVisibleAccount } from '../../access/visibility';
import { accountNotFound, type Applier } from './types';

/** A mutable field: only someone who sees the account now may change it; last applied wins. */
export const accountSetCallback: Applier<'account.setCallback'> = async ({ tx, scope }, a) => {
  if (!(await findVisibleAccount(tx, scope, a.accountId))) throw accountNotFound();
  await tx.query('UPDATE accounts SET callback_at = $2, callback_note = $3 WHERE id = $1', [a.accountId, a.callbackAt, a.note]);
};
