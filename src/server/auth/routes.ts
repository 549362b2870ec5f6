import { SipSettings } from '../../shared/domain/sip';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { loginThrottleFor, throttleKey } from './login-throttle';
import { burnPasswordCheck, verifyPassword } from './password';
import { createSession, deleteSession, SESSION_TTL_DAYS, USER_COLUMNS, type AuthUser } from './sessions';
import { ROUTES } from '../../shared/api/routes';

const OrgSip = SipSettings.pick({ wsUrl: true, domain: true, dialPlan: true, iceServers: true, supervisorExtension: true }).partial({
  dialPlan: true, iceServers: true, supervisorExtension: true,
});

export const authRoutes = [
  defineRoute({
    ...ROUTES.login, summary: 'Log in; returns a bearer token', tags: ['auth'],
    access: 'public', errors: [429],
    async handler({ db, body, request, reply }) {
      const throttle = loginThrottleFor(db);
      const key = throttleKey(body.username, request.ip);
      const wait = throttle.retryAfter(key, Date.now());
      if (wait !== null) {
        void reply.header('retry-after', String(wait));
        throw new HttpError(429, 'too_many_attempts', `too many failed logins for this user from here; try again in ${wait} s`, 'password', { retryAfterSec: wait });
      }
      const candidates = await db.query<AuthUser & { passwordHash: string }>(
        `SELECT ${USER_COLUMNS}, u.password_hash AS "passwordHash" FROM users u WHERE u.username = $1`,
        [body.username],
      );
      let found: (AuthUser & { passwordHash: string }) | null = null;
      for (const c of candidates) {
        if (await verifyPassword(body.password, c.passwordHash)) { found = c; break; }
      }
      if (candidates.length === 0) await burnPasswordCheck(body.password);
      if (!found) {
        throttle.failed(key, Date.now());
        throw new HttpError(401, 'invalid_credentials', 'wrong username or password');
      }
      throttle.succeeded(key);
      if (found.disabled) throw new HttpError(401, 'user_disabled', 'this user is disabled');
      const token = await createSession(db, found.id);
      const { passwordHash: _omit, ...user } = found;
      return { token, user, expiresAt: new Date(Date.now() + SESSION_TTL_DAYS * 86_400_000).toISOString() };
    },
  }),
  defineRoute({
    ...ROUTES.logout, summary: 'End this session', tags: ['auth'],
    access: 'user',
    async handler({ db, request }) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (token) await deleteSession(db, token);
      return { ok: true as const };
    },
  }),
  defineRoute({
    ...ROUTES.me, summary: 'The logged-in user', tags: ['auth'],
    access: 'user',
    async handler({ user }) {
      return user;
    },
  }),
  defineRoute({
    ...ROUTES.mySip, summary: "The caller's SIP credentials for the softphone", tags: ['auth'],
    access: 'user', errors: [404],
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
