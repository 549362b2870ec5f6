/**
 * A promise inside the demo organisation's policy (src/server/collections/policies.ts: first
 * payment within 15 days, total between max(5 % of the balance, 50,000) and the balance, later
 * payments at least 20,000), so sync tests exercise sync rather than promise refusals.
 */
export function promiseWithinPolicy(balanceMinor: number, opts: { installments?: number; percent?: number } = {}) {
  const total = Math.min(balanceMinor, Math.max(50_000, Math.ceil((balanceMinor * (opts.percent ?? 20)) / 100)));
  let n = Math.max(1, opts.installments ?? 1);
  if (Math.floor(total / n) < 20_000) n = 1;
  const each = Math.floor(total / n);
  const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
  return {
    installments: Array.from({ length: n }, (_, k) => ({
      dueDate: day(3 + k * 15),
      amountMinor: k === n - 1 ? total - each * (n - 1) : each,
    })),
  };
}
