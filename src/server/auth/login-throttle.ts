import type { Db } from '../db';
import type { LoginLimits } from './config';

/**
 * Login limits kept in PostgreSQL (login_throttle, migration 0013), so every server instance on
 * the database counts together. Three fixed-window counters:
 *   pair    (organisation, username, address): failures; a success clears it. Someone guessing one
 *           agent's password from elsewhere does not lock the agent out at their own desk.
 *   address every attempt from one address, counted BEFORE the password is checked, given back on
 *           success: a flood of made-up usernames is refused without running scrypt for each.
 *   global  the same for the whole installation, per minute: caps the CPU spent on scrypt.
 * One statement per check (bump address and global, read pair), one per outcome.
 */
export type LoginRefusal =
  { kind: 'pair'; retryAfterSec: number } | { kind: 'address'; retryAfterSec: number } | { kind: 'global'; retryAfterSec: number };

export interface LoginTicket {
  pairKey: string;
  addressKey: string;
  /** Undo the attempt counts of a success. */
  succeeded(): Promise<void>;
  failed(): Promise<void>;
}

const GLOBAL_KEY = 'global';
const GLOBAL_WINDOW_SEC = 60;

export const pairKey = (org: string, username: string, address: string) =>
  `pair\u0001${org.trim().toLowerCase()}\u0001${username.trim().toLowerCase()}\u0001${address}`;
export const addressKey = (address: string) => `addr\u0001${address}`;

interface Counter {
  key: string;
  count: number;
  waitSec: number;
}

/** Counts this attempt (address, global) and answers whether it may go on to the password check. */
export async function admitLogin(
  db: Db,
  limits: LoginLimits,
  who: { org: string; username: string; address: string },
): Promise<{ ok: true; ticket: LoginTicket } | { ok: false; refusal: LoginRefusal }> {
  const pk = pairKey(who.org, who.username, who.address);
  const ak = addressKey(who.address);
  // keys in a fixed order so two attempts never lock the two rows in opposite orders
  const rows = await db.query<Counter>(
    `WITH bump AS (
       INSERT INTO login_throttle AS t (key, window_start, count)
       SELECT k, now(), 1 FROM unnest($1::text[], $2::int[]) AS x(k, w) ORDER BY k
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN t.window_start > now() - ((CASE WHEN t.key = $4::text THEN $5::int ELSE $6::int END) * interval '1 second') THEN t.count + 1 ELSE 1 END,
         window_start = CASE WHEN t.window_start > now() - ((CASE WHEN t.key = $4::text THEN $5::int ELSE $6::int END) * interval '1 second') THEN t.window_start ELSE now() END
       RETURNING t.key, t.count, t.window_start
     )
     SELECT key, count, ceil(extract(epoch FROM window_start + ((CASE WHEN key = $4::text THEN $5::int ELSE $6::int END) * interval '1 second') - now()))::int AS "waitSec"
     FROM bump
     UNION ALL
     SELECT key, count, ceil(extract(epoch FROM window_start + ($7::int * interval '1 second') - now()))::int
     FROM login_throttle WHERE key = $3 AND window_start > now() - ($7::int * interval '1 second')`,
    [[ak, GLOBAL_KEY].sort(), [0, 0], pk, GLOBAL_KEY, GLOBAL_WINDOW_SEC, limits.addressWindowSec, limits.pairWindowSec],
  );
  const get = (key: string) => rows.find((r) => r.key === key);
  const wait = (c: Counter | undefined) => Math.max(1, c?.waitSec ?? 1);
  const pair = get(pk);
  const address = get(ak);
  const global = get(GLOBAL_KEY);
  const refusal: LoginRefusal | null =
    pair && pair.count >= limits.pairMaxFailures
      ? { kind: 'pair', retryAfterSec: wait(pair) }
      : address && address.count > limits.addressMaxFailures
        ? { kind: 'address', retryAfterSec: wait(address) }
        : global && global.count > limits.globalMaxFailuresPerMinute
          ? { kind: 'global', retryAfterSec: wait(global) }
          : null;
  if (refusal) return { ok: false, refusal };
  return {
    ok: true,
    ticket: {
      pairKey: pk,
      addressKey: ak,
      async succeeded() {
        // a success is not a failure: the attempt is given back, the pair forgotten
        await db.query(
          `WITH gone AS (DELETE FROM login_throttle WHERE key = $1)
           UPDATE login_throttle SET count = greatest(count - 1, 0) WHERE key = ANY($2::text[])`,
          [pk, [ak, GLOBAL_KEY].sort()],
        );
      },
      async failed() {
        await db.query(
          `INSERT INTO login_throttle AS t (key, window_start, count) VALUES ($1, now(), 1)
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN t.window_start > now() - ($2::int * interval '1 second') THEN t.count + 1 ELSE 1 END,
             window_start = CASE WHEN t.window_start > now() - ($2::int * interval '1 second') THEN t.window_start ELSE now() END`,
          [pk, limits.pairWindowSec],
        );
      },
    },
  };
}

/** Counters whose window is over are useless: removed by the session purge (sessions.ts). */
export const PURGE_THROTTLE_SQL = `DELETE FROM login_throttle WHERE window_start < now() - interval '1 day'`;
