import { findAccountForFacts } from '../../access/visibility';
import { acceptMessage } from '../../messaging/accept';
import { complianceNow } from '../../compliance/clock';
import { accountNotFound, type Applier } from './types';

/** The server judges the message at the moment it applies it (src/server/messaging/accept.ts). */
export const messageSend: Applier<'message.send'> = async ({ tx, user, scope }, a) => {
  const account = await findAccountForFacts(tx, scope, a.accountId);
  if (!account) throw accountNotFound();
  await acceptMessage(tx, user.id, account, a, complianceNow());
};
