import { Disposition } from '../../shared/domain/enums';

/**
 * The order dispositions are shown in, most frequent first: Alt+1..Alt+9 and Alt+0 pick the
 * first ten. Every code of the Disposition enum is listed (a unit test checks it).
 */
export const DISPOSITION_ORDER: readonly Disposition[] = [
  'promise_to_pay',
  'no_answer',
  'busy',
  'voicemail',
  'callback_requested',
  'rpc',
  'refused',
  'third_party',
  'wrong_number',
  'dispute',
  'message_sent',
  'do_not_contact',
  'deceased',
  'bankrupt',
  'hardship_claimed',
];

/** Alt+digit (1..9, 10 for Alt+0) → disposition. */
export function dispositionForShortcut(digit: number): Disposition | null {
  return DISPOSITION_ORDER[digit - 1] ?? null;
}

export function shortcutLabel(index: number): string | null {
  if (index < 9) return `Alt+${index + 1}`;
  if (index === 9) return 'Alt+0';
  return null;
}

export const ALL_DISPOSITIONS = Disposition.options;
