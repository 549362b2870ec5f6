import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, StoreTooNewError } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { LocalStore } from '../../../src/main/store/store';
import { AGENT } from './fixtures';

const dirs: string[] = [];
function tmpFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-mig-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migrations', () => {
  it('brings a new file to the latest version and records it in user_version', () => {
    const db = new Database(tmpFile());
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['meta', 'debtors', 'accounts', 'contact_points', 'activities', 'notes', 'payments', 'promises', 'outbox']),
    );
    db.close();
  });

  it('is a no-op on an up-to-date file', () => {
    const db = new Database(tmpFile());
    migrate(db);
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{}', 'x')`).run();
    migrate(db);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    db.close();
  });

  it('runs each migration in one transaction: a failing step leaves the previous version intact', () => {
    const db = new Database(tmpFile());
    migrate(db);
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{}', 'x')`).run();
    const broken = [...MIGRATIONS, { version: 99, name: 'broken', up: 'CREATE TABLE half (x INT); SELECT * FROM missing_table;' }];
    expect(() => migrate(db, broken)).toThrow(/missing_table/);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'half'`).pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    db.close();
  });

  it('a later migration keeps unsent outbox rows', () => {
    const db = new Database(tmpFile());
    migrate(db);
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{"a":1}', 'x')`).run();
    const version = MIGRATIONS.at(-1)!.version + 1;
    const next = [...MIGRATIONS, { version, name: 'add-col', up: 'ALTER TABLE accounts ADD COLUMN extra TEXT' }];
    expect(migrate(db, next)).toBe(version);
    expect(db.prepare('SELECT args FROM outbox').pluck().get()).toBe('{"a":1}');
    db.close();
  });

  it('refuses a store written by a newer app version and leaves it untouched', () => {
    const file = tmpFile();
    const db = new Database(file);
    migrate(db);
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{}', 'x')`).run();
    db.pragma('user_version = 999');
    db.close();
    expect(() => LocalStore.open(file, { agentId: AGENT })).toThrow(StoreTooNewError);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(999);
    expect(again.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    again.close();
  });
});
