import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db';
import type { Role } from '../../shared/domain/enums';

export const SESSION_TTL_DAYS = 30;

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

export async function createSession(db: Db, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))`,
    [hashToken(token), userId, SESSION_TTL_DAYS],
  );
  return token;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [hashToken(token)]);
}

/** null for an unknown or expired token; a disabled user is returned with disabled = true. */
export async function userForToken(db: Db, token: string): Promise<AuthUser | null> {
  const [user] = await db.query<AuthUser>(
    `SELECT ${USER_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [hashToken(token)],
  );
  return user ?? null;
}
