import type { Db } from '../db';
import type { Scope } from '../access/visibility';
import type { WriteActor } from './actor';
import type { ImportRun } from '../../shared/api/imports';

// the run's schema is the API's (shared/api/imports.ts): re-exported for the server's modules
export { ImportRun } from '../../shared/api/imports';

export interface RunProgress {
  rowsRead: number;
  rowsWritten: number;
  rowsRefused: number;
}

export async function startRun(db: Db, orgId: string, kind: ImportRun['kind'], actor: WriteActor, id?: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO import_runs (id, org_id, kind, actor_id, via) VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5) RETURNING id`,
    [id ?? null, orgId, kind, actor.userId, actor.via],
  );
  return row!.id;
}

export async function recordProgress(db: Db, id: string, p: RunProgress): Promise<void> {
  await db.query('UPDATE import_runs SET rows_read = $2, rows_written = $3, rows_refused = $4, updated_at = now() WHERE id = $1', [
    id,
    p.rowsRead,
    p.rowsWritten,
    p.rowsRefused,
  ]);
}

export async function finishRun(db: Db, id: string, p: RunProgress, report: object): Promise<void> {
  await db.query(
    `UPDATE import_runs SET status = 'done', rows_read = $2, rows_written = $3, rows_refused = $4, report = $5::jsonb,
            updated_at = now(), finished_at = now() WHERE id = $1`,
    [id, p.rowsRead, p.rowsWritten, p.rowsRefused, JSON.stringify(report)],
  );
}

export async function failRun(db: Db, id: string, failure: string): Promise<void> {
  await db.query(`UPDATE import_runs SET status = 'failed', failure = $2, updated_at = now(), finished_at = now() WHERE id = $1`, [
    id,
    failure,
  ]);
}

const RUN_COLUMNS = `r.id, r.kind, r.actor_id AS "actorId", u.username AS "actorUsername", r.via, r.status,
  r.rows_read AS "rowsRead", r.rows_written AS "rowsWritten", r.rows_refused AS "rowsRefused",
  r.started_at AS "startedAt", r.updated_at AS "updatedAt", r.finished_at AS "finishedAt", r.failure, r.report`;

type RunRow = Omit<ImportRun, 'startedAt' | 'updatedAt' | 'finishedAt'> & { startedAt: Date; updatedAt: Date; finishedAt: Date | null };

function toRun(r: RunRow): ImportRun {
  return {
    ...r,
    startedAt: r.startedAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Runs the caller may see: an admin every run of the organisation, anyone else their own. */
const OWN_RUNS = 'r.org_id = $1 AND ($2::uuid IS NULL OR r.actor_id = $2)';
const ownerOf = (scope: Scope): string | null => (scope.agentIds === null ? null : scope.userId);

export async function findRun(db: Db, scope: Scope, id: string): Promise<ImportRun | null> {
  const [row] = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM import_runs r LEFT JOIN users u ON u.id = r.actor_id WHERE ${OWN_RUNS} AND r.id = $3`,
    [scope.orgId, ownerOf(scope), id],
  );
  return row ? toRun(row) : null;
}

export async function listRuns(db: Db, scope: Scope, limit: number): Promise<ImportRun[]> {
  const rows = await db.query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM import_runs r LEFT JOIN users u ON u.id = r.actor_id WHERE ${OWN_RUNS}
      ORDER BY r.started_at DESC, r.id LIMIT $3`,
    [scope.orgId, ownerOf(scope), limit],
  );
  return rows.map(toRun);
}

/** Whether an id is taken by any run (a caller-chosen import id must be new). */
export async function findRunAnywhere(db: Db, id: string): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM import_runs WHERE id = $1', [id]);
  return rows.length > 0;
}
