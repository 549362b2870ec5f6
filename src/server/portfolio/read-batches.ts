import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CsvError, parse, type Options } from 'csv-parse';
import type { RowError } from '../../shared/domain/portfolio';
import {
  csvError,
  detectDelimiter,
  FILE_FIELD,
  isBlankRecord,
  PortfolioRowParser,
  type ParsedPortfolioRow,
  type ParseOptions,
} from './parse';

/**
 * Reading a portfolio file's text into batches of checked rows: csv-parse splits it, the row
 * parser (parse.ts) checks each record, and every `batchSize` records make a batch. This is all
 * of the file's CPU short of the database, and the same code runs on the server's thread (small
 * uploads) or in a worker thread (parse-thread.ts), so a file reads the same either way.
 */

/** One batch: the good rows, the row errors of its records, and the data rows read so far. */
export interface ReadBatch {
  rows: ParsedPortfolioRow[];
  rowErrors: RowError[];
  rowsRead: number;
}

/** What the header said, known once the first batch is read. */
export interface FileHeader {
  /** Header cells that name no known column (their data is not read). */
  ignoredColumns: string[];
}

/** Rows read between two turns of the event loop (a row's checks take a fraction of a millisecond). */
const YIELD_ROWS = 50;

/** Text chunks up to and including the first line, so the separator can be read off the header. */
async function headerLine(texts: AsyncIterator<string>): Promise<{ head: string; done: boolean }> {
  let head = '';
  for (;;) {
    const next = await texts.next();
    if (next.done) return { head, done: true };
    head += next.value;
    if (/\r?\n/.test(head)) return { head, done: false };
  }
}

type CsvRecord = { record: string[]; info: { records: number } };

/**
 * csv-parse's records for the texts, a text at a time. Records are taken as csv-parse finds them
 * (on_record) rather than from its stream: a stream that fails (broken quoting) drops the records
 * still in its buffer, and those rows would be neither written nor reported.
 */
async function* records(texts: AsyncIterator<string>, head: string, done: boolean): AsyncGenerator<CsvRecord> {
  const body = head.replace(/^\uFEFF/, '');
  let found: CsvRecord[] = [];
  const parser = parse({
    delimiter: detectDelimiter(body),
    relax_column_count: true,
    skip_empty_lines: false,
    info: true,
    // with info: true a record comes as { record, info } (csv-parse's types say string[])
    on_record: ((r: CsvRecord) => {
      found.push(r);
      return null;
    }) as unknown as Options['on_record'],
  });
  // the failure comes to the write's callback; the stream's own 'error' event must not crash the process
  parser.on('error', () => {});
  const feed = (text: string | null) =>
    new Promise<Error | null | undefined>((resolve) => (text === null ? parser.end(resolve) : parser.write(text, resolve)));
  try {
    for (let text: string | null = body; ;) {
      const failure = await feed(text);
      const got = found;
      found = [];
      yield* got;
      if (failure) throw failure;
      if (text === null) return;
      const next = done ? { done: true as const } : await texts.next();
      text = next.done ? null : next.value;
    }
  } finally {
    parser.destroy();
  }
}

/**
 * The batches of a decoded file, in file order. A file whose header is wrong is read to the end
 * (its rows counted) but gives no rows; broken quoting ends the file at the line it broke on (the
 * rows before it are given). The header's and the file's own errors come with the last batch.
 */
export async function* readBatches(
  texts: AsyncIterable<string>,
  options: ParseOptions,
  batchSize: number,
  header: FileHeader,
): AsyncGenerator<ReadBatch> {
  const it = texts[Symbol.asyncIterator]();
  const { head, done } = await headerLine(it);
  let parser: PortfolioRowParser | null = null;
  let headerErrors: RowError[] = [];
  let rows: ParsedPortfolioRow[] = [];
  let rowErrors: RowError[] = [];
  let inBatch = 0;
  let rowsRead = 0;
  const take = (): ReadBatch => {
    const batch = { rows, rowErrors, rowsRead };
    rows = [];
    rowErrors = [];
    inBatch = 0;
    return batch;
  };
  try {
    for await (const { record, info } of records(it, head, done)) {
      if (!parser) {
        parser = new PortfolioRowParser(record, options);
        headerErrors = parser.headers.errors;
        header.ignoredColumns = parser.headers.ignored;
        continue;
      }
      if (isBlankRecord(record)) continue;
      rowsRead += 1;
      // the checks of a row are synchronous: let other work (requests, messages) in between rows
      if (rowsRead % YIELD_ROWS === 0) await yieldToEventLoop();
      if (headerErrors.length > 0) continue;
      parser.read(record, info.records, rows, rowErrors);
      if (++inBatch >= batchSize) yield take();
    }
  } catch (e) {
    // (csv-parse's errors are named 'Error': told apart by their class)
    if (!(e instanceof CsvError)) throw e;
    // rows before the broken line are given; the last batch names the line it stopped at
    if (inBatch > 0) yield take();
    rowErrors.push(csvError(e));
  }
  if (!parser) headerErrors = [{ row: 1, field: FILE_FIELD, message: 'el archivo está vacío' }];
  if (headerErrors.length > 0) rowErrors = [...headerErrors, ...rowErrors];
  yield take();
}
