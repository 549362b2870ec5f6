import type { ComplianceDecision } from '../api/contract';
import type { Channel } from '../domain/enums';
import type { Account, ContactPoint, Debtor } from '../domain/entities';

/**
 * The one compliance check every outbound contact passes, in the client (offline too) and again
 * on the server. FIRST VERSION — the rules owner (issue 6) replaces the body with the per-country
 * rules; the signature is the contract the softphone, the messaging features and the server call.
 */
export interface ContactAttempt {
  accountId: string;
  debtorId: string;
  channel: Channel;
  at: string;
  /** A conversation with the debtor happened (right-party contact). */
  conversation: boolean;
}

export interface ComplianceInput {
  channel: Channel;
  contactPoint: Pick<ContactPoint, 'kind' | 'value' | 'invalid' | 'doNotContact'> | null;
  debtor: Pick<Debtor, 'id' | 'country' | 'timeZone' | 'contactPrefs'>;
  account: Pick<Account, 'id' | 'status'>;
  /** Attempts on this debtor from every agent and channel: the server's, plus the client's unsynced ones. */
  history: ReadonlyArray<ContactAttempt>;
  /** Organisation overrides (stricter only) and DNC list. */
  org?: { country?: string; timeZone?: string; dncNumbers?: ReadonlyArray<string> };
  at: Date;
}

export function checkContact(input: ComplianceInput): ComplianceDecision {
  const reasons: ComplianceDecision['reasons'] = [];
  if (input.contactPoint?.doNotContact) reasons.push({ ruleId: 'hard.dnc', es: 'Número marcado como "no contactar"', en: 'Contact point marked do-not-contact' });
  if (input.contactPoint?.invalid) reasons.push({ ruleId: 'hard.invalid', es: 'Dato de contacto inválido', en: 'Invalid contact point' });
  if (['do_not_contact', 'deceased', 'bankrupt', 'hardship', 'dispute'].includes(input.account.status)) {
    reasons.push({ ruleId: `hard.status.${input.account.status}`, es: 'La cuenta no admite gestión', en: 'Account status forbids contact' });
  }
  return { allowed: reasons.length === 0, reasons, nextAllowedAt: null };
}
