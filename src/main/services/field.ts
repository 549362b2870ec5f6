import { createHmac, randomUUID } from 'node:crypto';
import { WorkstationError, type WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import { ReceiptIssuer, type FieldReceipt, type Handover } from '../../shared/domain/field';
import type { CurrencyCode } from '../../shared/domain/money';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { formatReceiptCode, needsReceiptRefill, receiptCodePayload } from '../../shared/field/receipt-book';
import { ReceiptBook } from '../field/book';
import { DeviceMark } from '../field/mark';
import { receiptFileName, renderReceiptPdf } from '../field/receipt-pdf';
import type { WorkstationCore } from './core';
import { notFound } from './errors';
import { deviceMarkFile } from './paths';
import { callRoute } from './route-client';
import type { UserContext } from './user-context';

type FieldMethods =
  'issueReceipt' | 'voidReceipt' | 'listReceipts' | 'receiptPdf' | 'getHandover' | 'getCashReconciliation' | 'recordDeposit';

type ReceiptRow = Omit<FieldReceipt, 'unsynced'> & { unsynced: number };
const RECEIPT_SELECT = `SELECT r.id, r.number, r.account_id AS accountId, coalesce(a.debtor_name, '') AS debtorName, r.method,
  r.transfer_reference AS transferReference, r.amount_minor AS amountMinor, r.currency, r.issued_at AS issuedAt, r.day, r.code,
  r.voided_at AS voidedAt,
  EXISTS (SELECT 1 FROM outbox o WHERE o.status = 'pending' AND o.name = 'receipt.issue' AND json_extract(o.args, '$.id') = r.id) AS unsynced
  FROM receipts r LEFT JOIN accounts a ON a.id = r.account_id`;
const toReceipt = (r: ReceiptRow): FieldReceipt => ({ ...r, unsynced: r.unsynced === 1 });

export function deviceMarkOf(dataDir: string, c: UserContext): DeviceMark {
  return new DeviceMark(deviceMarkFile(dataDir, c.session.serverUrl, c.session.user.id));
}

export function receiptBookOf(core: WorkstationCore, c: UserContext): ReceiptBook {
  return new ReceiptBook(c.store, deviceMarkOf(core.o.dataDir, c));
}

/**
 * After a successful sync: a device that holds fewer numbers than the threshold asks for more
 * (docs/field-collection.md), so a collector leaves every sync with numbers for days offline.
 * Admins issue no receipts.
 */
export async function refillReceiptBlocks(core: WorkstationCore, c: UserContext): Promise<void> {
  if (c.session.user.role === 'admin') return;
  const book = receiptBookOf(core, c);
  const hwm = book.hwm();
  if (book.generation() > 0 && !needsReceiptRefill(book.blocks(), hwm)) return;
  const res = await callRoute(c.server, ROUTES.receiptBlocks, {
    body: { clientId: c.store.clientId, generation: book.generation(), hwm, left: book.left() },
  });
  if (!c.store.db.open) return;
  book.accept(res);
  c.store.setMeta('receiptIssuer', JSON.stringify(res.issuer));
}

export function createFieldHandlers(core: WorkstationCore): Pick<WorkstationHandlers, FieldMethods> {
  const listBy = (c: UserContext, where: string, ...args: unknown[]) =>
    (c.store.db.prepare(`${RECEIPT_SELECT} ${where} ORDER BY r.number`).all(...args) as ReceiptRow[]).map(toReceipt);
  const receiptById = (c: UserContext, id: string) => listBy(c, 'WHERE r.id = ?', id)[0] ?? null;

  return {
    async issueReceipt(input) {
      const c = core.need();
      const account = c.store.getAccountRow(input.accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      if (input.method === 'transfer' && !input.transferReference) {
        throw new WorkstationError('validation', 'a transfer needs its bank reference', 'transferReference');
      }
      const book = receiptBookOf(core, c);
      const taken = book.take();
      if (!taken) throw new WorkstationError('receipt.no_numbers', 'no receipt numbers left on this device', 'accountId');
      const now = core.now();
      const fields = {
        number: taken.number,
        accountId: account.id,
        amountMinor: input.amountMinor,
        currency: account.currency,
        issuedAt: now.toISOString(),
        method: input.method,
      };
      const code = formatReceiptCode(createHmac('sha256', Buffer.from(taken.key, 'base64')).update(receiptCodePayload(fields)).digest());
      const id = randomUUID();
      core.write(c, [
        {
          name: 'receipt.issue',
          args: {
            ...fields,
            id,
            blockId: taken.id,
            transferReference: input.transferReference ?? null,
            day: localDate(now, debtor.timeZone),
            code,
          },
        },
      ]);
      return receiptById(c, id)!;
    },

    async voidReceipt({ receiptId, reason }) {
      const c = core.need();
      const r = receiptById(c, receiptId);
      if (!r) throw notFound('receipt', 'receiptId');
      if (!r.voidedAt) core.write(c, [{ name: 'receipt.void', args: { receiptId, reason, voidedAt: core.now().toISOString() } }]);
      return receiptById(c, receiptId)!;
    },

    async listReceipts({ accountId }) {
      const c = core.need();
      return accountId ? listBy(c, 'WHERE r.account_id = ?', accountId) : listBy(c, '');
    },

    async receiptPdf({ receiptId, lang }) {
      const c = core.need();
      const receipt = receiptById(c, receiptId);
      if (!receipt) throw notFound('receipt', 'receiptId');
      const account = c.store.getAccountRow(receipt.accountId);
      const debtor = account && c.store.getDebtor(account.debtorId);
      if (!account || !debtor) throw notFound('account', 'receiptId');
      const issuer = ReceiptIssuer.safeParse(JSON.parse(c.store.getMeta('receiptIssuer') ?? 'null'));
      const pdf = await renderReceiptPdf({
        receipt,
        issuer: issuer.success ? issuer.data : { name: '', country: debtor.country, taxId: null, address: null },
        debtor,
        account,
        collectorName: c.session.user.displayName,
        lang,
      });
      return { fileName: receiptFileName(receipt), base64: pdf.toString('base64') };
    },

    async getHandover() {
      const c = core.need();
      // the collector's own working day, as getMyDay counts it
      const now = core.now();
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const day = localDate(now, zone);
      const since = zonedTimeToUtc(day, '00:00', zone).toISOString();
      const db = c.store.db;
      const me = c.session.user.id;
      const visits = Number(
        db.prepare(`SELECT count(*) FROM activities WHERE agent_id = ? AND channel = 'visit' AND started_at >= ?`).pluck().get(me, since),
      );
      const promises = Number(db.prepare('SELECT count(*) FROM promises WHERE agent_id = ? AND created_at >= ?').pluck().get(me, since));
      const receipts = listBy(c, 'WHERE r.issued_at >= ?', since);
      const per = (method: 'cash' | 'transfer') => {
        const m = new Map<CurrencyCode, { amountMinor: number; receipts: number }>();
        for (const r of receipts) {
          if (r.method !== method || r.voidedAt) continue;
          const t = m.get(r.currency) ?? { amountMinor: 0, receipts: 0 };
          m.set(r.currency, { amountMinor: t.amountMinor + r.amountMinor, receipts: t.receipts + 1 });
        }
        return [...m].map(([currency, v]) => ({ currency, ...v }));
      };
      const handover: Handover = {
        day,
        visits,
        promises,
        cash: per('cash'),
        transfers: per('transfer'),
        receipts,
        pendingMutations: c.store.pendingCount(),
        pendingReceipts: receipts.filter((r) => r.unsynced).length,
        numbersLeft: receiptBookOf(core, c).left(),
      };
      return handover;
    },

    async getCashReconciliation(query) {
      return callRoute(core.need().server, ROUTES.cashReconciliation, { query });
    },

    async recordDeposit(input) {
      return callRoute(core.need().server, ROUTES.recordDeposit, { body: input });
    },
  };
}
