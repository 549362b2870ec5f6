import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import { authConfigFor } from './config';
import { PURGE_THROTTLE_SQL } from './login-throttle';
import { scheduleSharedJob } from '../jobs/schedule';
import type { Role } from '../../shared/domain/enums';

/** The caller of a request, re-read from the database on every request. */
export interface AuthUser {
  id: string;
  orgId: string;
  teamId: string | null;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
}

export const USER_COLUMNS = `u.id, u.org_id AS "orgId", u.team_id AS "teamId", u.username,
  u.display_name AS "displayName", u.role, u.disabled`;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new session: ends after the configured absolute lifetime, or sooner when left idle. */
/** `prefix` names the database of an organisation placed in its own (db/directory.ts); '' on the primary. */
export async function createSession(db: Db, userId: string, prefix = ''): Promise<{ token: string; expiresAt: Date }> {
  const token = prefix + randomBytes(32).toString('base64url');
  const [row] = await db.query<{ expiresAt: Date }>(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + ($3::int * interval '1 second')) RETURNING expires_at AS "expiresAt"`,
    [hashToken(token), userId, authConfigFor(db).sessionMaxSec],
  );
  return { token, expiresAt: row!.expiresAt };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

/** null for an unknown or expired token; a disabled user is returned with disabled = true. */
/**
 * null for an unknown, expired or idle token; a disabled user is returned with disabled = true.
 * Use is recorded at most once a minute per session (last_seen_at), in the same statement.
 */
export async function userForToken(db: Db, token: string): Promise<AuthUser | null> {
  const [user] = await db.query<AuthUser>(
    `WITH s AS (
       SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > now() AND last_seen_at > now() - ($2::int * interval '1 second')
     ), touch AS (
       UPDATE sessions SET last_seen_at = now()
       WHERE token_hash = $1 AND last_seen_at < now() - interval '60 seconds' AND EXISTS (SELECT 1 FROM s)
     )
     SELECT ${USER_COLUMNS} FROM s JOIN users u ON u.id = s.user_id`,
    [hashToken(token), authConfigFor(db).sessionIdleSec],
  );
  return user ?? null;
}

/** Ended sessions and spent login counters are deleted; whichever instance gets there first does it. */
export async function purgeExpired(db: Db): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ got: boolean }>('SELECT pg_try_advisory_xact_lock(7265) AS got');
    if (!lock?.got) return 0;
    const gone = await tx.query(
      `DELETE FROM sessions WHERE expires_at <= now() OR last_seen_at <= now() - ($1::int * interval '1 second') RETURNING 1`,
      [authConfigFor(db).sessionIdleSec],
    );
    await tx.query(PURGE_THROTTLE_SQL);
    return gone.length;
  });
}

/** purgeExpired every `everyMs`, once across all the instances on the database (jobs/schedule.ts). */
export function schedulePurge(db: Db, everyMs: number, onError: (e: unknown) => void): () => Promise<void> {
  return scheduleSharedJob(db, {
    name: 'session-purge',
    intervalMs: everyMs,
    log: (msg) => onError(new Error(msg)),
    async run() {
      return `${await purgeExpired(db)} sessions ended`;
    },
  });
}
