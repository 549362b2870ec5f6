import { SipSettings } from '../../shared/domain/sip';
import { backdateForPendingWipe } from '../wipe/orders';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { authConfigFor } from './config';
import { admitLogin } from './login-throttle';
import { burnPasswordCheck, verifyPassword } from './password';
import { createSession, deleteSession, USER_COLUMNS, type AuthUser } from './sessions';
import { ROUTES } from '../../shared/api/routes';
import { tokenPrefixFor } from '../db/directory';

const OrgSip = SipSettings.pick({ wsUrl: true, domain: true, dialPlan: true, iceServers: true, supervisorExtension: true }).partial({
  dialPlan: true,
  iceServers: true,
  supervisorExtension: true,
});

export const authRoutes = [
  defineRoute({
    ...ROUTES.login,
    summary: 'Log in; returns a bearer token',
    tags: ['auth'],
    access: 'public',
    errors: [429],
    async handler({ db, body, request, reply }) {
      const { limits } = authConfigFor(db);
      const org = body.organization ?? '';
      const admitted = await admitLogin(db, limits, { org, username: body.username, address: request.ip });
      if (!admitted.ok) {
        const { kind, retryAfterSec: wait } = admitted.refusal;
        void reply.header('retry-after', String(wait));
        const why =
          kind === 'pair'
            ? 'too many failed logins for this user from here'
            : kind === 'address'
              ? 'too many failed logins from this address'
              : 'too many failed logins on the server';
        throw new HttpError(429, 'too_many_attempts', `${why}; try again in ${wait} s`, 'password', { retryAfterSec: wait, scope: kind });
      }
      // One organisation's usernames tell nothing about another's: without a code the login only
      // works on an installation with a single organisation.
      const candidates = await db.query<AuthUser & { passwordHash: string }>(
        `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u JOIN organizations o ON o.id = u.org_id
         WHERE u.username = $1 AND CASE WHEN $2::text = '' THEN (SELECT count(*) FROM organizations) = 1 ELSE o.code = lower($2) END`,
        [body.username, org],
      );
      const candidate = candidates[0];
      const found = candidate && (await verifyPassword(body.password, candidate.passwordHash)) ? candidate : null;
      if (!candidate) await burnPasswordCheck(body.password); // an unknown name costs what a wrong password does
      if (!found) {
        await admitted.ticket.failed();
        throw new HttpError(401, 'invalid_credentials', 'wrong organisation, username or password');
      }
      await admitted.ticket.succeeded();
      if (found.disabled) throw new HttpError(401, 'user_disabled', 'this user is disabled');
      const { token, expiresAt } = await createSession(db, found.id, tokenPrefixFor(request.server.orgDirectory, db));
      await backdateForPendingWipe(db, found.id, token);
      const { passwordHash: _omit, ...user } = found;
      return { token, user, expiresAt: expiresAt.toISOString() };
    },
  }),
  defineRoute({
    ...ROUTES.logout,
    summary: 'End this session',
    tags: ['auth'],
    access: 'user',
    async handler({ db, request }) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token) await deleteSession(db, token);
      return { ok: true as const };
    },
  }),
  defineRoute({
    ...ROUTES.me,
    summary: 'The logged-in user',
    tags: ['auth'],
    access: 'user',
    async handler({ user }) {
      return user;
    },
  }),
  defineRoute({
    ...ROUTES.mySip,
    summary: "The caller's SIP credentials for the softphone",
    tags: ['auth'],
    access: 'user',
    errors: [404],
    async handler({ db, user }) {
      const [row] = await db.query<{ extension: string | null; password: string | null; settings: { sip?: unknown } }>(
        `SELECT u.sip_extension AS extension, u.sip_password AS password, o.settings
         FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.id = $1`,
        [user.id],
      );
      const org = OrgSip.safeParse(row?.settings?.sip);
      if (!row?.extension || !row.password || !org.success) throw notFound('SIP configuration');
      return { ...org.data, extension: row.extension, password: row.password, displayName: user.displayName };
    },
  }),
];
