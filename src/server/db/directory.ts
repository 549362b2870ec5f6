import { z } from 'zod';
import type { Db } from './types';

/**
 * The directory of organisations → database. Most organisations live in the installation's own
 * database (the primary); a big customer can be placed in a PostgreSQL database — or cluster — of
 * its own, so one installation spreads its tenants over several clusters (docs/scaling.md, "Big
 * customers in their own database").
 *
 * A request finds its database without a lookup table every instance would have to share: a
 * session token of a placed organisation starts with that organisation's code (`banco-grande~…`),
 * a login and a provider webhook name the organisation's code. Nothing else in the server knows
 * there is more than one database: every route gets the request's database as `db`.
 */
export interface OrgDirectory {
  readonly primary: Db;
  /** Organisation code (lower case) → its own database. */
  readonly placed: ReadonlyMap<string, Db>;
}

/** Between a placed organisation's code and the token's secret; never in a code nor in base64url. */
const SEP = '~';

export function singleDatabase(db: Db): OrgDirectory {
  return { primary: db, placed: new Map() };
}

export function allDatabases(dir: OrgDirectory): Db[] {
  return [dir.primary, ...dir.placed.values()];
}

/** The database an organisation lives in, by its code; the primary for any other code. */
export function dbForOrgCode(dir: OrgDirectory, code: string | undefined | null): Db {
  if (!code || dir.placed.size === 0) return dir.primary;
  return dir.placed.get(code.toLowerCase()) ?? dir.primary;
}

/** The database holding a session token's row; a made-up prefix lands on the primary and finds nothing. */
export function dbForToken(dir: OrgDirectory, token: string): Db {
  const i = token.indexOf(SEP);
  return i > 0 ? dbForOrgCode(dir, token.slice(0, i)) : dir.primary;
}

/** What a new session token of `db`'s organisations starts with: '' on the primary. */
export function tokenPrefixFor(dir: OrgDirectory, db: Db): string {
  for (const [code, placed] of dir.placed) if (placed === db) return `${code}${SEP}`;
  return '';
}

const OrgCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an organisation code: lower-case letters, digits and dashes');
const PlacedUrls = z.record(OrgCode, z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'));

/**
 * ORG_DATABASES: a JSON object, organisation code → postgres:// URL of the database it is placed
 * in, e.g. {"banco-grande":"postgres://cobranza@db2.internal/banco_grande"}.
 */
export function placedUrlsFromEnv(raw: string | undefined): Record<string, string> {
  if (!raw || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('ORG_DATABASES must be a JSON object: {"organisation-code": "postgres://…"}');
  }
  const r = PlacedUrls.safeParse(parsed);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`ORG_DATABASES: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Which database each organisation lives in (CreateServerOptions.placed). */
    orgDirectory: OrgDirectory;
  }
}
