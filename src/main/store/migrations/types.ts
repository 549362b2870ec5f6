import type Database from 'better-sqlite3-multiple-ciphers';

/** One numbered schema step. `up` is SQL or a function run inside the migration's transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database.Database) => void);
}
