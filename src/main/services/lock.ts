import { WorkstationError } from '../../shared/api/contract';
import { LockReason } from '../../shared/domain/security';
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

/** The reason a 401's code gives. */
export function lockReasonFor(code: string | null): LockReason {
  return code === 'user_disabled' ? 'user_disabled' : 'session_expired';
}

export const locked = (reason: LockReason) => new WorkstationError('auth.locked', `the portfolio is locked (${reason}): sign in again`, reason);
