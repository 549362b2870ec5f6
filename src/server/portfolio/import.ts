import type { Db } from '../db';
import { importPortfolioStream, type StreamImportOptions, type StreamImportReport } from './stream';

/**
 * A portfolio file already in memory, end to end: parse, write the good rows, report every bad one
 * by spreadsheet row and column. The same path as a streamed upload (portfolio/stream.ts), so a
 * file reads the same however it arrives. The file is an import run (src/server/imports/runs.ts).
 */
export async function importPortfolioCsv(
  db: Db,
  orgId: string,
  text: string,
  options: StreamImportOptions = {},
): Promise<StreamImportReport> {
  return importPortfolioStream(db, orgId, [text], options);
}
