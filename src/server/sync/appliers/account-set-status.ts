import { findVisibleAccount } from '../../access/visibility';
import { accountNotFound, type Applier } from './types';

export const accountSetStatus: Applier<'account.setStatus'> = async ({ tx, scope }, a) => {
  if (!(await findVisibleAccount(tx, scope, a.accountId))) throw accountNotFound();
  await tx.query('UPDATE accounts SET status = $2 WHERE id = $1', [a.accountId, a.status]);
};
