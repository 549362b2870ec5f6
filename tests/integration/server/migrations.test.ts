import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { currentVersion, loadMigrations, migrate, SchemaTooNewError } from '../../../src/server/db/migrate';
import { writeTransaction } from '../../../src/server/db/write';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { BACKENDS } from '../../helpers/server';

describe.each(BACKENDS)('database on %s', (backend) => {
  let db: Db;
  let pgDb: TestDatabase | null = null;

  beforeAll(async () => {
    pgDb = backend === 'pg' ? await createTestDatabase('mig') : null;
    db = await openDb(pgDb ? { url: pgDb.url } : { dataDir: 'memory://' });
  });
  afterAll(async () => {
    await db.close();
    await pgDb?.drop();
  });

  it('applies every migration to an empty database, once', async () => {
    const shipped = loadMigrations();
    expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
    expect(await migrate(db)).toEqual({ from: 0, to: shipped.length });
    expect(await currentVersion(db)).toBe(shipped.length);
    expect(await migrate(db)).toEqual({ from: shipped.length, to: shipped.length });
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(shipped.map((m) => m.version));
  });

  it('refuses a database written by a newer server', async () => {
    const newest = loadMigrations().length;
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES ($1, 'from-the-future')`, [newest + 1]);
    await expect(migrate(db)).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(migrate(db)).rejects.toThrow(`database schema version ${newest + 1} is newer`);
    await db.query('DELETE FROM schema_migrations WHERE version = $1', [newest + 1]);
  });

  it('a failing migration leaves the database at the previous version', async () => {
    const shipped = loadMigrations();
    const broken = [...shipped, { version: shipped.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x int); SELECT 1/0;' }];
    await expect(migrate(db, broken)).rejects.toThrow(/division by zero/);
    expect(await currentVersion(db)).toBe(shipped.length);
    const t = await db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(t).toHaveLength(0);
  });

  it('rolls back a transaction on a throw, and never commits after a failed statement', async () => {
    await db.exec('CREATE TABLE IF NOT EXISTS tx_probe (x int PRIMARY KEY)');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (1)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        await tx.query('INSERT INTO tx_probe VALUES (2)').catch(() => undefined); // swallowed by the caller
        return 'looks fine';
      }),
    ).rejects.toThrow(/rolled back/);
    expect(await db.query('SELECT x FROM tx_probe')).toEqual([]);
  });

  it('a savepoint rolls back alone and the outer transaction commits', async () => {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe VALUES (10)');
      await expect(
        tx.transaction(async (sp) => {
          await sp.query('INSERT INTO tx_probe VALUES (11)');
          await sp.query('INSERT INTO tx_probe VALUES (10)'); // duplicate key
        }),
      ).rejects.toThrow();
      await tx.query('INSERT INTO tx_probe VALUES (12)');
    });
    const rows = await db.query<{ x: number }>('SELECT x FROM tx_probe ORDER BY x');
    expect(rows.map((r) => r.x)).toEqual([10, 12]);
  });

  it('draws change versions in commit order and bumps them only on real changes', async () => {
    const [org] = await db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('o', 'CO', 'America/Bogota') RETURNING id`,
    );
    const [d] = await writeTransaction(db, org!.id, (tx) =>
      tx.query<{ id: string; version: number }>(
        `INSERT INTO debtors (org_id, external_id, name, national_id, country, time_zone, debtor_type, segment)
       VALUES ($1, 'x1', 'Ana', '1', 'CO', 'America/Bogota', 'individual', 'low') RETURNING id, version`,
        [org!.id],
      ),
    );
    const same = await writeTransaction(db, org!.id, (tx) =>
      tx.query<{ version: number }>(`UPDATE debtors SET name = 'Ana' WHERE id = $1 RETURNING version`, [d!.id]),
    );
    expect(same[0]!.version).toBe(d!.version);
    const changed = await writeTransaction(db, org!.id, (tx) =>
      tx.query<{ version: number }>(`UPDATE debtors SET name = 'Ana María' WHERE id = $1 RETURNING version`, [d!.id]),
    );
    expect(changed[0]!.version).toBeGreaterThan(d!.version);
  });
});

describe('migration files', () => {
  it('refuse two files with the same number, or a gap, naming them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    try {
      writeFileSync(join(dir, '0001-a.sql'), 'SELECT 1;');
      writeFileSync(join(dir, '0002-b.sql'), 'SELECT 1;');
      expect(loadMigrations(dir).map((m) => [m.version, m.name])).toEqual([
        [1, 'a'],
        [2, 'b'],
      ]);
      writeFileSync(join(dir, '0002-c.sql'), 'SELECT 1;');
      expect(() => loadMigrations(dir)).toThrow(/two migrations are numbered 2: 0002-b.sql and 0002-c.sql/);
      rmSync(join(dir, '0002-c.sql'));
      writeFileSync(join(dir, '0004-d.sql'), 'SELECT 1;');
      expect(() => loadMigrations(dir)).toThrow(/found 4 at position 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
