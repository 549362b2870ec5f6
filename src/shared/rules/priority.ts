import type { QueueReason } from '../api/contract';
import type { AccountStatus, PromiseStatus, Segment } from '../domain/enums';
import type { CurrencyCode } from '../domain/money';

/**
 * Queue priority ("análisis de momentos"): a pure function used by the client store (offline) and
 * the server alike. FIRST VERSION — the rules owner refines it (issue 5); the signature is the contract.
 */
export interface PriorityInput {
  dpd: number;
  balanceMinor: number;
  currency: CurrencyCode;
  segment: Segment;
  status: AccountStatus;
  callbackAt: string | null;
  lastContactAt: string | null;
  timeZone: string;
  promises: ReadonlyArray<{
    status: PromiseStatus;
    installments: ReadonlyArray<{ dueDate: string; amountMinor: number; paidMinor: number; status: PromiseStatus }>;
  }>;
}

export interface Priority {
  /** Higher first. */
  score: number;
  reason: QueueReason;
}

export function prioritize(input: PriorityInput, now: Date): Priority {
  if (input.status !== 'active') return { score: -1, reason: { code: `status.${input.status}`, params: {} } };
  if (input.callbackAt && Date.parse(input.callbackAt) <= now.getTime()) {
    return { score: 1_000_000, reason: { code: 'callback_due', params: {} } };
  }
  return { score: input.dpd, reason: { code: 'dpd', params: { dpd: input.dpd } } };
}
