import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import { importPortfolioCsv } from '../../../src/server/portfolio/import';
import { upsertPortfolio } from '../../../src/server/portfolio/upsert';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';

const AS_OF = '2026-11-25';

const FILE = [
  'id_deudor;nombre;documento;pais;cuenta;producto;moneda;saldo;dias_mora;telefono1;telefono2;email;canales_autorizados;asesor',
  'D1;María Gómez Ruiz;1020304050;CO;C-1;Tarjeta de crédito;COP;1.500.000;45;300 123 4567;;maria@example.com;llamada|sms;agente1',
  'D1;María Gómez Ruiz;1020304050;CO;C-2;Libranza;COP;8.200.000;10;310 987 6543;;;;agente1',
  'D2;Luis Pérez;99887766;CO;C-3;Microcrédito;COP;1.000.000,5;5;3001112233;;;;agente2', // COP has no cents
  'D3;Ana Torres;AOTA800101MDFRRN09;MX;C-4;Crédito de consumo;MXN;12,345.67;95;55 1234 5678;;;;agente2',
  'D4;Pedro Ríos;44556677;PE;C-5;Microcrédito;PEN;980.50;;12;;;;', // impossible phone
  'D5;Rosa Díaz;12.345.678-5;CL;C-6;Tarjeta de crédito;CLP;250.000;200;+56 9 6123 4567;;;;fantasma', // unknown agent
  'D6;Jorge Vega;10101010;CO;C-7;Tarjeta de crédito;EUR;100;3;3004445566;;;;', // unknown currency
].join('\n');

interface Ctx {
  db: Db;
  orgId: string;
  users: Record<string, string>;
}

async function setup(db: Db): Promise<Ctx> {
  await migrate(db);
  const [org] = await db.query<{ id: string }>(
    `INSERT INTO organizations (name, country, time_zone) VALUES ('Cartera Test', 'CO', 'America/Bogota') RETURNING id`,
  );
  const users: Record<string, string> = {};
  for (const [username, disabled] of [
    ['agente1', false],
    ['agente2', false],
    ['retirado', true],
  ] as const) {
    const [u] = await db.query<{ id: string }>(
      `INSERT INTO users (org_id, username, display_name, role, password_hash, disabled)
       VALUES ($1, $2, $2, 'agent', 'not-a-login', $3) RETURNING id`,
      [org!.id, username, disabled],
    );
    users[username] = u!.id;
  }
  return { db, orgId: org!.id, users };
}

async function snapshot(db: Db) {
  return {
    debtors: await db.query<{ external_id: string; version: number; name: string; contact_prefs: { authorizedChannels?: string[] } }>(
      'SELECT external_id, version, name, contact_prefs FROM debtors ORDER BY external_id',
    ),
    accounts: await db.query<{
      external_ref: string;
      version: number;
      balance_minor: number;
      assigned_agent_id: string | null;
      status: string;
      due_date: string | null;
      currency: string;
    }>('SELECT external_ref, version, balance_minor, assigned_agent_id, status, due_date, currency FROM accounts ORDER BY external_ref'),
    contacts: await db.query<{ kind: string; value: string; version: number; invalid: boolean; do_not_contact: boolean }>(
      'SELECT kind, value, version, invalid, do_not_contact FROM contact_points ORDER BY kind, value',
    ),
    log: await db.query<{ account_id: string; to_agent_id: string }>('SELECT account_id, to_agent_id FROM assignment_log ORDER BY seq'),
  };
}

describe.each(['pg', 'pglite'] as const)('portfolio import on %s', (backend) => {
  let pgDb: TestDatabase | null = null;
  let ctx: Ctx;

  beforeAll(async () => {
    pgDb = backend === 'pg' ? await createTestDatabase('portfolio') : null;
    const db = await openDb(pgDb ? { url: pgDb.url } : { dataDir: 'memory://' });
    ctx = await setup(db);
  });

  afterAll(async () => {
    await ctx?.db.close();
    await pgDb?.drop();
  });

  it('writes the good rows and reports each bad one by row and field', async () => {
    const report = await importPortfolioCsv(ctx.db, ctx.orgId, FILE, { asOf: AS_OF });
    expect(report.rowsRead).toBe(7);
    expect(report.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'saldo'],
      [6, 'telefono1'],
      [7, 'asesor'],
      [8, 'moneda'],
    ]);
    expect(report.errors.find((e) => e.row === 7)!.message).toContain('fantasma');
    expect(report.debtorsUpserted).toBe(2);
    expect(report.accountsUpserted).toBe(3);
    // D1: two phones + email; D3: one phone
    expect(report.contactPointsUpserted).toBe(4);

    const s = await snapshot(ctx.db);
    expect(s.debtors.map((d) => d.external_id)).toEqual(['D1', 'D3']);
    expect(s.accounts.map((a) => [a.external_ref, a.balance_minor, a.currency, a.due_date, a.assigned_agent_id])).toEqual([
      ['C-1', 1_500_000, 'COP', '2026-10-11', ctx.users.agente1],
      ['C-2', 8_200_000, 'COP', '2026-11-15', ctx.users.agente1],
      ['C-4', 1_234_567, 'MXN', '2026-08-22', ctx.users.agente2],
    ]);
    expect(s.contacts.map((c) => `${c.kind}:${c.value}`)).toEqual([
      'email:maria@example.com',
      'phone:+525512345678',
      'phone:+573001234567',
      'phone:+573109876543',
    ]);
    expect(s.debtors[0]!.contact_prefs.authorizedChannels).toEqual(['call', 'sms']);
    // the trigger logged each first assignment
    expect(s.log).toHaveLength(3);
  });

  it('re-importing the same file changes nothing: no duplicates, same versions', async () => {
    const before = await snapshot(ctx.db);
    const report = await importPortfolioCsv(ctx.db, ctx.orgId, FILE, { asOf: AS_OF });
    expect(report.accountsUpserted).toBe(3);
    expect(await snapshot(ctx.db)).toEqual(before);
  });

  it('keeps flags agents set, contact points missing from the file, assignment and status', async () => {
    await ctx.db.query(`UPDATE contact_points SET invalid = true WHERE value = '+573109876543'`);
    await ctx.db.query(`UPDATE contact_points SET do_not_contact = true WHERE value = 'maria@example.com'`);
    await ctx.db.query(`UPDATE accounts SET status = 'dispute' WHERE external_ref = 'C-1'`);
    // Next month's file: new balance, C-2's phone gone, no agent column, no email, no channels.
    const next = [
      'id_deudor;nombre;documento;pais;cuenta;producto;saldo;dias_mora;telefono',
      'D1;María Gómez Ruiz;1020304050;CO;C-1;Tarjeta de crédito;1.400.000;75;3001234567',
      'D1;María Gómez Ruiz;1020304050;CO;C-2;Libranza;8.200.000;10;',
    ].join('\n');
    const before = await snapshot(ctx.db);
    const report = await importPortfolioCsv(ctx.db, ctx.orgId, next, { asOf: AS_OF });
    expect(report.errors).toEqual([]);
    const after = await snapshot(ctx.db);

    expect(after.contacts.map((c) => [c.value, c.invalid, c.do_not_contact])).toEqual([
      ['maria@example.com', false, true],
      ['+525512345678', false, false],
      ['+573001234567', false, false],
      ['+573109876543', true, false],
    ]);
    const c1 = after.accounts.find((a) => a.external_ref === 'C-1')!;
    const c1Before = before.accounts.find((a) => a.external_ref === 'C-1')!;
    expect(c1).toMatchObject({ balance_minor: 1_400_000, status: 'dispute', assigned_agent_id: ctx.users.agente1, due_date: '2026-09-11' });
    expect(c1.version).toBeGreaterThan(c1Before.version);
    // C-2 did not change, so clients need not download it again
    expect(after.accounts.find((a) => a.external_ref === 'C-2')!.version).toBe(
      before.accounts.find((a) => a.external_ref === 'C-2')!.version,
    );
    expect(after.debtors[0]!.contact_prefs.authorizedChannels).toEqual(['call', 'sms']);
    expect(after.log).toEqual(before.log);
  });

  it('reassigns by username (logged), refuses unknown or disabled agents without writing anything of the row', async () => {
    const file = [
      'id_deudor;nombre;documento;pais;cuenta;saldo;asesor',
      'D3;Ana Torres;AOTA800101MDFRRN09;MX;C-4;12345.67;AGENTE1', // usernames match case-insensitively
      'D7;Nuevo Deudor;7777;CO;C-70;1000;nadie',
      'D8;Otro Deudor;8888;CO;C-80;1000;retirado',
    ].join('\n');
    const report = await importPortfolioCsv(ctx.db, ctx.orgId, file, { asOf: AS_OF });
    expect(report.errors).toEqual([
      { row: 3, field: 'asesor', message: expect.stringContaining('nadie') },
      { row: 4, field: 'asesor', message: expect.stringContaining('deshabilitado') },
    ]);
    const s = await snapshot(ctx.db);
    expect(s.debtors.map((d) => d.external_id)).not.toContain('D7');
    expect(s.debtors.map((d) => d.external_id)).not.toContain('D8');
    expect(s.accounts.find((a) => a.external_ref === 'C-4')!.assigned_agent_id).toBe(ctx.users.agente1);
    const [last] = await ctx.db.query<{ from_agent_id: string; to_agent_id: string }>(
      'SELECT from_agent_id, to_agent_id FROM assignment_log ORDER BY seq DESC LIMIT 1',
    );
    expect(last).toEqual({ from_agent_id: ctx.users.agente2, to_agent_id: ctx.users.agente1 });
  });

  it('a row the database refuses is lost alone, with its error; the rest of its chunk is written', async () => {
    // Stand-in for any refusal the parser cannot foresee (a constraint added by an operator).
    await ctx.db.exec(`ALTER TABLE accounts ADD CONSTRAINT test_refuse_boom CHECK (external_ref <> 'BOOM')`);
    try {
      const rows = [
        'id_deudor;nombre;documento;pais;cuenta;saldo;telefono',
        'D20;Uno;20;CO;C-20;100;3000000020',
        'D21;Dos;21;CO;BOOM;100;3000000021',
        'D22;Tres;22;CO;C-22;100;3000000022',
        'D20;Uno;20;CO;C-23;100;3000000020',
      ].join('\n');
      const report = await importPortfolioCsv(ctx.db, ctx.orgId, rows, { asOf: AS_OF, chunkSize: 2 });
      expect(report.errors).toEqual([{ row: 3, field: 'base_de_datos', message: expect.stringContaining('test_refuse_boom') }]);
      expect(report.accountsUpserted).toBe(3);
      const s = await snapshot(ctx.db);
      expect(s.accounts.map((a) => a.external_ref)).toEqual(expect.arrayContaining(['C-20', 'C-22', 'C-23']));
      expect(s.accounts.map((a) => a.external_ref)).not.toContain('BOOM');
      // the failed row's new debtor and phone were rolled back with it
      expect(s.debtors.map((d) => d.external_id)).not.toContain('D21');
      expect(s.contacts.map((c) => c.value)).not.toContain('+573000000021');
    } finally {
      await ctx.db.exec('ALTER TABLE accounts DROP CONSTRAINT test_refuse_boom');
    }
  });

  it('imports a generated portfolio across many chunks, and again without changes', async () => {
    const rows = generateDemoPortfolio({ count: 3000, seed: 11, agents: ['agente1', 'agente2'], asOf: AS_OF });
    const csv = portfolioRowsToCsv(rows);
    const t0 = performance.now();
    const report = await importPortfolioCsv(ctx.db, ctx.orgId, csv, { asOf: AS_OF, chunkSize: 500 });
    const ms = performance.now() - t0;
    expect(report.errors).toEqual([]);
    expect(report.accountsUpserted).toBe(3000);
    expect(report.debtorsUpserted).toBe(new Set(rows.map((r) => r.debtorExternalId)).size);
    const [counts] = await ctx.db.query<{ accounts: number; debtors: number; cps: number }>(
      `SELECT (SELECT count(*) FROM accounts WHERE external_ref LIKE '__-%-%') AS accounts,
              (SELECT count(*) FROM debtors WHERE external_id LIKE 'D0%') AS debtors,
              (SELECT count(*) FROM contact_points cp JOIN debtors d ON d.id = cp.debtor_id WHERE d.external_id LIKE 'D0%') AS cps`,
    );
    expect(counts).toEqual({ accounts: 3000, debtors: report.debtorsUpserted, cps: report.contactPointsUpserted });
    const [head] = await ctx.db.query<{ v: number }>('SELECT max(version) AS v FROM accounts');
    const again = await upsertPortfolio(
      ctx.db,
      ctx.orgId,
      rows.map((row, i) => ({ rowNumber: i + 2, row })),
    );
    expect(again.errors).toEqual([]);
    const [head2] = await ctx.db.query<{ v: number }>('SELECT max(version) AS v FROM accounts');
    expect(head2!.v).toBe(head!.v);
    console.log(`[${backend}] 3000-row CSV import: ${ms.toFixed(0)} ms`);
  });
});
