import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { ImportReport, RowError } from '../../shared/domain/portfolio';
import type { Db } from '../db';
import { CLI_ACTOR } from '../imports/actor';
import { failRun, finishRun, recordProgress, startRun, type RunProgress } from '../imports/runs';
import { decodeCsvStream, type StreamEncoding } from './decode';
import type { ParseOptions } from './parse';
import { batchesInWorker } from './parse-thread';
import { readBatches, type FileHeader, type ReadBatch } from './read-batches';
import { upsertPortfolio, type UpsertOptions } from './upsert';

/**
 * A portfolio file of any size, read as it arrives: decoded (decodeCsvStream), split by csv-parse,
 * read into rows and written a batch at a time. Each batch is its own short write transactions
 * (the change lock is held per chunk, never for the whole file, so sync keeps flowing), the run's
 * counts move after it (GET /api/v1/imports/:id) and the event loop gets a turn before the next,
 * so the server keeps answering. Memory stays bounded: one batch of rows, the account refs seen
 * (a repeated account anywhere in the file is still refused), the most recent debtors
 * (parse.ts DEBTOR_MEMORY) and the first MAX_LISTED errors and warnings.
 */

export const BATCH_ROWS = 2_000;
/**
 * PGlite runs each statement on the main thread (WASM): a 1,000-row upsert blocks the event loop
 * for a second on a busy machine, so embedded servers write in smaller batches (each a few hundred
 * ms of blocking; smaller ones cost more in per-batch statements than they save).
 */
export const PGLITE_BATCH_ROWS = 500;
/** Errors (and warnings) listed in a report; the rest are counted (errorCount, warningCount). */
export const MAX_LISTED = 1_000;
/**
 * Statistics are refreshed each time the rows written double (2,000, 4,000 … : about twenty
 * ANALYZEs for a million rows, each a sample of a few hundred ms at most). Without it, a first
 * large file into an organisation keeps the statistics of a nearly empty one: the planner's
 * generic plans then look a chunk's debtors up by scanning all the organisation's debtors (by the
 * org_id prefix of the index), a cost that grows with every batch.
 */
const FIRST_ANALYZE = 2_000;
const GROWN_TABLES = 'debtors, accounts, contact_points, assignment_log';
/**
 * Debtor ids / contact points remembered to count each once across batches: past this many, only
 * the most recent are kept (a debtor's rows are adjacent in grouped files, so counts stay exact).
 */
const SEEN_MEMORY = 20_000;
const keepRecent = (set: Set<string>): Set<string> => (set.size > SEEN_MEMORY ? new Set([...set].slice(-SEEN_MEMORY / 2)) : set);

export interface StreamImportOptions extends ParseOptions, UpsertOptions {
  /** Rows read, then written, per batch. */
  batchSize?: number;
  /** The run's id, chosen by the caller so it can watch progress before the answer (a UUID). */
  importId?: string;
  maxListed?: number;
  /**
   * Read the file in a worker thread (parse-thread.ts): for big uploads, so their row checks and
   * garbage stay off the server's event loop. Same batches, same report.
   */
  inWorker?: boolean;
}

export type StreamImportReport = ImportReport & { ignoredColumns: string[]; encoding: StreamEncoding['encoding'] };

class Listed {
  readonly list: RowError[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(errors: RowError[]): void {
    this.count += errors.length;
    for (const e of errors) if (this.list.length < this.max) this.list.push(e);
  }
}

export async function importPortfolioStream(
  db: Db,
  orgId: string,
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: StreamImportOptions = {},
): Promise<StreamImportReport> {
  const actor = options.actor ?? CLI_ACTOR;
  const batchSize = options.batchSize ?? (db.kind === 'pglite' ? PGLITE_BATCH_ROWS : BATCH_ROWS);
  const importId = await startRun(db, orgId, 'portfolio', actor, options.importId);
  const found: StreamEncoding = { encoding: 'utf-8' };
  const errors = new Listed(options.maxListed ?? MAX_LISTED);
  const warnings = new Listed(options.maxListed ?? MAX_LISTED);
  const progress: RunProgress = { rowsRead: 0, rowsWritten: 0, rowsRefused: 0 };
  const totals = { debtorsUpserted: 0, contactPointsUpserted: 0 };
  const warned = new Set<string>();
  const seen = { debtors: new Set<string>(), contactPoints: new Set<string>() };
  const header: FileHeader = { ignoredColumns: [] };
  try {
    let analyzeAt = FIRST_ANALYZE;
    const write = async ({ rows: batch, rowErrors: batchRowErrors, rowsRead: readSoFar }: ReadBatch) => {
      const written =
        batch.length > 0 ? await upsertPortfolio(db, orgId, batch, { ...options, actor: { ...actor, importId }, warned, seen }) : null;
      const batchErrors = [...batchRowErrors, ...(written?.errors ?? [])].sort((a, b) => a.row - b.row);
      errors.add(batchErrors);
      warnings.add(written?.warnings ?? []);
      progress.rowsRead = readSoFar;
      progress.rowsWritten += written?.accountsUpserted ?? 0;
      progress.rowsRefused += new Set(batchErrors.map((e) => e.row)).size;
      totals.debtorsUpserted += written?.debtorsUpserted ?? 0;
      totals.contactPointsUpserted += written?.contactPointsUpserted ?? 0;
      seen.debtors = keepRecent(seen.debtors);
      seen.contactPoints = keepRecent(seen.contactPoints);
      await recordProgress(db, importId, progress);
      if (progress.rowsWritten >= analyzeAt) {
        analyzeAt = progress.rowsWritten * 2;
        await db.exec(`ANALYZE ${GROWN_TABLES}`);
      }
    };
    const parseOptions: ParseOptions = options.asOf === undefined ? {} : { asOf: options.asOf };
    const batches = options.inWorker
      ? batchesInWorker(source, { options: parseOptions, batchSize }, found, header)
      : readBatches(decodeCsvStream(source, found), parseOptions, batchSize, header);
    // One batch is written while the next is read: the database and the row checks (phones,
    // amounts, dates: most of the CPU here) overlap. Writes stay one after the other, in file
    // order (a debtor's later rows build on what the earlier batch wrote), and at most two
    // batches are held at once (in a worker, two more may wait there).
    let writing: Promise<void> = Promise.resolve();
    try {
      for await (const batch of batches) {
        await writing;
        const next = write(batch);
        // a failure is raised by the next batch or the final wait, never left unhandled meanwhile
        next.catch(() => {});
        writing = next;
        await yieldToEventLoop();
      }
    } catch (e) {
      // an upload that fails half-way (413, dropped): the batches before it are written first
      await writing.catch(() => {});
      throw e;
    }
    await writing;

    const report: StreamImportReport = {
      rowsRead: progress.rowsRead,
      debtorsUpserted: totals.debtorsUpserted,
      accountsUpserted: progress.rowsWritten,
      contactPointsUpserted: totals.contactPointsUpserted,
      errors: errors.list,
      warnings: warnings.list,
      ...(errors.count > errors.list.length ? { errorCount: errors.count } : {}),
      ...(warnings.count > warnings.list.length ? { warningCount: warnings.count } : {}),
      ignoredColumns: header.ignoredColumns,
      importId,
      encoding: found.encoding,
    };
    await finishRun(db, importId, progress, report);
    return report;
  } catch (e) {
    await failRun(db, importId, e instanceof Error ? e.message : String(e));
    throw e;
  }
}
