import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './types';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_NAME = /^(\d{4})-([a-z0-9-]+)\.sql$/;
/** Serialises servers starting at once against the same database. */
const MIGRATION_LOCK = 7263;

/** Migrations shipped with this build, in order; numbering gaps or duplicates are a build error. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE_NAME.exec(file);
      if (!m) throw new Error(`migration file name "${file}" must look like 0001-some-name.sql`);
      return { version: Number(m[1]), name: m[2]!, file, sql: readFileSync(`${dir}/${file}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    const twin = migrations[i - 1];
    if (twin && twin.version === m.version) {
      throw new Error(`two migrations are numbered ${m.version}: ${twin.file} and ${m.file}; give the newer one the next free number`);
    }
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3 …: found ${m.version} at position ${i + 1}`);
  });
  return migrations.map(({ file: _file, ...m }) => m);
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(`database schema version ${databaseVersion} is newer than this server knows (${codeVersion}); upgrade the server`);
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Applies pending migrations, each in its own transaction together with its schema_migrations
 * row, so a failed migration leaves the database at the previous version. Refuses a database
 * written by a newer server rather than running old code against an unknown schema.
 */
export async function migrate(db: Db, migrations: Migration[] = loadMigrations()): Promise<{ from: number; to: number }> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const codeVersion = migrations.at(-1)?.version ?? 0;
  let from = 0;
  let to = 0;
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    from = await currentVersion(tx);
  });
  if (from > codeVersion) throw new SchemaTooNewError(from, codeVersion);
  to = from;
  for (const m of migrations) {
    if (m.version <= from) continue;
    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      // a migration may rewrite big tables: PG_STATEMENT_TIMEOUT_MS is for requests, not for it
      await tx.exec('SET LOCAL statement_timeout = 0');
      // Another server may have applied it while we waited for the lock.
      if ((await currentVersion(tx)) >= m.version) return;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    to = m.version;
  }
  return { from, to };
}

export async function currentVersion(db: Db): Promise<number> {
  const [row] = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  return row?.v ?? 0;
}
