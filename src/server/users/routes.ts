import { z } from 'zod';
import { UserList } from '../../shared/api/rest';
import { Id, User } from '../../shared/domain/entities';
import { USER_COLUMNS, type AuthUser } from '../auth/sessions';
import { scopeFor } from '../access/visibility';
import { HttpError, notFound } from '../http/errors';
import { defineRoute, type RouteDef } from '../http/route';

const IdParams = z.object({ id: Id });

function setDisabled(disabled: boolean): RouteDef {
  return defineRoute({
    method: 'POST', path: `/api/v1/users/:id/${disabled ? 'disable' : 'enable'}`,
    summary: disabled ? 'Disable a user: their sessions stop working at once' : 'Enable a user again',
    tags: ['users'], access: ['admin'], params: IdParams, response: User, errors: [404],
    async handler({ db, user, params }) {
      if (disabled && params.id === user.id) throw new HttpError(409, 'cannot_disable_self', 'you cannot disable yourself');
      const [row] = await db.query<AuthUser>(
        `UPDATE users u SET disabled = $3 WHERE u.id = $1 AND u.org_id = $2 RETURNING ${USER_COLUMNS}`,
        [params.id, user.orgId, disabled],
      );
      if (!row) throw notFound('user');
      return row;
    },
  });
}

export const userRoutes = [
  defineRoute({
    method: 'GET', path: '/api/v1/users', summary: 'Users: the own team for a team lead, everyone for an admin', tags: ['users'],
    access: ['team_lead', 'admin'], response: UserList,
    async handler({ db, user }) {
      const scope = await scopeFor(db, user);
      const rows = await db.query<AuthUser & { sipExtension: string | null }>(
        `SELECT ${USER_COLUMNS}, u.sip_extension AS "sipExtension" FROM users u
         WHERE u.org_id = $1 AND ($2::uuid[] IS NULL OR u.id = ANY($2::uuid[])) ORDER BY u.username`,
        [user.orgId, scope.agentIds],
      );
      return { users: rows };
    },
  }),
  setDisabled(true),
  setDisabled(false),
];
