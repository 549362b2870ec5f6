import { findAccountForFacts } from '../../access/visibility';
import { applyImpliedStatus } from './implied-status';
import { MutationRejected, type Applier } from './types';

/** Set-once (docs/sync.md): the first outcome applied to a call wins; later ones change nothing. */
export const activitySetOutcome: Applier<'activity.setOutcome'> = async ({ tx, scope }, a) => {
  const [activity] = await tx.query<{ accountId: string; disposition: string | null }>(
    'SELECT account_id AS "accountId", disposition FROM activities WHERE id = $1 FOR UPDATE',
    [a.activityId],
  );
  const account = activity ? await findAccountForFacts(tx, scope, activity.accountId) : null;
  if (!activity || !account) throw new MutationRejected('not_found', 'activity not found or not yours', 'activityId');
  if (activity.disposition !== null) return;
  await tx.query('UPDATE activities SET disposition = $2, note = coalesce($3, note), promise_id = coalesce($4, promise_id) WHERE id = $1', [
    a.activityId,
    a.disposition,
    a.note,
    a.promiseId,
  ]);
  await applyImpliedStatus(tx, activity.accountId, a.disposition);
};
