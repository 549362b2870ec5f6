import type { Db } from '../db';

/**
 * Failed logins per (username, address) in a sliding window: past the limit, that pair is
 * refused with 429 until its oldest failure leaves the window, whatever the password — a
 * password cannot be guessed at network speed. Keyed by address too, so someone typing wrong
 * passwords for an agent from elsewhere does not lock the agent out at their own desk. A
 * success clears the pair. Kept in the server process (one per database): a deployment with
 * several server instances multiplies the limit by their number.
 */
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_MAX_FAILURES = 10;
/** Pairs remembered at most; the oldest are forgotten first (a flood of made-up usernames). */
const MAX_KEYS = 50_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Seconds until this pair may try again, or null when it may now. */
  retryAfter(key: string, now: number): number | null {
    const list = this.recent(key, now);
    if (list.length < LOGIN_MAX_FAILURES) return null;
    return Math.max(1, Math.ceil((list[list.length - LOGIN_MAX_FAILURES]! + LOGIN_WINDOW_MS - now) / 1000));
  }

  failed(key: string, now: number): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.delete(key); // re-inserted last: the Map's order is the forgetting order
    this.failures.set(key, list);
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}

const byDb = new WeakMap<Db, LoginThrottle>();

/** The throttle of the server process serving this database. */
export function loginThrottleFor(db: Db): LoginThrottle {
  let t = byDb.get(db);
  if (!t) byDb.set(db, t = new LoginThrottle());
  return t;
}

export const throttleKey = (username: string, address: string) => `${username.trim().toLowerCase()}\u0001${address}`;
