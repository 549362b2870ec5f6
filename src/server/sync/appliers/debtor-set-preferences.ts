import { isDebtorVisible } from '../../access/visibility';
import { MutationRejected, type Applier } from './types';

/** The whole preferences object is replaced: it is one instrument the debtor gives. */
export const debtorSetPreferences: Applier<'debtor.setPreferences'> = async ({ tx, scope }, a) => {
  if (!(await isDebtorVisible(tx, scope, a.debtorId))) throw new MutationRejected('not_found', 'debtor not found or not yours', 'debtorId');
  await tx.query('UPDATE debtors SET contact_prefs = $2::jsonb WHERE id = $1', [a.debtorId, JSON.stringify(a.contactPrefs)]);
};
