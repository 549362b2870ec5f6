import type { ImportReport } from '../../shared/domain/portfolio';
import type { Db } from '../db';
import { parsePortfolioCsv, type ParseOptions } from './parse';
import { upsertPortfolio, type UpsertOptions } from './upsert';

/**
 * A portfolio file, end to end: parse, write the good rows, report every bad one by spreadsheet
 * row and column. Used by the HTTP upload route and the `npm run import` CLI alike.
 */
export async function importPortfolioCsv(
  db: Db, orgId: string, text: string, options: ParseOptions & UpsertOptions = {},
): Promise<ImportReport & { ignoredColumns: string[] }> {
  const parsed = parsePortfolioCsv(text, options);
  const written = await upsertPortfolio(db, orgId, parsed.rows, options);
  const errors = [...parsed.errors, ...written.errors].sort((a, b) => a.row - b.row);
  return { ...written, rowsRead: parsed.rowsRead, errors, ignoredColumns: parsed.ignoredColumns ?? [] };
}
