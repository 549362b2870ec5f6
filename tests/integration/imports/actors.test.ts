import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImportCli } from '../../../src/server/cli/import';
import { AccountTrail } from '../../../src/server/collections/payments-trail';
import { ImportRun } from '../../../src/server/imports/runs';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/** Every write of an import or a payment names its author, and the account's trail shows it. */
describe.each(BACKENDS)('who did it, on %s', (backend) => {
  let s: TestServer;
  let lead: string;
  let admin: string;
  let account: { id: string; ref: string; line: string };

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 12 } });
    lead = (await login(s, 'lider', 'lider123')).token;
    admin = (await login(s, 'admin', 'admin123')).token;
    const [a] = await s.db.query<{ id: string; ref: string; line: string }>(
      `SELECT a.id, a.external_ref AS ref,
              concat_ws(';', d.external_id, d.name, d.national_id, d.country, d.time_zone, a.external_ref, a.currency) AS line
         FROM accounts a JOIN debtors d ON d.id = a.debtor_id
        WHERE a.assigned_agent_id = $1
          AND NOT EXISTS (SELECT 1 FROM accounts b WHERE b.debtor_id = a.debtor_id AND b.id <> a.id)
        ORDER BY a.id LIMIT 1`,
      [s.seed!.users.agente1],
    );
    account = a!;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a portfolio upload records its run and the reassignment it made under the uploader', async () => {
    const body = `id_deudor;nombre;documento;pais;zona_horaria;cuenta;moneda;saldo;asesor\n${account.line};900;agente2\n`;
    const r = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body, contentType: 'text/csv' });
    expect(r.body.errors).toEqual([]);
    const importId = r.body.importId as string;
    const [log] = await s.db.query<{ by: string | null; via: string | null; importId: string | null }>(
      `SELECT by_user_id AS by, via, import_id AS "importId" FROM assignment_log WHERE account_id = $1 ORDER BY seq DESC LIMIT 1`,
      [account.id],
    );
    expect(log).toEqual({ by: s.seed!.users.lider, via: 'api', importId });

    const run = ImportRun.parse((await call(s, 'GET', `/api/v1/imports/${importId}`, { token: lead })).body);
    expect(run).toMatchObject({
      kind: 'portfolio',
      actorUsername: 'lider',
      via: 'api',
      status: 'done',
      rowsRead: 1,
      rowsWritten: 1,
      rowsRefused: 0,
    });
    const list = await call(s, 'GET', '/api/v1/imports', { token: admin });
    expect(list.body.imports.map((i: { id: string }) => i.id)).toContain(importId);
  });

  it('payments name who recorded and who reversed them, in the database and in the trail', async () => {
    const file = `referencia;cuenta;monto;fecha\nPAGO-LIDER;${account.ref};10;2026-11-20\n`;
    const imported = await call(s, 'POST', '/api/v1/imports/payments', { token: lead, body: file, contentType: 'text/csv' });
    expect(imported.body).toMatchObject({ created: 1, errors: [] });
    const reversed = await call(s, 'POST', '/api/v1/payments/PAGO-LIDER/reverse', { token: admin, body: {} });
    expect(reversed.status).toBe(200);
    const [currency] = await s.db.query<{ c: string }>('SELECT currency AS c FROM accounts WHERE id = $1', [account.id]);
    const direct = await call(s, 'POST', '/api/v1/payments', {
      token: admin,
      body: { accountId: account.id, reference: 'PAGO-ADMIN', amountMinor: 5, currency: currency!.c, paidAt: '2026-11-21T15:00:00.000Z' },
    });
    expect(direct.status).toBe(201);

    const trail = AccountTrail.parse((await call(s, 'GET', `/api/v1/accounts/${account.id}/trail`, { token: lead })).body);
    const byRef = new Map(trail.payments.map((p) => [p.reference, p]));
    expect(byRef.get('PAGO-LIDER')).toMatchObject({
      recordedBy: { userId: s.seed!.users.lider, username: 'lider', via: 'api' },
      reversedBy: { userId: s.seed!.users.admin, username: 'admin', via: 'api' },
      importId: imported.body.importId,
    });
    expect(byRef.get('PAGO-ADMIN')).toMatchObject({ recordedBy: { username: 'admin', via: 'api' }, reversedBy: null, importId: null });
    expect(trail.assignments.at(-1)).toMatchObject({ toAgentId: s.seed!.users.agente2, by: { username: 'lider', via: 'api' } });
    // an agent does not read the trail
    const agent = (await login(s, 'agente2', 'agente123')).token;
    expect((await call(s, 'GET', `/api/v1/accounts/${account.id}/trail`, { token: agent })).status).toBe(403);
  });
});

describe('who did it, from the command line', () => {
  let dir: string;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the CLI's import run and reassignments are recorded as via 'cli' with no user", async () => {
    dir = mkdtempSync(join(tmpdir(), 'import-actor-'));
    const { openDb } = await import('../../../src/server/db');
    const { migrate } = await import('../../../src/server/db/migrate');
    let db = await openDb({ dataDir: dir });
    await migrate(db);
    const [org] = await db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('CLI', 'CO', 'America/Bogota') RETURNING id`,
    );
    await db.query(
      `INSERT INTO users (org_id, username, display_name, role, password_hash) VALUES ($1, 'agente1', 'agente1', 'agent', 'x')`,
      [org!.id],
    );
    await db.close();
    const file = join(dir, 'c.csv');
    writeFileSync(file, 'id_deudor;nombre;documento;pais;cuenta;saldo;asesor\nD1;Ana;1020304050;CO;C-1;1000;agente1\n');
    expect(await runImportCli([file], { DATA_DIR: join(dir) }, { out: () => {}, err: () => {} })).toBe(0);
    db = await openDb({ dataDir: dir });
    try {
      const runs = await db.query<{ actor: string | null; via: string; status: string; id: string }>(
        'SELECT id, actor_id AS actor, via, status FROM import_runs',
      );
      expect(runs).toEqual([{ id: expect.any(String), actor: null, via: 'cli', status: 'done' }]);
      const log = await db.query('SELECT by_user_id AS by, via, import_id AS "importId" FROM assignment_log');
      expect(log).toEqual([{ by: null, via: 'cli', importId: runs[0]!.id }]);
    } finally {
      await db.close();
    }
  });
});
