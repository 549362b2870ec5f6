import type { CurrencyCode } from './money';

/** What the queue's debtor row sums up of the debtor's accounts. */
export interface DebtorAccountsSummary {
  count: number;
  /** Balance per currency, in the order of the currencies' codes: never added across currencies. */
  totals: Array<{ currency: CurrencyCode; balanceMinor: number }>;
  maxDpd: number;
  maxPriority: number;
}

/** The debtor's accounts summed per currency, with the most overdue and the highest priority among them. */
export function summariseDebtorAccounts(
  accounts: ReadonlyArray<{ currency: CurrencyCode; balanceMinor: number; dpd: number; priority: number }>,
): DebtorAccountsSummary {
  const byCurrency = new Map<CurrencyCode, number>();
  let maxDpd = 0;
  let maxPriority = 0;
  for (const a of accounts) {
    byCurrency.set(a.currency, (byCurrency.get(a.currency) ?? 0) + a.balanceMinor);
    maxDpd = Math.max(maxDpd, a.dpd);
    maxPriority = Math.max(maxPriority, a.priority);
  }
  const totals = [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([currency, balanceMinor]) => ({ currency, balanceMinor }));
  return { count: accounts.length, totals, maxDpd, maxPriority };
}
