import { CsvError, parse } from 'csv-parse/sync';
import { parseAmount, type CurrencyCode } from '../../shared/domain/money';
import { IsoDate } from '../../shared/domain/entities';
import { addDays, zonedTimeToUtc } from '../../shared/domain/time';

/**
 * The payments feed as CSV (e.g. a core-banking export): referencia, cuenta, monto, fecha and an
 * optional reversado column. Amounts are in major units of the account's currency; a date
 * without a time is taken as noon in the debtor's zone. Errors name the row and the column.
 */
export interface PaymentCsvRow {
  rowNumber: number;
  reference: string;
  accountRef: string;
  amountText: string;
  dateText: string;
  reversed: boolean;
}
export interface CsvRowError {
  row: number;
  field: string;
  message: string;
}

const HEADERS: Record<string, keyof Omit<PaymentCsvRow, 'rowNumber'>> = {
  referencia: 'reference',
  reference: 'reference',
  cuenta: 'accountRef',
  account: 'accountRef',
  monto: 'amountText',
  amount: 'amountText',
  fecha: 'dateText',
  date: 'dateText',
  reversado: 'reversed',
  reversed: 'reversed',
};
const TRUE = new Set(['si', 'sí', 's', 'true', '1', 'yes', 'x']);

export function parsePaymentsCsv(text: string): { rows: PaymentCsvRow[]; errors: CsvRowError[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter: text.split('\n')[0]?.includes(';') ? ';' : ',',
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    });
  } catch (e) {
    const line = e instanceof CsvError ? ((e as CsvError & { lines?: number }).lines ?? 0) : 0;
    return { rows: [], errors: [{ row: line, field: 'file', message: e instanceof Error ? e.message : String(e) }] };
  }
  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ row: 1, field: 'file', message: 'empty file' }] };
  const cols = header.map(
    (h) =>
      HEADERS[
        h
          .toLowerCase()
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
      ] ?? null,
  );
  const errors: CsvRowError[] = [];
  for (const need of ['reference', 'accountRef', 'amountText', 'dateText'] as const) {
    if (!cols.includes(need))
      errors.push({
        row: 1,
        field: need === 'reference' ? 'referencia' : need === 'accountRef' ? 'cuenta' : need === 'amountText' ? 'monto' : 'fecha',
        message: 'missing column',
      });
  }
  if (errors.length) return { rows: [], errors };
  const rows: PaymentCsvRow[] = [];
  body.forEach((rec, i) => {
    const r: PaymentCsvRow = { rowNumber: i + 2, reference: '', accountRef: '', amountText: '', dateText: '', reversed: false };
    cols.forEach((c, k) => {
      const v = rec[k] ?? '';
      if (c === 'reversed') r.reversed = TRUE.has(v.toLowerCase());
      else if (c) r[c] = v;
    });
    if (!r.reference) errors.push({ row: r.rowNumber, field: 'referencia', message: 'empty' });
    else if (!r.accountRef) errors.push({ row: r.rowNumber, field: 'cuenta', message: 'empty' });
    else rows.push(r);
  });
  return { rows, errors };
}

export function csvAmount(text: string, currency: CurrencyCode): number | string {
  const r = parseAmount(text, currency);
  if (!r.ok) return r.reason;
  return r.minor > 0 ? r.minor : 'must be greater than zero';
}

/**
 * A bank file often dates a payment by day only. It is taken as the last moment of that day in
 * the debtor's zone, or now if that is later than now: a payment dated the day a promise was made
 * counts for that promise (the debtor paid after the call, as far as anyone can tell), and no
 * payment is ever dated in the future.
 */
export function csvInstant(text: string, timeZone: string, now: Date = new Date()): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    if (!IsoDate.safeParse(text).success) return null;
    const endOfDay = zonedTimeToUtc(addDays(text, 1), '00:00', timeZone).getTime() - 1000;
    return new Date(Math.min(endOfDay, now.getTime())).toISOString();
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
