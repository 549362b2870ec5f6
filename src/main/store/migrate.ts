import type Database from 'better-sqlite3-multiple-ciphers';
import { MIGRATIONS, type Migration } from './migrations';

export class StoreTooNewError extends Error {
  constructor(
    public readonly storeVersion: number,
    public readonly appVersion: number,
  ) {
    super(`local store has schema version ${storeVersion}, this app knows up to ${appVersion}: update the app`);
    this.name = 'StoreTooNewError';
  }
}

/**
 * Brings the schema to the latest version, one transaction per migration, recording each in
 * user_version. A store written by a newer app is refused rather than opened: an older app
 * could otherwise misread it, and its outbox must survive until the newer app sends it.
 * Migrations only ever add or transform; none drops the outbox.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new StoreTooNewError(current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
