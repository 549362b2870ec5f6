import type { UpdateState } from '../../shared/api/wire';
import type { CallPhase } from '../softphone/engine-types';

/**
 * Whether to offer the downloaded update to the agent now. Only between calls: never while a
 * call is being dialled, rings, comes in or is on — installing restarts the app and would cut
 * it. "Later" snoozes the offer; a new call hides it at once, and it comes back afterwards.
 */
export interface OfferInput {
  update: UpdateState;
  /** The softphone's current call, null when there is none. */
  callPhase: CallPhase | null;
  /** Until when the agent said "later" (epoch ms), null when not. */
  snoozedUntil: number | null;
  now: number;
}

export const SNOOZE_MS = 30 * 60 * 1000;

export function shouldOfferUpdate(i: OfferInput): boolean {
  if (i.update.status !== 'ready') return false;
  if (i.callPhase !== null && i.callPhase !== 'ended') return false;
  if (i.snoozedUntil !== null && i.now < i.snoozedUntil) return false;
  return true;
}
