import type { PromiseStatus } from '../../shared/domain/enums';
import { promiseStatus, selectPromisePolicy } from '../../shared/rules/promises';
import type { Db } from '../db';
import { loadPolicies } from './policies';

/**
 * Recomputes every promise of an account from ALL its non-reversed payments with the shared
 * allocatePayments + promiseStatus (FIFO), so a reversal undoes its allocation exactly. Only rows
 * that change are written; a changed promise gets a new version (clients pull it).
 * Returns the ids of promises whose status changed to broken.
 */
export async function recomputeAccountPromises(tx: Db, accountId: string, now: Date): Promise<{ changed: number; newlyBroken: string[] }> {
  const [acc] = await tx.query<{ orgId: string; product: string; timeZone: string }>(
    `SELECT a.org_id AS "orgId", a.product, d.time_zone AS "timeZone" FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = $1`,
    [accountId],
  );
  if (!acc) return { changed: 0, newlyBroken: [] };
  const promises = await tx.query<{
    id: string;
    status: PromiseStatus;
    createdAt: Date;
    installments: Array<{ seq: number; dueDate: string; amountMinor: number; paidMinor: number; status: PromiseStatus }>;
  }>(
    `SELECT pr.id, pr.status, pr.created_at AS "createdAt",
       (SELECT json_agg(json_build_object('seq', i.seq, 'dueDate', i.due_date, 'amountMinor', i.amount_minor,
          'paidMinor', i.paid_minor, 'status', i.status) ORDER BY i.seq) FROM promise_installments i WHERE i.promise_id = pr.id) AS installments
     FROM promises pr WHERE pr.account_id = $1`,
    [accountId],
  );
  if (promises.length === 0) return { changed: 0, newlyBroken: [] };
  const payments = await tx.query<{ id: string; amountMinor: number; paidAt: Date; reversedAt: Date | null }>(
    `SELECT id, amount_minor AS "amountMinor", paid_at AS "paidAt", reversed_at AS "reversedAt" FROM payments WHERE account_id = $1`,
    [accountId],
  );
  const policies = await loadPolicies(tx, acc.orgId);
  const policy = selectPromisePolicy(policies.promisePolicies, acc.product) ?? { graceDays: 0, keptThresholdPercent: 100 };
  const result = promiseStatus(
    promises.map((p) => ({
      id: p.id,
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      installments: (p.installments ?? []).map((i) => ({ seq: i.seq, dueDate: i.dueDate, amountMinor: Number(i.amountMinor) })),
    })),
    payments.map((p) => ({
      id: p.id,
      amountMinor: Number(p.amountMinor),
      paidAt: p.paidAt.toISOString(),
      reversedAt: p.reversedAt?.toISOString() ?? null,
    })),
    policy,
    now,
    acc.timeZone,
  );
  let changed = 0;
  const newlyBroken: string[] = [];
  for (const r of result.promises) {
    const before = promises.find((p) => p.id === r.promiseId)!;
    if (before.status === 'cancelled') continue;
    let dirty = before.status !== r.status;
    for (const inst of r.installments) {
      const old = before.installments.find((i) => i.seq === inst.seq);
      if (old && Number(old.paidMinor) === inst.paidMinor && old.status === inst.status) continue;
      dirty = true;
      await tx.query('UPDATE promise_installments SET paid_minor = $3, status = $4 WHERE promise_id = $1 AND seq = $2', [
        r.promiseId,
        inst.seq,
        inst.paidMinor,
        inst.status,
      ]);
    }
    if (!dirty) continue;
    changed++;
    if (r.status === 'broken' && before.status !== 'broken') newlyBroken.push(r.promiseId);
    // clock_timestamp() differs from the row's updated_at even inside one transaction, so the
    // version trigger always fires and clients pull the new installments.
    await tx.query('UPDATE promises SET status = $2, updated_at = clock_timestamp() WHERE id = $1', [r.promiseId, r.status]);
  }
  return { changed, newlyBroken };
}
