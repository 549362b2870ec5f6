import type { z } from 'zod';
import type { CreateUserRequest, UpdateUserRequest } from '../../shared/api/users';
import type { Role } from '../../shared/domain/enums';
import { hashPassword } from '../auth/password';
import { USER_COLUMNS, type AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { diff, recordAudit, type Actor } from './audit';
import { membersMoved, scopesReshaped } from './scope-changes';
import type { ServerErrorCode } from '../../shared/errors/codes';

/**
 * What an administrator changes about users. Every write runs in a writeTransaction: scope
 * changes draw change versions like any synced write, and admin writes of one database run one
 * at a time, so two administrators demoting each other cannot both pass the last-admin check.
 */

export interface AdminUserRow extends AuthUser {
  sipExtension: string | null;
}
const ADMIN_USER_COLUMNS = `${USER_COLUMNS}, u.sip_extension AS "sipExtension"`;

const conflict = (code: ServerErrorCode, message: string, field?: string) => new HttpError(409, code, message, field);
const badField = (field: string, message: string) => new HttpError(400, 'invalid_request', `body.${field}: ${message}`, field);

async function checkTeam(tx: Db, orgId: string, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const [team] = await tx.query('SELECT 1 FROM teams WHERE id = $1 AND org_id = $2', [teamId, orgId]);
  if (!team) throw badField('teamId', 'no such team in your organisation');
}

async function checkSipExtension(tx: Db, orgId: string, extension: string | undefined, exceptUserId: string | null): Promise<void> {
  if (!extension) return;
  const [taken] = await tx.query('SELECT 1 FROM users WHERE org_id = $1 AND sip_extension = $2 AND ($3::uuid IS NULL OR id <> $3::uuid)', [
    orgId,
    extension,
    exceptUserId,
  ]);
  if (taken) throw conflict('sip_extension_taken', `SIP extension ${extension} already belongs to another user`, 'sip.extension');
}

export async function createUser(db: Db, actor: Actor, body: z.output<typeof CreateUserRequest>): Promise<AdminUserRow> {
  // scrypt takes tens of milliseconds: not while holding the writers' lock
  const passwordHash = await hashPassword(body.password);
  return writeTransaction(db, actor.orgId, async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM users WHERE org_id = $1 AND username = $2', [actor.orgId, body.username]);
    if (dup) throw conflict('username_taken', `username ${body.username} is already taken`, 'username');
    await checkTeam(tx, actor.orgId, body.teamId);
    await checkSipExtension(tx, actor.orgId, body.sip?.extension, null);
    const [row] = await tx.query<AdminUserRow>(
      `INSERT INTO users AS u (org_id, team_id, username, display_name, role, password_hash, sip_extension, sip_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${ADMIN_USER_COLUMNS}`,
      [
        actor.orgId,
        body.teamId,
        body.username,
        body.displayName,
        body.role,
        passwordHash,
        body.sip?.extension ?? null,
        body.sip?.password ?? null,
      ],
    );
    await recordAudit(tx, {
      orgId: actor.orgId,
      actorId: actor.id,
      action: 'user.create',
      userId: row!.id,
      after: {
        username: row!.username,
        displayName: row!.displayName,
        role: row!.role,
        teamId: row!.teamId,
        sipExtension: row!.sipExtension,
      },
    });
    return row!;
  });
}

/** A system user (the strategies' sender) is not a person: it is neither listed nor edited here. */
async function lockUser(tx: Db, orgId: string, userId: string): Promise<AdminUserRow> {
  const [row] = await tx.query<AdminUserRow>(
    `SELECT ${ADMIN_USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.org_id = $2 AND NOT u.system FOR UPDATE`,
    [userId, orgId],
  );
  if (!row) throw notFound('user');
  return row;
}

/** Refuses to leave the organisation without an enabled administrator. */
async function keepAnAdmin(tx: Db, target: AdminUserRow, role: Role, disabled: boolean): Promise<void> {
  const losesAdmin = target.role === 'admin' && !target.disabled && (role !== 'admin' || disabled);
  if (!losesAdmin) return;
  const [other] = await tx.query(`SELECT 1 FROM users WHERE org_id = $1 AND id <> $2 AND role = 'admin' AND NOT disabled LIMIT 1`, [
    target.orgId,
    target.id,
  ]);
  if (!other) {
    throw conflict(
      'last_admin',
      'this is the last enabled administrator of the organisation: enable or create another first',
      role !== 'admin' ? 'role' : 'disabled',
    );
  }
}

export async function updateUser(db: Db, actor: Actor, userId: string, body: z.output<typeof UpdateUserRequest>): Promise<AdminUserRow> {
  return writeTransaction(db, actor.orgId, async (tx) => {
    const before = await lockUser(tx, actor.orgId, userId);
    const role = body.role ?? before.role;
    const disabled = body.disabled ?? before.disabled;
    const teamId = body.teamId === undefined ? before.teamId : body.teamId;
    await checkTeam(tx, actor.orgId, body.teamId);
    if (body.sip !== undefined) await checkSipExtension(tx, actor.orgId, body.sip?.extension, userId);
    await keepAnAdmin(tx, before, role, disabled);
    if (before.role === 'team_lead' && role !== 'team_lead') {
      const led = await tx.query<{ name: string }>('SELECT name FROM teams WHERE lead_id = $1 ORDER BY name', [userId]);
      if (led.length) {
        throw conflict('user_leads_team', `this user leads ${led.map((t) => t.name).join(', ')}: give the team another lead first`, 'role');
      }
    }
    const [after] = await tx.query<AdminUserRow>(
      `UPDATE users u SET display_name = $3, role = $4, team_id = $5, disabled = $6,
         sip_extension = CASE WHEN $7 THEN $8 ELSE u.sip_extension END, sip_password = CASE WHEN $7 THEN $9 ELSE u.sip_password END
       WHERE u.id = $1 AND u.org_id = $2 RETURNING ${ADMIN_USER_COLUMNS}`,
      [
        userId,
        actor.orgId,
        body.displayName ?? before.displayName,
        role,
        teamId,
        disabled,
        body.sip !== undefined,
        body.sip?.extension ?? null,
        body.sip?.password ?? null,
      ],
    );
    // Sessions of a disabled user are refused on every request (authenticate re-reads the flag);
    // enabling deletes them, so no token issued before the disable ever works again.
    if (before.disabled && !disabled) await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    if (teamId !== before.teamId) {
      await membersMoved(tx, actor.orgId, [userId]);
      // a team lead also sees their own team: their scope itself moved
      if (role === 'team_lead' || before.role === 'team_lead') await scopesReshaped(tx, actor.orgId, [userId]);
    }
    if (role !== before.role) await scopesReshaped(tx, actor.orgId, [userId]);
    const changed = diff<Record<string, unknown>>(
      {
        displayName: before.displayName,
        role: before.role,
        teamId: before.teamId,
        disabled: before.disabled,
        sipExtension: before.sipExtension,
      },
      {
        displayName: after!.displayName,
        role: after!.role,
        teamId: after!.teamId,
        disabled: after!.disabled,
        sipExtension: after!.sipExtension,
      },
    );
    const sipPasswordSet = body.sip !== undefined && body.sip !== null;
    if (changed || sipPasswordSet) {
      await recordAudit(tx, {
        orgId: actor.orgId,
        actorId: actor.id,
        action: 'user.update',
        userId,
        before: changed?.before ?? {},
        after: { ...changed?.after, ...(sipPasswordSet ? { sipPasswordSet: true } : {}) },
      });
    }
    return after!;
  });
}

/** An administrator sets a user's password; every session of that user ends. */
export async function setPassword(db: Db, actor: Actor, userId: string, password: string): Promise<AdminUserRow> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<AdminUserRow>(
      `UPDATE users u SET password_hash = $3 WHERE u.id = $1 AND u.org_id = $2 RETURNING ${ADMIN_USER_COLUMNS}`,
      [userId, actor.orgId, passwordHash],
    );
    if (!row) throw notFound('user');
    await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
    await recordAudit(tx, { orgId: actor.orgId, actorId: actor.id, action: 'user.password_set', userId });
    return row;
  });
}
