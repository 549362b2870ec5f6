import type { CashReceiptView, DepositInput, ReceiptCheck, Reconciliation, ReconciliationRow } from '../../shared/domain/field';
import { receiptCode } from './blocks';
import type { CurrencyCode } from '../../shared/domain/money';
import { canSeeAgent, SqlParams, type Scope } from '../access/visibility';
import type { Db } from '../db';
import { notFound } from '../http/errors';

/**
 * The lead's cash reconciliation (docs/field-collection.md): per collector, day (the receipt's,
 * in the debtor's zone) and currency — never summed across currencies — the cash the collector
 * took on receipts not voided, the transfers (already in the bank, shown apart), the deposits the
 * lead recorded, and the difference cash − deposited still in the collector's hands. A lead sees
 * their team's collectors only (visibility.ts: scope.agentIds).
 */
export async function cashReconciliation(
  db: Db,
  scope: Scope,
  q: { from: string; to: string; collectorId?: string | undefined },
): Promise<Reconciliation> {
  const p = new SqlParams();
  const org = p.add(scope.orgId);
  const from = p.add(q.from);
  const to = p.add(q.to);
  const who: string[] = [];
  if (scope.agentIds !== null) who.push(`collector_id = ANY(${p.add(scope.agentIds)}::uuid[])`);
  if (q.collectorId) who.push(`collector_id = ${p.add(q.collectorId)}`);
  const filter = who.length ? `AND ${who.join(' AND ')}` : '';
  const rows = await db.query<{
    collectorId: string;
    collectorName: string;
    day: string;
    currency: CurrencyCode;
    receipts: number;
    cash: string;
    transfer: string;
    deposited: string;
  }>(
    `WITH r AS (
       SELECT collector_id, day, currency, count(*)::int AS receipts,
              COALESCE(sum(amount_minor) FILTER (WHERE method = 'cash'), 0) AS cash,
              COALESCE(sum(amount_minor) FILTER (WHERE method = 'transfer'), 0) AS transfer
       FROM cash_receipts
       WHERE org_id = ${org} AND voided_at IS NULL AND day BETWEEN ${from} AND ${to} ${filter}
       GROUP BY collector_id, day, currency),
     d AS (
       SELECT collector_id, day, currency, sum(amount_minor) AS deposited
       FROM cash_deposits
       WHERE org_id = ${org} AND day BETWEEN ${from} AND ${to} ${filter}
       GROUP BY collector_id, day, currency)
     SELECT COALESCE(r.collector_id, d.collector_id) AS "collectorId", u.display_name AS "collectorName",
            to_char(COALESCE(r.day, d.day), 'YYYY-MM-DD') AS day, COALESCE(r.currency, d.currency) AS currency,
            COALESCE(r.receipts, 0) AS receipts, COALESCE(r.cash, 0) AS cash, COALESCE(r.transfer, 0) AS transfer,
            COALESCE(d.deposited, 0) AS deposited
     FROM r FULL JOIN d ON d.collector_id = r.collector_id AND d.day = r.day AND d.currency = r.currency
     JOIN users u ON u.id = COALESCE(r.collector_id, d.collector_id)
     ORDER BY 3 DESC, 2, 4`,
    p.values,
  );
  const recon: ReconciliationRow[] = rows.map((r) => ({
    collectorId: r.collectorId,
    collectorName: r.collectorName,
    day: r.day,
    currency: r.currency,
    receipts: r.receipts,
    cashMinor: Number(r.cash),
    transferMinor: Number(r.transfer),
    depositedMinor: Number(r.deposited),
    differenceMinor: Number(r.cash) - Number(r.deposited),
  }));
  const rp = new SqlParams();
  const rwho = [`r.org_id = ${rp.add(scope.orgId)}`, `r.day BETWEEN ${rp.add(q.from)} AND ${rp.add(q.to)}`];
  if (scope.agentIds !== null) rwho.push(`r.collector_id = ANY(${rp.add(scope.agentIds)}::uuid[])`);
  if (q.collectorId) rwho.push(`r.collector_id = ${rp.add(q.collectorId)}`);
  const receipts = await receiptViews(db, rwho.join(' AND '), rp.values);
  return {
    rows: recon,
    receipts,
  };
}

/** Receipts as the lead's screens show them, by an SQL condition on `r` (cash_receipts). */
async function receiptViews(db: Db, where: string, values: unknown[]): Promise<CashReceiptView[]> {
  const rows = await db.query<
    Omit<CashReceiptView, 'issuedAt' | 'voidedAt' | 'number' | 'amountMinor'> & {
      issuedAt: Date;
      voidedAt: Date | null;
      number: string;
      amountMinor: string;
    }
  >(
    `SELECT r.id, r.number, r.collector_id AS "collectorId", u.display_name AS "collectorName", r.account_id AS "accountId",
            d.name AS "debtorName", r.method, r.amount_minor AS "amountMinor", r.currency, r.issued_at AS "issuedAt",
            to_char(r.day, 'YYYY-MM-DD') AS day, r.code, r.code_valid AS "codeValid", r.duplicate_of IS NOT NULL AS "duplicateNumber",
            r.voided_at AS "voidedAt"
     FROM cash_receipts r JOIN users u ON u.id = r.collector_id JOIN accounts a ON a.id = r.account_id JOIN debtors d ON d.id = a.debtor_id
     WHERE ${where} ORDER BY r.number LIMIT 2000`,
    values,
  );
  return rows.map((r) => ({
    ...r,
    number: Number(r.number),
    amountMinor: Number(r.amountMinor),
    issuedAt: r.issuedAt.toISOString(),
    voidedAt: r.voidedAt?.toISOString() ?? null,
  }));
}

/**
 * A paper receipt checked at the office: the number's receipt, if the caller sees its collector,
 * and whether the printed code is the one its figures give with its block's key (recomputed, not
 * just compared with what the device sent) and it is not voided.
 */
export async function checkReceipt(db: Db, scope: Scope, number: number, code: string): Promise<ReceiptCheck> {
  const p = new SqlParams();
  const where = [`r.org_id = ${p.add(scope.orgId)}`, `r.number = ${p.add(number)}`, 'r.duplicate_of IS NULL'];
  if (scope.agentIds !== null) where.push(`r.collector_id = ANY(${p.add(scope.agentIds)}::uuid[])`);
  const [receipt] = await receiptViews(db, where.join(' AND '), p.values);
  if (!receipt) return { valid: false, receipt: null };
  const [block] = await db.query<{ key: Buffer }>(
    'SELECT b.mac_key AS key FROM cash_receipts r JOIN receipt_blocks b ON b.id = r.block_id WHERE r.id = $1',
    [receipt.id],
  );
  const expected = receiptCode(block!.key, receipt);
  return { valid: expected === code && receipt.voidedAt === null, receipt };
}

/** A deposit of a collector's cash, recorded by their lead (or an admin); its author is kept. */
export async function recordDeposit(db: Db, scope: Scope, d: DepositInput): Promise<{ id: string }> {
  if (!canSeeAgent(scope, d.collectorId)) throw notFound('collector');
  const [collector] = await db.query('SELECT 1 FROM users WHERE id = $1 AND org_id = $2', [d.collectorId, scope.orgId]);
  if (!collector) throw notFound('collector');
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO cash_deposits (org_id, collector_id, day, currency, amount_minor, reference, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [scope.orgId, d.collectorId, d.day, d.currency, d.amountMinor, d.reference, scope.userId],
  );
  return { id: row!.id };
}
