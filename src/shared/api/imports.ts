import { z } from 'zod';
import { Id } from '../domain/entities';

/**
 * An import run: one file loaded (import_runs, 0014-import-actors.sql). Started before the first
 * row is read, its counts move after every batch so a caller can watch a large file go in
 * (GET /api/v1/imports/:id), and it keeps who loaded it and the final report for the audit trail.
 */
export const ImportRun = z.object({
  id: z.string().uuid(),
  kind: z.enum(['portfolio', 'payments']),
  actorId: z.string().uuid().nullable(),
  actorUsername: z.string().nullable(),
  via: z.enum(['api', 'cli']),
  status: z.enum(['running', 'done', 'failed']),
  rowsRead: z.number().int(),
  rowsWritten: z.number().int(),
  rowsRefused: z.number().int(),
  startedAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
  /** The final report (its error list bounded), once the run has ended. */
  report: z.record(z.string(), z.unknown()).nullable(),
});
export type ImportRun = z.infer<typeof ImportRun>;

/** The answer to a payments feed (POST /api/v1/imports/payments). */
export const PaymentsImportReport = z.object({
  /** The import run: who loaded the file and its report stay in GET /api/v1/imports/:id. */
  importId: Id,
  rows: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  reversed: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
});
