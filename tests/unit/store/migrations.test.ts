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
  it('are listed in increasing version order (a merge that appends one out of order would rerun the later ones at the next open)', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

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

  it("0007 rewrites an older store's search text, so ids typed without punctuation find its debtors", () => {
    const db = new Database(tmpFile());
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < 7),
    );
    db.prepare(
      `INSERT INTO debtors (id, org_id, external_id, name, national_id, country, time_zone, debtor_type, segment, contact_prefs, version)
      VALUES ('d1', 'o', 'D1', 'Ana Peña', '26.627.098-K', 'CL', 'America/Santiago', 'individual', 'low', '{}', '1')`,
    ).run();
    // the search text as stores before 0007 wrote it: the id only as punctuated
    db.prepare(
      `INSERT INTO accounts (id, org_id, debtor_id, external_ref, product, currency, principal_minor, balance_minor,
      installments_total, installments_paid, status, version, debtor_name, search_text)
      VALUES ('a1', 'o', 'd1', 'CL-001', 'Tarjeta', 'CLP', 1, 1, 1, 0, 'active', '1', 'Ana Peña', ?)`,
    ).run('ana pena\u000126.627.098-k\u0001cl-001');
    const find = (term: string) =>
      db.prepare(`SELECT count(*) FROM accounts_fts WHERE accounts_fts MATCH ?`).pluck().get(`"${term}"`) as number;
    expect(find('26627098')).toBe(0);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(find('26627098')).toBe(1);
    expect(find('cl001')).toBe(1);
    expect(db.prepare(`SELECT search_text FROM accounts`).pluck().get()).toMatch(/^ana pena\u0001/);
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

  it('0011 adds the receipt blocks and receipts of a store at version 8, its outbox kept; a number is taken once', () => {
    const db = new Database(tmpFile());
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{"a":1}', 'x')`).run();
    expect(migrate(db)).toBeGreaterThanOrEqual(11);
    expect(db.prepare('SELECT args FROM outbox').pluck().get()).toBe('{"a":1}');
    db.prepare(`INSERT INTO receipt_blocks (id, first_no, last_no, key, received_at) VALUES ('b', 1, 50, 'k', 'x')`).run();
    const receipt =
      db.prepare(`INSERT INTO receipts (id, number, block_id, account_id, method, amount_minor, currency, issued_at, day, code)
      VALUES (?, 7, 'b', 'a', 'cash', 100, 'COP', 'x', '2026-12-03', 'AAAAA-AAAAA')`);
    receipt.run('r1');
    expect(() => receipt.run('r2')).toThrow(/UNIQUE/);
    db.close();
  });
});
