/**
 * Login limits and session lifetimes, from the environment (src/server/README.md lists them).
 * Every server instance on one database must be given the same values.
 */
export interface LoginLimits {
  /** Failed logins per (organisation, username, address) in `pairWindowSec`; a success clears them. */
  pairMaxFailures: number;
  pairWindowSec: number;
  /** Failed logins (any username) from one address in `addressWindowSec`: a flood of made-up names. */
  addressMaxFailures: number;
  addressWindowSec: number;
  /** Failed logins of the whole installation per minute: bounds the CPU spent on scrypt. */
  globalMaxFailuresPerMinute: number;
}

export interface AuthConfig {
  limits: LoginLimits;
  /** A session unused this long ends. */
  sessionIdleSec: number;
  /** A session ends this long after login, used or not. */
  sessionMaxSec: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  limits: {
    pairMaxFailures: 10,
    pairWindowSec: 15 * 60,
    addressMaxFailures: 100,
    addressWindowSec: 15 * 60,
    globalMaxFailuresPerMinute: 300,
  },
  sessionIdleSec: 12 * 3600,
  sessionMaxSec: 7 * 86_400,
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, scale = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Math.round(n * scale);
}

export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const d = DEFAULT_AUTH_CONFIG;
  const config: AuthConfig = {
    limits: {
      ...d.limits,
      addressMaxFailures: positive(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', d.limits.addressMaxFailures),
      globalMaxFailuresPerMinute: positive(env, 'LOGIN_MAX_FAILURES_PER_MINUTE', d.limits.globalMaxFailuresPerMinute),
    },
    sessionIdleSec: positive(env, 'SESSION_IDLE_HOURS', d.sessionIdleSec, 3600),
    sessionMaxSec: positive(env, 'SESSION_MAX_DAYS', d.sessionMaxSec, 86_400),
  };
  if (config.sessionMaxSec > 30 * 86_400) throw new Error('SESSION_MAX_DAYS must be at most 30');
  return config;
}

const byDb = new WeakMap<object, AuthConfig>();
/** The configuration createServer was given for this database (the defaults otherwise). */
export function authConfigFor(db: object): AuthConfig {
  return byDb.get(db) ?? DEFAULT_AUTH_CONFIG;
}
export function setAuthConfig(db: object, config: AuthConfig): void {
  byDb.set(db, config);
}

/**
 * Fastify's trustProxy from TRUST_PROXY: unset/false = the socket's address is the client (no
 * proxy); `true` = trust every X-Forwarded-For hop (only when nothing but the proxy can reach the
 * server); a number = that many proxy hops; otherwise a comma-separated list of proxy addresses or
 * CIDR ranges (e.g. `10.0.0.0/8,127.0.0.1`).
 */
export function trustProxyFromEnv(raw: string | undefined): boolean | number | string[] {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
