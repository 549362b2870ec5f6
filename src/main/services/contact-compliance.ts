import { WorkstationError, type ComplianceDecision } from '../../shared/api/contract';
import type { Channel } from '../../shared/domain/enums';
import type { UserContext } from './user-context';

/**
 * Logging a contact by hand (a visit, a call from a desk phone) is making it: the same
 * checkContact as placing it. An outbound contact the rules forbid is refused with every reason
 * and the next allowed moment; an inbound one (the debtor called or wrote) is the debtor's doing
 * and is never refused. Letters are left out, as in the rules (the post decides their moment).
 */
export function refuseForbiddenContact(channel: Channel, direction: 'outbound' | 'inbound', decide: () => ComplianceDecision): void {
  if (direction === 'inbound' || channel === 'letter') return;
  const decision = decide();
  if (decision.allowed) return;
  const why = decision.reasons.map((r) => r.en).join('; ') || 'contact not allowed now';
  throw new WorkstationError(
    'compliance.blocked',
    decision.nextAllowedAt ? `${why} (next allowed ${decision.nextAllowedAt})` : why,
    'direction',
  );
}

/**
 * A cap's refusal names the contact that holds it (Reason.heldBy); the workstation adds what it
 * knows of it — the account's reference when that account is in its store, the agent's name when
 * it was this agent — so the agent sees which contact, on which account, by whom.
 */
export function nameHolders(c: UserContext, decision: ComplianceDecision): ComplianceDecision {
  if (!decision.reasons.some((r) => r.heldBy)) return decision;
  const me = c.session.user;
  return {
    ...decision,
    reasons: decision.reasons.map((r) =>
      r.heldBy
        ? {
            ...r,
            heldBy: {
              ...r.heldBy,
              externalRef: c.store.getAccountRow(r.heldBy.accountId)?.externalRef ?? null,
              agentName: r.heldBy.agentId === me.id ? me.displayName : null,
            },
          }
        : r,
    ),
  };
}
