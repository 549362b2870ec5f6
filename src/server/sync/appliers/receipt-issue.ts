import { receiptCode } from '../../field/blocks';
import { recordPayment, reversePayment } from '../../collections/payments';
import { accountForFacts, accountNotFound, MutationRejected, type Applier } from './types';

/** The payment's reference: the receipt number, so a payments feed that repeats it is recognised. */
export const receiptReference = (number: number, duplicateOf: string | null, id: string): string =>
  duplicateOf ? `RC-${number}-${id.slice(0, 8)}` : `RC-${number}`;

/**
 * A cash or transfer payment taken in the field with its numbered receipt (docs/field-collection.md).
 * The payment enters the ordinary payments path (balance, FIFO allocation to the promises) as
 * pending deposit: the cash is counted in the collector's hands until their lead records a deposit.
 * A fact: recorded on an account the collector has ever held, like an outcome made offline.
 */
export const receiptIssue: Applier<'receipt.issue'> = async (ctx, a) => {
  const { tx, user } = ctx;
  const account = await accountForFacts(ctx, a.accountId);
  if (!account) throw accountNotFound();
  if (account.currency !== a.currency) {
    throw new MutationRejected(
      'receipt_currency_mismatch',
      `the account is in ${account.currency}, the receipt in ${a.currency}`,
      'currency',
    );
  }
  const [block] = await tx.query<{ key: Buffer; clientId: string }>(
    `SELECT mac_key AS key, client_id AS "clientId" FROM receipt_blocks
     WHERE id = $1 AND org_id = $2 AND user_id = $3 AND $4 BETWEEN first_no AND last_no`,
    [a.blockId, user.orgId, user.id, a.number],
  );
  if (!block) throw new MutationRejected('receipt_number_invalid', `receipt ${a.number} is not in a block of yours`, 'number');
  const [known] = await tx.query('SELECT 1 FROM cash_receipts WHERE id = $1', [a.id]);
  if (known) return;
  // a number already received from another receipt: only a device restored whole (store and
  // the mark kept outside it) that issued before it synced. The money was taken: keep it, flag it.
  const [twin] = await tx.query<{ id: string }>('SELECT id FROM cash_receipts WHERE org_id = $1 AND number = $2 AND duplicate_of IS NULL', [
    user.orgId,
    a.number,
  ]);
  const duplicateOf = twin?.id ?? null;
  const now = new Date();
  // the collector's clock may run ahead: the payment is never dated after the server's now
  const paidAt = new Date(Math.min(Date.parse(a.issuedAt), now.getTime())).toISOString();
  const { payment } = await recordPayment(
    tx,
    user.orgId,
    {
      accountId: a.accountId,
      reference: receiptReference(a.number, duplicateOf, a.id),
      amountMinor: a.amountMinor,
      currency: a.currency,
      paidAt,
    },
    now,
    { userId: user.id, via: 'sync' },
  );
  const codeValid = receiptCode(block.key, a) === a.code;
  await tx.query(
    `INSERT INTO cash_receipts (id, org_id, number, block_id, collector_id, account_id, payment_id, method, transfer_reference,
                                amount_minor, currency, issued_at, day, code, code_valid, duplicate_of)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
    [a.id, user.orgId, a.number, a.blockId, user.id, a.accountId, payment.id, a.method, a.transferReference, a.amountMinor, a.currency,
     a.issuedAt, a.day, a.code, codeValid, duplicateOf], // prettier-ignore
  );
  await tx.query(
    `UPDATE receipt_devices SET reported_hwm = GREATEST(reported_hwm, $3), updated_at = now() WHERE org_id = $1 AND client_id = $2`,
    [user.orgId, block.clientId, a.number],
  );
};

/** Voids a receipt the collector issued: its number stays used (and shown as voided), its payment is reversed. */
export const receiptVoid: Applier<'receipt.void'> = async (ctx, a) => {
  const { tx, user } = ctx;
  const [receipt] = await tx.query<{ reference: string; voidedAt: Date | null }>(
    `SELECT p.reference, r.voided_at AS "voidedAt" FROM cash_receipts r JOIN payments p ON p.id = r.payment_id
     WHERE r.id = $1 AND r.org_id = $2 AND r.collector_id = $3`,
    [a.receiptId, user.orgId, user.id],
  );
  if (!receipt) throw new MutationRejected('not_found', 'receipt not found or not yours', 'receiptId');
  if (receipt.voidedAt) return;
  const now = new Date();
  const at = new Date(Math.min(Date.parse(a.voidedAt), now.getTime())).toISOString();
  await tx.query('UPDATE cash_receipts SET voided_at = $2, voided_by = $3, void_reason = $4 WHERE id = $1', [
    a.receiptId,
    at,
    user.id,
    a.reason,
  ]);
  await reversePayment(tx, user.orgId, receipt.reference, at, now, { userId: user.id, via: 'sync' });
};
