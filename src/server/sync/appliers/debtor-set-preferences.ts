import { isDebtorVisible } from '../../access/visibility';
import { MutationRejected, type Applier } from './types';

/**
 * The whole preferences object is replaced: it is one instrument the debtor gives. Except the
 * debtor's refusals of channels: an agent's edit (made on a form that may predate the refusal, or
 * offline) never lifts one — it can add refusals, and the server's stay.
 */
export const debtorSetPreferences: Applier<'debtor.setPreferences'> = async ({ tx, scope }, a) => {
  if (!(await isDebtorVisible(tx, scope, a.debtorId))) throw new MutationRejected('not_found', 'debtor not found or not yours', 'debtorId');
  const [cur] = await tx.query<{ prefs: { refusedChannels?: string[]; refusedByReply?: string[] } }>(
    'SELECT contact_prefs AS prefs FROM debtors WHERE id = $1 FOR UPDATE',
    [a.debtorId],
  );
  const refused = [...new Set([...(cur?.prefs.refusedChannels ?? []), ...(a.contactPrefs.refusedChannels ?? [])])];
  const byReply = cur?.prefs.refusedByReply ?? [];
  const next = {
    ...a.contactPrefs,
    ...(refused.length ? { refusedChannels: refused } : {}),
    ...(byReply.length ? { refusedByReply: byReply } : {}),
  };
  await tx.query('UPDATE debtors SET contact_prefs = $2::jsonb WHERE id = $1', [a.debtorId, JSON.stringify(next)]);
};
