import type { MutationArgs } from '../../shared/sync/mutations';
import type { Db } from '../db';
import { checkOnServer } from './check';

/**
 * The server's verdict on an attempt that already happened (an activity pushed by a client,
 * possibly after days offline). The record is never refused — losing a fact would be worse
 * than keeping a breach — but the rules it broke are stored beside it for team leads.
 * Inbound contacts are the debtor's doing and are never judged. Returns null when compliant.
 */
export async function judgeAttempt(tx: Db, orgId: string, a: MutationArgs<'activity.log'>): Promise<string[] | null> {
  if (a.direction === 'inbound') return null;
  // a letter's moment of contact is its delivery, which the post decides (docs/compliance.md)
  if (a.channel === 'letter') return null;
  const decision = await checkOnServer(tx, {
    orgId, accountId: a.accountId, contactPointId: a.contactPointId, channel: a.channel, at: new Date(a.startedAt),
    judging: { activityId: a.id },
  });
  return decision.allowed ? null : decision.reasons.map((r) => r.ruleId);
}
