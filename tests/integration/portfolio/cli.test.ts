import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCli } from '../../../src/server/cli/import';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { parsePortfolioCsv } from '../../../src/server/portfolio/parse';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';

const EXAMPLE = 'resources/demo/cartera-ejemplo.csv';

async function addOrg(db: Db, name: string, agents: string[]): Promise<string> {
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organizations (name, country, time_zone) VALUES ($1, 'CO', 'America/Bogota') RETURNING id`,
    [name],
  );
  for (const u of agents) {
    await db.query(`INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, $2, $2, 'agent', 'x')`, [
      org!.id,
      u,
    ]);
  }
  return org!.id;
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('npm run import (PGlite data folder, in process)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    const db = await openDb({ dataDir: dir });
    await migrate(db);
    await addOrg(db, 'Cobranzas Andinas', ['agente1', 'agente2', 'agente3']);
    await db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports the example file, lists each refused row as "fila N, campo X" and exits 1', async () => {
    const c = capture();
    const code = await runImportCli([EXAMPLE], { DATA_DIR: dir }, c.io);
    expect(code).toBe(1);
    expect(c.out).toContain('Filas leídas: 21');
    // what the file says, counted independently of the importer: rows that parse, minus row 20
    const good = parsePortfolioCsv(readFileSync(EXAMPLE, 'utf8'))
      .rows.filter((r) => r.rowNumber !== 20)
      .map((r) => r.row);
    const contactKeys = new Set(
      good.flatMap((r) => [
        ...r.phones.map((v) => `${r.debtorExternalId}|phone|${v}`),
        ...r.whatsapp.map((v) => `${r.debtorExternalId}|whatsapp|${v}`),
        ...r.emails.map((v) => `${r.debtorExternalId}|email|${v}`),
        ...(r.address ? [`${r.debtorExternalId}|address|${r.address}`] : []),
      ]),
    );
    const debtors = new Set(good.map((r) => r.debtorExternalId)).size;
    expect(c.out).toContain(`Deudores: ${debtors} · Cuentas: 17 · Puntos de contacto: ${contactKeys.size}`);
    expect(c.out.filter((l) => l.startsWith('  fila '))).toEqual([
      '  fila 5, campo saldo: "1.250.000,75" tiene más decimales de los que admite COP',
      '  fila 10, campo fecha_vencimiento: "31/02/2026" no es una fecha real',
      '  fila 15, campo telefono1: "12345" tiene una longitud imposible para PE',
      '  fila 20, campo asesor: no existe el asesor "agente9" en la organización',
    ]);
    const db = await openDb({ dataDir: dir });
    try {
      const [n] = await db.query<{ accounts: number; cps: number }>(
        'SELECT (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM contact_points) AS cps',
      );
      expect(n).toEqual({ accounts: 17, cps: contactKeys.size });
    } finally {
      await db.close();
    }
  });

  it('exits 0 for a clean file, and matches --org by name without case or accents', async () => {
    const clean = join(dir, 'limpia.csv');
    writeFileSync(clean, 'id_deudor;nombre;documento;pais;cuenta;saldo;notas\nX1;Ana;1;CO;X-1;1000;x\n');
    const c = capture();
    expect(await runImportCli([clean, '--org', 'cobranzas ándinas', '--as-of', '2026-11-25'], { DATA_DIR: dir }, c.io)).toBe(0);
    expect(c.out).toContain('Sin errores.');
    expect(c.out.join('\n')).toContain('Columnas no leídas (nombre no reconocido, ver docs/portfolio-csv.md): notas');
  });

  it('--generate writes a demo CSV that then imports without errors', async () => {
    const out = join(dir, 'demo.csv');
    const c = capture();
    expect(await runImportCli(['--generate', '300', '--seed', '4', '--as-of', '2026-11-25', out], { DATA_DIR: dir }, c.io)).toBe(0);
    expect(c.out[0]).toMatch(/^300 cuentas de \d+ deudores escritas/);
    const c2 = capture();
    expect(await runImportCli([out], { DATA_DIR: dir }, c2.io)).toBe(0);
    expect(c2.out).toContain('Filas leídas: 300');
  });

  it('refuses a PGlite folder another process has open, and leaves it untouched', async () => {
    const db = await openDb({ dataDir: dir });
    try {
      const c = capture();
      expect(await runImportCli([EXAMPLE], { DATA_DIR: dir }, c.io)).toBe(2);
      expect(c.err.join('\n')).toContain('está en uso');
    } finally {
      await db.close();
    }
  });

  it.each([
    [[], 'indique exactamente un archivo'],
    [['no-existe.csv'], 'no se puede leer'],
    [[EXAMPLE, '--as-of', '25/11/2026'], '--as-of'],
    [[EXAMPLE, '--org', 'Otra'], 'no existe la organización "Otra"'],
    [[EXAMPLE, '--color'], 'Unknown option'],
  ])('refuses %j with exit 2', async (args, message) => {
    const c = capture();
    expect(await runImportCli(args, { DATA_DIR: dir }, c.io)).toBe(2);
    expect(c.err.join('\n')).toContain(message);
  });
});

describe('npm run import (real process, PostgreSQL)', () => {
  let pgDb: TestDatabase;
  beforeAll(async () => {
    pgDb = await createTestDatabase('importcli');
    const db = await openDb({ url: pgDb.url });
    await migrate(db);
    await addOrg(db, 'Primera', ['agente1']);
    await addOrg(db, 'Segunda', ['agente1', 'agente2', 'agente3', 'agente9']);
    await db.close();
  });
  afterAll(async () => {
    await pgDb?.drop();
  });

  it('asks which organisation when there are several, then imports into the named one', () => {
    const env = { ...process.env, DATABASE_URL: pgDb.url };
    const ambiguous = spawnSync('npm', ['run', '--silent', 'import', '--', EXAMPLE], { env, encoding: 'utf8' });
    expect(ambiguous.status).toBe(2);
    expect(ambiguous.stderr).toContain('hay 2 organizaciones');

    const ok = spawnSync('npm', ['run', '--silent', 'import', '--', EXAMPLE, '--org', 'Segunda'], { env, encoding: 'utf8' });
    // agente9 exists in this organisation: only the three format errors remain
    expect(ok.status).toBe(1);
    expect(ok.stdout).toContain('PostgreSQL');
    expect(ok.stdout).toContain('Cuentas: 18');
    expect(ok.stdout.match(/^ {2}fila \d+/gm)).toEqual(['  fila 5', '  fila 10', '  fila 15']);
  }, 120_000);
});
