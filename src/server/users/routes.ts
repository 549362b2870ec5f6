import { z } from 'zod';
import { AuditList } from '../../shared/api/users';
import { USER_COLUMNS, hashToken, type AuthUser } from '../auth/sessions';
import { authConfigFor } from '../auth/config';
import { admitLogin } from '../auth/login-throttle';
import { hashPassword, verifyPassword } from '../auth/password';
import { scopeFor } from '../access/visibility';
import { HttpError } from '../http/errors';
import { defineRoute, type RouteDef } from '../http/route';
import { createUser, setPassword, updateUser } from './admin';
import { recordAudit } from './audit';
import { ROUTES } from '../../shared/api/routes';

/**
 * Users of the organisation. Administrators create and change them; a team lead lists the users
 * of the team(s) they lead and nothing more (moving people between teams or changing roles
 * changes who sees which debtors, an administrator's decision); an agent gets 403. Users of
 * another organisation are never found (404). Everyone may change their own password.
 */

/** The old endpoints, kept for existing clients: the same change as PATCH { disabled }. */
function setDisabled(disabled: boolean): RouteDef {
  return defineRoute({
    ...(disabled ? ROUTES.disableUser : ROUTES.enableUser),
    summary: disabled ? 'Disable a user: their sessions stop working at once' : 'Enable a user again (they log in anew)',
    tags: ['users'],
    access: ['admin'],
    errors: [404, 409],
    async handler({ db, user, params }) {
      if (disabled && params.id === user.id) throw new HttpError(409, 'cannot_disable_self', 'you cannot disable yourself');
      const { sipExtension: _omit, ...row } = await updateUser(db, user, params.id, { disabled });
      return row;
    },
  });
}

export const userRoutes = [
  defineRoute({
    ...ROUTES.users,
    summary: 'Users: the own team for a team lead, everyone for an admin',
    tags: ['users'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      const scope = await scopeFor(db, user);
      const rows = await db.query<AuthUser & { sipExtension: string | null }>(
        `SELECT ${USER_COLUMNS}, u.sip_extension AS "sipExtension" FROM users u
         WHERE u.org_id = $1 AND NOT u.system AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[])) ORDER BY u.username`,
        [user.orgId, scope.agentIds],
      );
      return { users: rows };
    },
  }),
  defineRoute({
    ...ROUTES.createUser,
    summary: `Create a user (admin): username, display name, role, team, initial password (10+ characters), optional SIP account`,
    tags: ['users'],
    access: ['admin'],
    successStatus: 201,
    errors: [409],
    async handler({ db, user, body }) {
      return createUser(db, user, body);
    },
  }),
  defineRoute({
    ...ROUTES.updateUser,
    summary:
      "Change a user (admin): display name, role, team, disabled, SIP account. Disabling ends their sessions at once; a team move reaches the leads' stores at their next pull",
    tags: ['users'],
    access: ['admin'],
    errors: [404, 409],
    async handler({ db, user, params, body }) {
      return updateUser(db, user, params.id, body);
    },
  }),
  defineRoute({
    ...ROUTES.setUserPassword,
    summary: "Set a user's password (admin); every session of that user ends",
    tags: ['users'],
    access: ['admin'],
    errors: [404],
    async handler({ db, user, params, body }) {
      return setPassword(db, user, params.id, body.password);
    },
  }),
  defineRoute({
    ...ROUTES.changeOwnPassword,
    summary: 'Change your own password with the current one; your other sessions end, this one stays',
    tags: ['auth'],
    access: 'user',
    errors: [429],
    async handler({ db, user, body, request, reply }) {
      // the current password is a secret worth guessing even with a session in hand: the login limit applies
      const admitted = await admitLogin(db, authConfigFor(db).limits, { org: user.orgId, username: user.username, address: request.ip });
      if (!admitted.ok) {
        const wait = admitted.refusal.retryAfterSec;
        void reply.header('retry-after', String(wait));
        throw new HttpError(429, 'too_many_attempts', `too many wrong passwords; try again in ${wait} s`, 'currentPassword', {
          retryAfterSec: wait,
        });
      }
      const [row] = await db.query<{ hash: string }>('SELECT password_hash AS hash FROM users WHERE id = $1', [user.id]);
      if (!row || !(await verifyPassword(body.currentPassword, row.hash))) {
        await admitted.ticket.failed();
        throw new HttpError(400, 'wrong_password', 'the current password is wrong', 'currentPassword');
      }
      await admitted.ticket.succeeded();
      if (body.newPassword === body.currentPassword) {
        throw new HttpError(400, 'password_unchanged', 'the new password must differ from the current one', 'newPassword');
      }
      const hash = await hashPassword(body.newPassword);
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      await db.transaction(async (tx) => {
        await tx.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, hash]);
        await tx.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [user.id, hashToken(token)]);
        await recordAudit(tx, { orgId: user.orgId, actorId: user.id, action: 'user.password_change', userId: user.id });
      });
      return { ok: true as const };
    },
  }),
  defineRoute({
    ...ROUTES.userAudit,
    summary: 'User and team administration history of the organisation, newest first (admin); filter by user or team, page with `before`',
    tags: ['users'],
    access: ['admin'],
    async handler({ db, user, query }) {
      const rows = await db.query<z.input<typeof AuditList>['entries'][number] & { at: Date }>(
        `SELECT seq::int AS seq, actor_id AS "actorId", via, action, user_id AS "userId", team_id AS "teamId", before, after, at
         FROM user_admin_audit
         WHERE org_id = $1 AND ($2::uuid IS NULL OR user_id = $2::uuid) AND ($3::uuid IS NULL OR team_id = $3::uuid)
           AND ($4::bigint IS NULL OR seq < $4::bigint)
         ORDER BY seq DESC LIMIT $5`,
        [user.orgId, query.userId ?? null, query.teamId ?? null, query.before ?? null, query.limit],
      );
      return { entries: rows.map((r) => ({ ...r, at: new Date(r.at).toISOString() })) };
    },
  }),
  setDisabled(true),
  setDisabled(false),
];
