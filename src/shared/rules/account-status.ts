import type { AccountStatus, Role } from '../domain/enums';

/**
 * Who may move an account from one status to another (docs/sync.md, `account.status`): an agent
 * only into a status that stops contact, never back to `active` — reopening an account is the
 * team lead's review. Hardship and closed are decisions of the lead (hardship is requested by the
 * agent with the `hardship_claimed` outcome and set or lifted by the lead); an agent cannot set
 * them, nor move an account out of them.
 */
export const AGENT_SETTABLE_STATUSES: ReadonlySet<AccountStatus> = new Set(['dispute', 'do_not_contact', 'deceased', 'bankrupt']);
export const LEAD_ONLY_STATUSES: ReadonlySet<AccountStatus> = new Set(['active', 'hardship', 'closed']);

export type StatusChangeRefusal = 'agent_cannot_reopen' | 'lead_only_status' | 'account_held_by_lead';

/** null when allowed; otherwise why not. Leads and admins may make any change. */
export function statusChangeRefusal(role: Role, from: AccountStatus, to: AccountStatus): StatusChangeRefusal | null {
  if (role !== 'agent' || from === to) return null;
  if (to === 'active') return 'agent_cannot_reopen';
  if (!AGENT_SETTABLE_STATUSES.has(to)) return 'lead_only_status';
  if (LEAD_ONLY_STATUSES.has(from) && from !== 'active') return 'account_held_by_lead';
  return null;
}
