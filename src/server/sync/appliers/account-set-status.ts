import { AccountStatus } from '../../../shared/domain/enums';
import { statusChangeRefusal } from '../../../shared/rules/account-status';
import { findVisibleAccount } from '../../access/visibility';
import { accountNotFound, MutationRejected, type Applier } from './types';

const MESSAGES = {
  agent_cannot_reopen: 'an agent cannot reopen an account; the team lead reviews it',
  lead_only_status: 'only a team lead sets this status (hardship: log the hardship_claimed outcome to ask for it)',
  account_held_by_lead: 'the team lead set this status; only they can change it',
} as const;

export const accountSetStatus: Applier<'account.setStatus'> = async ({ tx, scope, user }, a) => {
  const account = await findVisibleAccount(tx, scope, a.accountId, true);
  if (!account) throw accountNotFound();
  const refusal = statusChangeRefusal(user.role, AccountStatus.parse(account.status), a.status);
  if (refusal) throw new MutationRejected(refusal, MESSAGES[refusal], 'status');
  await tx.query('UPDATE accounts SET status = $2 WHERE id = $1', [a.accountId, a.status]);
};
