import { isDebtorVisible } from '../../access/visibility';
import { MutationRejected, type Applier } from './types';

/**
 * Each flag named changes alone (last applied wins), except do-not-contact, which is sticky:
 * anyone may set it, only a team lead or admin may clear it (docs/sync.md). An agent's clear is
 * acknowledged with no effect — it usually comes from a stale offline copy.
 */
export const contactPointFlag: Applier<'contactPoint.flag'> = async ({ tx, user, scope }, a) => {
  const [cp] = await tx.query<{ debtorId: string }>('SELECT debtor_id AS "debtorId" FROM contact_points WHERE id = $1', [a.contactPointId]);
  if (!cp || !(await isDebtorVisible(tx, scope, cp.debtorId))) {
    throw new MutationRejected('not_found', 'contact point not found or not yours', 'contactPointId');
  }
  const sets: string[] = [];
  const params: unknown[] = [a.contactPointId];
  const set = (column: string, value: boolean) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (a.invalid !== undefined) set('invalid', a.invalid);
  if (a.verified !== undefined) set('verified', a.verified);
  if (a.doNotContact === true || (a.doNotContact === false && user.role !== 'agent')) set('do_not_contact', a.doNotContact);
  // an agent's ignored clear still touches the row: its version moves, so the agent's next pull
  // brings back the server's flag instead of leaving their optimistic clear in their store
  const ignoredClear = a.doNotContact === false && user.role === 'agent';
  if (ignoredClear) sets.push('updated_at = now()');
  if (sets.length > 0) await tx.query(`UPDATE contact_points SET ${sets.join(', ')} WHERE id = $1`, params);
};
