import { WorkstationError } from '../../shared/api/contract';
import { LockReason, SecurityPolicy } from '../../shared/domain/security';
import type { UserContext } from './user-context';

/**
 * The agent's portfolio locked behind a new login: set when the server answers 401 (user disabled,
 * session expired or ended), kept in the store so a restart stays locked, cleared by a login of
 * the same user. The outbox is untouched: it is sent after that login.
 */
const LOCK_KEY = 'lock';

export function readLock(c: UserContext): LockReason | null {
  const r = LockReason.safeParse(c.store.getMeta(LOCK_KEY));
  return r.success ? r.data : null;
}

export function setLock(c: UserContext, reason: LockReason): void {
  if (c.store.db.open && readLock(c) !== reason) c.store.setMeta(LOCK_KEY, reason);
}

export function clearLock(c: UserContext): void {
  if (readLock(c) !== null) c.store.setMeta(LOCK_KEY, '');
}

const SECURITY_KEY = 'security';
const LOGIN_KEY = 'lastLoginAt';

export function cachedSecurity(c: UserContext): SecurityPolicy | null {
  const raw = c.store.getMeta(SECURITY_KEY);
  const r = raw ? SecurityPolicy.safeParse(JSON.parse(raw)) : null;
  return r?.success ? r.data : null;
}
export function saveSecurity(c: UserContext, policy: SecurityPolicy): void {
  if (c.store.db.open) c.store.setMeta(SECURITY_KEY, JSON.stringify(policy));
}
export function markLogin(c: UserContext, at: Date): void {
  c.store.setMeta(LOGIN_KEY, at.toISOString());
}

/**
 * The organisation's maxOfflineDays: no successful sync (nor login) for longer than that locks
 * the portfolio. A store never synced nor logged into since this rule is not judged.
 */
export function offlineTooLong(c: UserContext, now: Date): boolean {
  const days = cachedSecurity(c)?.maxOfflineDays;
  if (!days) return false;
  const last = [c.store.getMeta('lastSyncAt'), c.store.getMeta(LOGIN_KEY)]
    .filter((v): v is string => !!v)
    .sort()
    .at(-1);
  return !!last && now.getTime() - Date.parse(last) > days * 86_400_000;
}

/** The reason a 401's code gives. */
export function lockReasonFor(code: string | null): LockReason {
  return code === 'user_disabled' ? 'user_disabled' : 'session_expired';
}

export const locked = (reason: LockReason) =>
  new WorkstationError('auth.locked', `the portfolio is locked (${reason}): sign in again`, reason);
