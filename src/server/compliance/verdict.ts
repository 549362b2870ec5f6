import type { ComplianceDecision } from '../../shared/api/contract';
import type { MutationArgs } from '../../shared/sync/mutations';
import type { Db } from '../db';
import { checkOnServer } from './check';
import { complianceNow } from './clock';

/**
 * How long after an outcome logged online the agent is taken to be still at the form: a refusal
 * then reaches them while they can act on it (log it as inbound, call back at the next allowed
 * time). Later than that the record is a fact of the past, judged and kept like offline work.
 */
export const ONLINE_REFUSAL_WINDOW_MS = 10 * 60_000;

/**
 * Whether a forbidden attempt is refused rather than recorded with its breach: only an outbound
 * contact the agent logged by hand while online (`loggedOnline`), arriving within the window.
 * Softphone records (the softphone checked before dialling) and offline work are facts: kept.
 */
export function refusedWhenForbidden(a: MutationArgs<'activity.log'>, now: Date = complianceNow()): boolean {
  return (
    a.loggedOnline && a.direction === 'outbound' && Math.abs(now.getTime() - new Date(a.startedAt).getTime()) <= ONLINE_REFUSAL_WINDOW_MS
  );
}

/** The refusal's text: every rule broken (English, the server's language) and the next allowed moment. */
export function refusalMessage(reasons: ComplianceDecision['reasons'], nextAllowedAt: string | null): string {
  const why = reasons.map((r) => r.en).join('; ') || 'contact not allowed now';
  return nextAllowedAt ? `${why} (next allowed ${nextAllowedAt})` : why;
}

/**
 * The server's verdict on an attempt that already happened (an activity pushed by a client,
 * possibly after days offline). The record is never refused — losing a fact would be worse
 * than keeping a breach — but the rules it broke are stored beside it for team leads; the one
 * exception, refusedWhenForbidden, is decided by the caller from `decision`.
 * Inbound contacts are the debtor's doing and are never judged. Returns null when compliant.
 */
export async function judgeAttempt(tx: Db, orgId: string, a: MutationArgs<'activity.log'>): Promise<ComplianceDecision | null> {
  if (a.direction === 'inbound') return null;
  // a letter's moment of contact is its delivery, which the post decides (docs/compliance.md)
  if (a.channel === 'letter') return null;
  const decision = await checkOnServer(tx, {
    orgId,
    accountId: a.accountId,
    contactPointId: a.contactPointId,
    channel: a.channel,
    at: new Date(a.startedAt),
    judging: { activityId: a.id },
  });
  return decision.allowed ? null : decision;
}
