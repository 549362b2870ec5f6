import type { FastifyInstance } from 'fastify';
import type { Db } from '../db';

/**
 * Reports and dashboards may read from a PostgreSQL streaming replica (REPORTS_DATABASE_URL), so a
 * manager's 90-day chart never competes with agents' pushes on the primary. What stays on the
 * primary, and why (docs/scaling.md): sync pull and push (a pull's head must never pass a change
 * the replica has not replayed yet), logins and sessions, and every read that decides a write
 * (visibility, compliance, approvals). A report says where it was read and how stale it is.
 */
export interface ReportReads {
  db: Db;
  source: 'primary' | 'replica';
  /** Seconds the replica is behind the primary (0 when caught up); 0 on the primary. */
  staleSeconds: number;
}

export interface ReportsReplica {
  db: Db;
  /** Beyond this lag the report reads the primary instead (REPORTS_MAX_LAG_SECONDS, default 300). */
  maxLagSeconds: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    reportsReplica: ReportsReplica | null;
  }
}

/** How far behind the replica is: 0 when every received change is replayed. */
const LAG_SQL = `SELECT pg_is_in_recovery() AS standby,
  CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
       ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag`;

/** The database a report reads: the replica when configured, reachable and fresh enough, else the primary. */
export async function reportReads(app: FastifyInstance, primary: Db): Promise<ReportReads> {
  const replica = app.reportsReplica;
  if (!replica) return { db: primary, source: 'primary', staleSeconds: 0 };
  try {
    const [row] = await replica.db.query<{ standby: boolean; lag: number }>(LAG_SQL);
    // a "replica" that is not in recovery is a primary (a failover promoted it): its data is current
    if (!row?.standby) return { db: replica.db, source: 'primary', staleSeconds: 0 };
    const lag = Math.max(0, Math.round(Number(row.lag) * 10) / 10);
    if (lag > replica.maxLagSeconds) {
      app.log.warn({ lagSeconds: lag }, 'reports replica too far behind: reading the primary');
      return { db: primary, source: 'primary', staleSeconds: 0 };
    }
    return { db: replica.db, source: 'replica', staleSeconds: lag };
  } catch (err) {
    // a replica down must not take the reports with it
    app.log.warn({ err }, 'reports replica unreachable: reading the primary');
    return { db: primary, source: 'primary', staleSeconds: 0 };
  }
}

export function replicaMaxLagFromEnv(v: string | undefined): number {
  const n = v === undefined || v === '' ? 300 : Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`REPORTS_MAX_LAG_SECONDS must be a number of seconds, got "${v}"`);
  return n;
}
