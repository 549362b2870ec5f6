import type { CurrencyCode } from '../../shared/domain/money';
import { SqlParams, visibleAccount, type Scope } from '../access/visibility';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { HttpError } from '../http/errors';
import { csvAmount, csvInstant, parsePaymentsCsv, type CsvRowError, type PaymentCsvRow } from './payments-csv';
import { recordPayment, reversePayment } from './payments';
import { apiActor, declareActor, type WriteActor } from '../imports/actor';
import { failRun, finishRun, startRun } from '../imports/runs';

export interface PaymentsImportReport {
  importId: string;
  rows: number;
  created: number;
  duplicates: number;
  reversed: number;
  errors: CsvRowError[];
}

/** Rows per transaction: each row has its own savepoint, so a bad row never undoes the good ones. */
const CHUNK = 250;

class RowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The payments feed: idempotent by reference (a file loaded twice adds nothing), reversals
 * applied once. Commits every CHUNK rows, so the change lock is never held for long.
 */
export async function importPaymentsCsv(db: Db, scope: Scope, text: string, now: Date): Promise<PaymentsImportReport> {
  const orgId = scope.orgId;
  const actor: WriteActor = { ...apiActor(scope.userId), importId: await startRun(db, orgId, 'payments', apiActor(scope.userId)) };
  try {
    const report = await importRows(db, scope, actor, text, now);
    await finishRun(
      db,
      actor.importId!,
      {
        rowsRead: report.rows,
        rowsWritten: report.created + report.duplicates,
        rowsRefused: new Set(report.errors.map((e) => e.row)).size,
      },
      report,
    );
    return report;
  } catch (e) {
    await failRun(db, actor.importId!, e instanceof Error ? e.message : String(e));
    throw e;
  }
}

async function importRows(db: Db, scope: Scope, actor: WriteActor, text: string, now: Date): Promise<PaymentsImportReport> {
  const orgId = scope.orgId;
  const parsed = parsePaymentsCsv(text);
  const report: PaymentsImportReport = {
    importId: actor.importId!,
    rows: parsed.rows.length + parsed.errors.filter((e) => e.row > 1).length,
    created: 0,
    duplicates: 0,
    reversed: 0,
    errors: [...parsed.errors],
  };
  const accounts = new Map<string, { id: string; currency: CurrencyCode; timeZone: string } | null>();
  async function importRow(tx: Db, r: PaymentCsvRow): Promise<{ created: boolean; reversed: boolean }> {
    if (!accounts.has(r.accountRef)) {
      // Only accounts the caller sees (src/server/access/visibility.ts): a lead's file reaches their team only.
      const p = new SqlParams();
      const [acc] = await tx.query<{ id: string; currency: CurrencyCode; timeZone: string }>(
        `SELECT a.id, a.currency, d.time_zone AS "timeZone" FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE a.external_ref = ${p.add(r.accountRef)} AND ${visibleAccount(scope, 'a', p)}`,
        p.values,
      );
      accounts.set(r.accountRef, acc ?? null);
    }
    const acc = accounts.get(r.accountRef);
    // the same words for an account of another team: a lead learns nothing of what they cannot see
    if (!acc) throw new RowError('cuenta', `unknown account ${r.accountRef}`);
    const amount = csvAmount(r.amountText, acc.currency);
    if (typeof amount === 'string') throw new RowError('monto', amount);
    const paidAt = csvInstant(r.dateText, acc.timeZone, now);
    if (!paidAt) throw new RowError('fecha', 'not a date (YYYY-MM-DD or ISO instant)');
    const res = await recordPayment(
      tx,
      orgId,
      { accountId: acc.id, reference: r.reference, amountMinor: amount, currency: acc.currency, paidAt },
      now,
      actor,
    );
    const reversed = r.reversed ? ((await reversePayment(tx, orgId, r.reference, now.toISOString(), now, actor))?.changed ?? false) : false;
    return { created: res.created, reversed };
  }
  for (let k = 0; k < parsed.rows.length; k += CHUNK) {
    await writeTransaction(db, orgId, async (tx) => {
      await declareActor(tx, actor);
      for (const r of parsed.rows.slice(k, k + CHUNK)) {
        try {
          const res = await tx.transaction((sp) => importRow(sp, r));
          if (res.created) report.created++;
          else report.duplicates++;
          if (res.reversed) report.reversed++;
        } catch (e) {
          if (e instanceof RowError) report.errors.push({ row: r.rowNumber, field: e.field, message: e.message });
          else if (e instanceof HttpError) report.errors.push({ row: r.rowNumber, field: 'referencia', message: e.message });
          else throw e;
        }
      }
    });
  }
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}
