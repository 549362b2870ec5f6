import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CurrencyCode, parseAmount } from '../../shared/domain/money';
import { PortfolioRow, type RowError } from '../../shared/domain/portfolio';
import { addDays, localDate } from '../../shared/domain/time';
import { COLUMNS, columnForHeader, type ColumnKey, type ColumnSpec } from './columns';
import { normalisePhone } from './phone';
import {
  parseChannels,
  parseCountry,
  parseDate,
  parseDebtorType,
  parseNonNegativeInt,
  parseSegment,
  splitMulti,
  type Parsed,
} from './values';
import { canonicalZone, resolveTimeZone } from './zones';
import { SeenRefs } from './seen-refs';

export interface ParseOptions {
  /**
   * The day days-past-due ("dias_mora") are counted back from, 'YYYY-MM-DD'. Defaults to today
   * in each debtor's own time zone.
   */
  asOf?: string;
}

/**
 * Which optional debtor cells the row filled. An empty cell means "not given", never "reset to the
 * default": the default (or the zone deduced from the phone) is used only for a debtor the
 * database does not have yet, and never overwrites a value an earlier row or import set.
 * Absent = every field given (rows that did not come from a file, e.g. the demo seed).
 */
export interface GivenFields {
  timeZone: boolean;
  debtorType: boolean;
  segment: boolean;
}

export interface ParsedPortfolioRow {
  rowNumber: number;
  row: PortfolioRow;
  given?: GivenFields;
}

/** What an earlier row of the same file said about a debtor (later rows may leave it empty). */
export interface EarlierDebtor {
  rowNumber: number;
  name: string;
  nationalId: string;
  country: string;
  timeZone: string;
}

export interface ParseResult {
  rows: ParsedPortfolioRow[];
  errors: RowError[];
  /** Data rows in the file, blank lines not counted. */
  rowsRead: number;
  /** Header cells that name no known column, so their data was not read ("telefono_referencia"). */
  ignoredColumns?: string[];
}

/** Field name for errors about the file as a whole rather than one column. */
export const FILE_FIELD = 'archivo';

const DEFAULT_CURRENCY: Readonly<Record<string, CurrencyCode>> = {
  CO: 'COP',
  MX: 'MXN',
  PE: 'PEN',
  CL: 'CLP',
  US: 'USD',
  EC: 'USD',
  PA: 'USD',
  SV: 'USD',
  PR: 'USD',
};

const EmailSchema = z.string().email();

/** The separator used most in the header line, outside quotes. */
export function detectDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const counts = new Map<string, number>([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [sep, n] of counts)
    if (n > bestCount) {
      best = sep;
      bestCount = n;
    }
  return best;
}

export interface HeaderMap {
  /** For each key, the indexes and original header names of the columns feeding it. */
  byKey: Map<ColumnKey, { index: number; header: string }[]>;
  ignored: string[];
  errors: RowError[];
}

function mapHeaders(headers: string[]): HeaderMap {
  const byKey = new Map<ColumnKey, { index: number; header: string }[]>();
  const errors: RowError[] = [];
  const ignored: string[] = [];
  headers.forEach((header, index) => {
    const spec = columnForHeader(header);
    if (!spec) {
      if (header.trim() !== '') ignored.push(header.trim());
      return;
    }
    const list = byKey.get(spec.key) ?? [];
    if (list.length > 0 && !spec.repeatable) {
      errors.push({
        row: 1,
        field: header,
        message: `columna repetida: "${list[0]!.header}" y "${header}" son la misma columna (${spec.canonical})`,
      });
    }
    list.push({ index, header });
    byKey.set(spec.key, list);
  });
  for (const spec of COLUMNS) {
    if (spec.required && !byKey.has(spec.key)) {
      errors.push({
        row: 1,
        field: spec.canonical,
        message: `falta la columna obligatoria "${spec.canonical}" (nombres aceptados: ${spec.names.join(', ')})`,
      });
    }
  }
  return { byKey, ignored, errors };
}

/** Reads one data record against the header map, collecting every problem in the row. */
class RowReader {
  readonly errors: RowError[] = [];
  constructor(
    private readonly record: string[],
    private readonly headers: HeaderMap,
    readonly rowNumber: number,
  ) {}

  private specFor(key: ColumnKey): ColumnSpec {
    return COLUMNS.find((c) => c.key === key)!;
  }

  /** Header as the user wrote it, or the canonical name when the column is absent. */
  fieldName(key: ColumnKey): string {
    return this.headers.byKey.get(key)?.[0]?.header ?? this.specFor(key).canonical;
  }

  cell(key: ColumnKey): string {
    const col = this.headers.byKey.get(key)?.[0];
    return col ? (this.record[col.index] ?? '').trim() : '';
  }

  /** Every non-empty cell of a repeatable column, with the header it came from. */
  cells(key: ColumnKey): { header: string; value: string }[] {
    const out: { header: string; value: string }[] = [];
    for (const col of this.headers.byKey.get(key) ?? []) {
      const v = (this.record[col.index] ?? '').trim();
      if (v !== '') out.push({ header: col.header, value: v });
    }
    return out;
  }

  error(field: string, message: string): void {
    this.errors.push({ row: this.rowNumber, field, message });
  }

  required(key: ColumnKey): string | undefined {
    const v = this.cell(key);
    if (v === '') {
      this.error(this.fieldName(key), 'obligatorio y está vacío');
      return undefined;
    }
    return v;
  }

  /** Parses an optional cell; empty → fallback; invalid → error and undefined. */
  optional<T>(key: ColumnKey, parser: (text: string) => Parsed<T>, fallback: T): T | undefined {
    const v = this.cell(key);
    if (v === '') return fallback;
    const r = parser(v);
    if (!r.ok) {
      this.error(this.fieldName(key), r.reason);
      return undefined;
    }
    return r.value;
  }
}

function amount(reader: RowReader, key: ColumnKey, currency: CurrencyCode | undefined, required: boolean): number | null | undefined {
  const text = reader.cell(key);
  if (text === '') {
    if (required) reader.error(reader.fieldName(key), 'obligatorio y está vacío');
    return required ? undefined : null;
  }
  if (!currency) return undefined;
  const r = parseAmount(text, currency);
  if (!r.ok) {
    const reasons: Record<string, string> = {
      'not a number': 'no es un número',
      negative: 'no puede ser negativo',
      'too large': 'es demasiado grande',
    };
    const why = reasons[r.reason] ?? (r.reason.startsWith('more than') ? `tiene más decimales de los que admite ${currency}` : r.reason);
    reader.error(reader.fieldName(key), `"${text}" ${why}`);
    return undefined;
  }
  return r.minor;
}

function readRow(
  reader: RowReader,
  asOf: string | undefined,
  earlierOf: (debtorId: string) => EarlierDebtor | undefined,
): { row: PortfolioRow; given: GivenFields } | undefined {
  const debtorExternalId = reader.required('debtorId');
  // name and country are needed on a debtor's first row only; later rows may leave them empty
  const earlier = debtorExternalId === undefined ? undefined : earlierOf(debtorExternalId);
  const name = (earlier && reader.cell('name') === '' ? earlier.name : reader.required('name'))?.replace(/\s+/g, ' ');
  const nationalId = reader.required('nationalId')?.replace(/\s+/g, '');
  let country: string | undefined;
  if (earlier && reader.cell('country') === '') {
    country = earlier.country;
  } else {
    const countryText = reader.required('country');
    if (countryText !== undefined) {
      const c = parseCountry(countryText);
      if (c.ok) country = c.value;
      else reader.error(reader.fieldName('country'), c.reason);
    }
  }
  const given: GivenFields = {
    timeZone: reader.cell('timeZone') !== '',
    debtorType: reader.cell('debtorType') !== '',
    segment: reader.cell('segment') !== '',
  };
  const debtorType = reader.optional('debtorType', parseDebtorType, 'individual' as const);
  const segment = reader.optional('segment', parseSegment, 'medium' as const);
  const accountRef = reader.required('account');
  const product = reader.cell('product') || 'Sin especificar';

  let currency: CurrencyCode | undefined;
  const currencyText = reader.cell('currency').toUpperCase();
  if (currencyText !== '') {
    const c = CurrencyCode.safeParse(currencyText);
    if (c.success) currency = c.data;
    else
      reader.error(
        reader.fieldName('currency'),
        `"${reader.cell('currency')}" no es una moneda admitida (${CurrencyCode.options.join(', ')})`,
      );
  } else if (country) {
    currency = DEFAULT_CURRENCY[country];
    if (!currency) reader.error(reader.fieldName('currency'), `sin moneda por defecto para ${country}; indíquela`);
  }
  const balanceMinor = amount(reader, 'balance', currency, true);
  const principalCell = amount(reader, 'principal', currency, false);
  const installmentAmountMinor = amount(reader, 'installmentAmount', currency, false);
  const installmentsTotal = reader.optional('installments', parseNonNegativeInt, 0);
  const installmentsPaid = reader.optional('installmentsPaid', parseNonNegativeInt, 0);
  if (installmentsTotal !== undefined && installmentsPaid !== undefined && installmentsPaid > installmentsTotal) {
    reader.error(reader.fieldName('installmentsPaid'), `${installmentsPaid} cuotas pagadas de ${installmentsTotal} cuotas`);
  }

  const phones: string[] = [];
  const whatsapp: string[] = [];
  for (const [key, list] of [
    ['phone', phones],
    ['whatsapp', whatsapp],
  ] as const) {
    for (const { header, value } of reader.cells(key)) {
      for (const part of splitMulti(value)) {
        if (!country) continue;
        const p = normalisePhone(part, country);
        if (!p.ok) reader.error(header, p.reason);
        else if (!list.includes(p.e164)) list.push(p.e164);
      }
    }
  }
  const emails: string[] = [];
  for (const { header, value } of reader.cells('email')) {
    for (const part of splitMulti(value.replace(/,/g, ';'))) {
      const e = part.toLowerCase();
      if (!EmailSchema.safeParse(e).success) reader.error(header, `"${part}" no es un correo electrónico válido`);
      else if (!emails.includes(e)) emails.push(e);
    }
  }

  let timeZone: string | undefined;
  const zoneText = reader.cell('timeZone');
  if (zoneText !== '') {
    timeZone = canonicalZone(zoneText);
    if (!timeZone) reader.error(reader.fieldName('timeZone'), `"${zoneText}" no es una zona horaria IANA (p. ej. America/Bogota)`);
  } else if (earlier && earlier.country === country) {
    // not given: the zone an earlier row set (or deduced) stays, never the country's default
    timeZone = earlier.timeZone;
  } else if (country) {
    const z = resolveTimeZone(country, [...phones, ...whatsapp]);
    if (z.ok) timeZone = z.zone;
    else reader.error(reader.fieldName('timeZone'), z.reason);
  }

  let dueDate: string | null | undefined = reader.optional('dueDate', parseDate, null);
  if (dueDate === null && reader.cell('dpd') !== '') {
    const dpd = reader.optional('dpd', parseNonNegativeInt, 0);
    if (dpd !== undefined && timeZone) dueDate = addDays(asOf ?? localDate(Date.now(), timeZone), -dpd);
    else dueDate = undefined;
  }

  const authorizedChannels = reader.optional('authorizedChannels', parseChannels, []);
  const agent = reader.cell('agent');
  const address = reader.cell('address').replace(/\s+/g, ' ');

  if (reader.errors.length > 0) return undefined;
  const candidate = {
    debtorExternalId,
    name,
    nationalId,
    country,
    timeZone,
    debtorType,
    segment,
    accountRef,
    product,
    currency,
    principalMinor: principalCell ?? balanceMinor,
    balanceMinor,
    dueDate,
    installmentsTotal,
    installmentsPaid,
    installmentAmountMinor,
    phones,
    emails,
    whatsapp,
    address: address === '' ? null : address,
    authorizedChannels,
    assignedAgent: agent === '' ? null : agent,
  };
  // Every cell was checked above; this guards against the two drifting apart.
  const parsed = PortfolioRow.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reader.error(String(issue.path[0] ?? FILE_FIELD), issue.message);
    return undefined;
  }
  return { row: parsed.data, given };
}

/**
 * Debtors remembered for their later rows (name, country, zone, the document check). Files come
 * grouped by debtor, so the most recent ones are enough; the oldest is forgotten past this many,
 * which keeps a streamed file of millions of rows in bounded memory (docs/portfolio-csv.md).
 */
export const DEBTOR_MEMORY = 100_000;

/**
 * The state of reading one file row after row: the header map, the account refs seen (a repeat
 * anywhere in the file is refused) and the most recent debtors. Fed a record at a time, so a
 * streamed file is read in batches with the same answers as a whole one.
 */
export class PortfolioRowParser {
  readonly headers: HeaderMap;
  private readonly accountRows = new SeenRefs();
  private readonly debtors = new Map<string, EarlierDebtor>();

  constructor(
    header: string[],
    private readonly options: ParseOptions = {},
    private readonly debtorMemory = DEBTOR_MEMORY,
  ) {
    if (options.asOf !== undefined && !parseDate(options.asOf).ok) {
      throw new Error(`asOf must be a YYYY-MM-DD date, got "${options.asOf}"`);
    }
    this.headers = mapHeaders(header);
  }

  private remember(id: string, debtor: EarlierDebtor): void {
    this.debtors.delete(id);
    this.debtors.set(id, debtor);
    if (this.debtors.size > this.debtorMemory) this.debtors.delete(this.debtors.keys().next().value!);
  }

  /** Reads one non-blank data record: a good row goes to rows, each problem to errors. */
  read(record: string[], rowNumber: number, rows: ParsedPortfolioRow[], errors: RowError[]): void {
    const reader = new RowReader(record, this.headers, rowNumber);
    const read = readRow(reader, this.options.asOf, (id) => this.debtors.get(id));
    if (read) {
      const { row, given } = read;
      const firstAccount = this.accountRows.get(row.accountRef);
      const debtor = this.debtors.get(row.debtorExternalId);
      if (firstAccount !== undefined) {
        reader.error(reader.fieldName('account'), `la cuenta "${row.accountRef}" ya aparece en la fila ${firstAccount}`);
      } else if (debtor && (debtor.nationalId !== row.nationalId || debtor.country !== row.country)) {
        reader.error(
          reader.fieldName('nationalId'),
          `el deudor "${row.debtorExternalId}" tiene otro documento o país en la fila ${debtor.rowNumber}`,
        );
      } else {
        this.accountRows.set(row.accountRef, reader.rowNumber);
        if (!debtor) {
          this.remember(row.debtorExternalId, {
            rowNumber: reader.rowNumber,
            name: row.name,
            nationalId: row.nationalId,
            country: row.country,
            timeZone: row.timeZone,
          });
        } else {
          this.remember(row.debtorExternalId, given.timeZone ? { ...debtor, timeZone: row.timeZone } : debtor);
        }
        rows.push({ rowNumber: reader.rowNumber, row, given });
      }
    }
    for (const e of reader.errors) errors.push(e);
  }
}

/** A record with nothing but empty cells: not a row (spreadsheets leave them at the end). */
export const isBlankRecord = (record: string[]): boolean => record.every((c) => c.trim() === '');

/**
 * Parses a portfolio CSV as exported from a spreadsheet or core-banking system. Good rows come
 * back validated; each bad row is left out with errors naming its spreadsheet row (header = 1)
 * and column, so one typo never blocks the rest of the file. (The server streams files through
 * PortfolioRowParser instead: portfolio/stream.ts.)
 */
export function parsePortfolioCsv(text: string, options: ParseOptions = {}): ParseResult {
  const body = text.replace(/^\uFEFF/, '');
  if (options.asOf !== undefined && !parseDate(options.asOf).ok) {
    throw new Error(`asOf must be a YYYY-MM-DD date, got "${options.asOf}"`);
  }
  let records: { record: string[]; info: { records: number } }[];
  try {
    records = parse(body, {
      delimiter: detectDelimiter(body),
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { records: number } }[];
  } catch (e) {
    return { rows: [], rowsRead: 0, errors: [csvError(e)] };
  }
  const [header, ...data] = records;
  if (!header) return { rows: [], rowsRead: 0, errors: [{ row: 1, field: FILE_FIELD, message: 'el archivo está vacío' }] };
  const parser = new PortfolioRowParser(header.record, options);
  const nonBlank = data.filter((r) => !isBlankRecord(r.record));
  if (parser.headers.errors.length > 0)
    return { rows: [], errors: parser.headers.errors, rowsRead: nonBlank.length, ignoredColumns: parser.headers.ignored };

  const rows: ParsedPortfolioRow[] = [];
  const errors: RowError[] = [];
  for (const { record, info } of nonBlank) parser.read(record, info.records, rows, errors);
  return { rows, errors, rowsRead: nonBlank.length, ignoredColumns: parser.headers.ignored };
}

/** A file csv-parse could not read (an unclosed quote …), as an error on the line it stopped at. */
export function csvError(e: unknown): RowError {
  const line = e instanceof CsvError ? Number((e as CsvError & { lines?: number }).lines ?? 0) : 0;
  return { row: line, field: FILE_FIELD, message: `el archivo no es un CSV válido: ${(e as Error).message}` };
}
