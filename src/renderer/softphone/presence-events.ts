import type { CallInfo } from './engine-types';

export type CallEvent = { phase: 'dialing' | 'ringing' | 'active'; accountId: string | null } | { phase: 'ended' };

const phaseOf = (c: CallInfo | null): 'dialing' | 'ringing' | 'active' | 'ended' =>
  c === null || c.phase === 'ended' ? 'ended' : c.phase === 'incoming' || c.phase === 'ringing' ? 'ringing' : c.phase;

/**
 * What the live board must hear when the softphone's call changes: a call that starts, rings,
 * is answered or ends (then the agent is in wrap-up until the outcome is logged). Nothing when
 * only other details of the call changed (mute, hold, quality).
 */
export function callEventOf(prev: CallInfo | null, next: CallInfo | null): CallEvent | null {
  const a = phaseOf(prev);
  const b = phaseOf(next);
  if (a === b && (b === 'ended' || prev?.accountId === next?.accountId)) return null;
  if (b === 'ended') return { phase: 'ended' };
  return { phase: b, accountId: next?.accountId ?? null };
}
