import { approvalRequest } from '../../collections/approvals';
import type { MutationName } from '../../../shared/sync/mutations';
import { accountSetCallback } from './account-set-callback';
import { accountSetStatus } from './account-set-status';
import { activityLog } from './activity-log';
import { activitySetOutcome } from './activity-set-outcome';
import { contactPointFlag } from './contact-point-flag';
import { debtorSetPreferences } from './debtor-set-preferences';
import { messageSend } from './message-send';
import { noteAdd } from './note-add';
import { promiseCreate } from './promise-create';
import { receiptIssue, receiptVoid } from './receipt-issue';
import type { Applier } from './types';

/** One applier per mutation name; the type makes a new mutation without an applier a compile error. */
export const APPLIERS: { [N in MutationName]: Applier<N> } = {
  'activity.log': activityLog,
  'activity.setOutcome': activitySetOutcome,
  'note.add': noteAdd,
  'promise.create': promiseCreate,
  'contactPoint.flag': contactPointFlag,
  'account.setCallback': accountSetCallback,
  'account.setStatus': accountSetStatus,
  'debtor.setPreferences': debtorSetPreferences,
  'approval.request': approvalRequest,
  'message.send': messageSend,
  'receipt.issue': receiptIssue,
  'receipt.void': receiptVoid,
};

export { MutationRejected } from './types';
