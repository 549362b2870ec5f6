import type { Disposition } from '../domain/enums';

/** How a call ended, as far as the softphone knows it. */
export interface CallEnding {
  answered: boolean;
  /** SIP final status of the INVITE (200 when answered), null if none arrived. */
  sipStatus: number | null;
  /** The softphone cancelled because nobody answered within the ring timeout. */
  ringTimeout: boolean;
}

/**
 * The disposition the outcome form opens with after a call. The agent confirms or changes it;
 * null means the softphone cannot tell (e.g. the agent cancelled while it rang).
 */
export function suggestDisposition(end: CallEnding): Disposition | null {
  if (end.answered) return 'rpc';
  if (end.ringTimeout) return 'no_answer';
  switch (end.sipStatus) {
    case 486:
    case 600:
    case 603:
      return 'busy';
    case 408:
    case 480:
      return 'no_answer';
    case 404:
    case 484:
    case 410:
      return 'wrong_number';
    default:
      return null;
  }
}
