import type { ImportReport } from '../../shared/domain/portfolio';
import type { Db } from '../db';
import { CLI_ACTOR } from '../imports/actor';
import { failRun, finishRun, startRun } from '../imports/runs';
import { parsePortfolioCsv, type ParseOptions } from './parse';
import { upsertPortfolio, type UpsertOptions } from './upsert';

/**
 * A portfolio file, end to end: parse, write the good rows, report every bad one by spreadsheet
 * row and column. Used by the HTTP upload route and the `npm run import` CLI alike. The file is
 * an import run (src/server/imports/runs.ts): who loaded it, when, and its report.
 */
export async function importPortfolioCsv(
  db: Db, orgId: string, text: string, options: ParseOptions & UpsertOptions = {},
): Promise<ImportReport & { ignoredColumns: string[] }> {
  const actor = options.actor ?? CLI_ACTOR;
  const importId = await startRun(db, orgId, 'portfolio', actor);
  try {
    const parsed = parsePortfolioCsv(text, options);
    const written = await upsertPortfolio(db, orgId, parsed.rows, { ...options, actor: { ...actor, importId } });
    const errors = [...parsed.errors, ...written.errors].sort((a, b) => a.row - b.row);
    const report = { ...written, rowsRead: parsed.rowsRead, errors, ignoredColumns: parsed.ignoredColumns ?? [], importId };
    await finishRun(db, importId, {
      rowsRead: report.rowsRead, rowsWritten: report.accountsUpserted, rowsRefused: new Set(errors.map((e) => e.row)).size,
    }, report);
    return report;
  } catch (e) {
    await failRun(db, importId, e instanceof Error ? e.message : String(e));
    throw e;
  }
}
