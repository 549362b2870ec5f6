import type { Payment } from '../../shared/domain/entities';
import { PAYMENT_COLUMNS, toPayment, type PaymentRow } from '../data/rows';
import { findVisibleAccount, type Scope } from '../access/visibility';
import type { Db } from '../db';
import { HttpError } from '../http/errors';
import { apiActor, type WriteActor } from '../imports/actor';
import { recomputeAccountPromises } from './recompute';

/**
 * Payment effects, shared by the single-payment endpoint, the CSV feed and reversals: the
 * account balance moves by the amount and the account's promises are recomputed from all its
 * non-reversed payments. Run inside a writeTransaction.
 */
export interface NewPayment {
  accountId: string;
  reference: string;
  amountMinor: number;
  currency: string;
  paidAt: string;
}

export async function recordPayment(
  tx: Db,
  orgId: string,
  p: NewPayment,
  now: Date,
  actor: WriteActor,
): Promise<{ payment: Payment; created: boolean }> {
  // the balance as it is when the payment lands (locked): the part of the amount it absorbs is
  // what a reversal gives back
  const [account] = await tx.query<{ balance: number }>('SELECT balance_minor AS balance FROM accounts WHERE id = $1 FOR UPDATE', [
    p.accountId,
  ]);
  const applied = Math.min(p.amountMinor, Math.max(0, account?.balance ?? 0));
  const [created] = await tx.query<PaymentRow>(
    `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at, applied_minor,
                           recorded_by, recorded_via, import_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (org_id, reference) DO NOTHING
     RETURNING ${PAYMENT_COLUMNS.replace(/\bp\./g, '')}`,
    [orgId, p.accountId, p.reference, p.amountMinor, p.currency, p.paidAt, applied, actor.userId, actor.via, actor.importId ?? null],
  );
  if (created) {
    await tx.query('UPDATE accounts SET balance_minor = balance_minor - $2 WHERE id = $1', [p.accountId, applied]);
    await recomputeAccountPromises(tx, p.accountId, now);
    return { payment: toPayment(created), created: true };
  }
  const [existing] = await tx.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = $1 AND p.reference = $2`, [
    orgId,
    p.reference,
  ]);
  if (!existing) throw new Error('payment reference conflicted but no row was found');
  if (existing.accountId !== p.accountId || Number(existing.amountMinor) !== p.amountMinor) {
    throw new HttpError(
      409,
      'payment_reference_conflict',
      `reference ${p.reference} is already recorded for a different account or amount`,
      'reference',
    );
  }
  return { payment: toPayment(existing), created: false };
}

/** Marks a payment reversed (once): the balance rises again and allocations are recomputed without it. */
export async function reversePayment(
  tx: Db,
  orgId: string,
  reference: string,
  at: string,
  now: Date,
  actor: WriteActor,
): Promise<{ payment: Payment; changed: boolean } | null> {
  const [reversed] = await tx.query<PaymentRow & { applied: number | null }>(
    `UPDATE payments p SET reversed_at = $3, reversed_by = $4, reversed_via = $5
      WHERE p.org_id = $1 AND p.reference = $2 AND p.reversed_at IS NULL
     RETURNING ${PAYMENT_COLUMNS}, p.applied_minor AS applied`,
    [orgId, reference, at, actor.userId, actor.via],
  );
  if (reversed) {
    const { applied, ...row } = reversed;
    // what the payment took off, not its amount: an over-payment took off less
    await tx.query('UPDATE accounts SET balance_minor = balance_minor + $2 WHERE id = $1', [row.accountId, applied ?? row.amountMinor]);
    await reapplySurpluses(tx, row.accountId);
    await recomputeAccountPromises(tx, row.accountId, now);
    return { payment: toPayment(row), changed: true };
  }
  const [existing] = await tx.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = $1 AND p.reference = $2`, [
    orgId,
    reference,
  ]);
  return existing ? { payment: toPayment(existing), changed: false } : null;
}

/** A reversal asked for through the API: only of a payment on an account the caller sees (else null → 404). */
export async function reverseVisiblePayment(
  tx: Db,
  scope: Scope,
  reference: string,
  at: string,
  now: Date,
): Promise<{ payment: Payment; changed: boolean } | null> {
  const [payment] = await tx.query<{ accountId: string }>(
    'SELECT account_id AS "accountId" FROM payments WHERE org_id = $1 AND reference = $2',
    [scope.orgId, reference],
  );
  if (!payment || !(await findVisibleAccount(tx, scope, payment.accountId))) return null;
  return reversePayment(tx, scope.orgId, reference, at, now, apiActor(scope.userId));
}

/**
 * After a reversal raised the balance: payments that landed on a zero balance kept part of their
 * amount unapplied (an over-payment). Without the reversed payment they would have taken it off,
 * so they do now, oldest first — the balance ends where it would be had the reversed payment
 * never arrived, not higher.
 */
async function reapplySurpluses(tx: Db, accountId: string): Promise<void> {
  const [account] = await tx.query<{ balance: number }>('SELECT balance_minor AS balance FROM accounts WHERE id = $1 FOR UPDATE', [
    accountId,
  ]);
  let balance = Math.max(0, Number(account?.balance ?? 0));
  if (balance === 0) return;
  const surplus = await tx.query<{ id: string; surplus: number }>(
    `SELECT id, (amount_minor - applied_minor)::int AS surplus FROM payments
     WHERE account_id = $1 AND reversed_at IS NULL AND applied_minor IS NOT NULL AND amount_minor > applied_minor
     ORDER BY paid_at, recorded_at, id`,
    [accountId],
  );
  let taken = 0;
  for (const p of surplus) {
    if (balance === 0) break;
    const extra = Math.min(Number(p.surplus), balance);
    await tx.query('UPDATE payments SET applied_minor = applied_minor + $2 WHERE id = $1', [p.id, extra]);
    balance -= extra;
    taken += extra;
  }
  if (taken > 0) await tx.query('UPDATE accounts SET balance_minor = balance_minor - $2 WHERE id = $1', [accountId, taken]);
}
