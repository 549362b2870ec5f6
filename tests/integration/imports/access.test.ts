import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { addUser } from '../server/fixtures';

/**
 * Who may load files: an admin anything in the organisation; a team lead only accounts and
 * agents of their own team (src/server/access/visibility.ts, importRefusals). Everything else is
 * refused with its row and column, and nothing of it is written.
 */
interface AccountFacts {
  id: string;
  ref: string;
  debtor: string;
  name: string;
  nationalId: string;
  country: string;
  zone: string;
  currency: string;
  balance: number;
}

async function facts(s: TestServer, accountId: string): Promise<AccountFacts> {
  const [row] = await s.db.query<AccountFacts>(
    `SELECT a.id, a.external_ref AS ref, d.external_id AS debtor, d.name, d.national_id AS "nationalId", d.country,
            d.time_zone AS zone, a.currency, a.balance_minor AS balance
       FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = $1`,
    [accountId],
  );
  return row!;
}

/** Whole amounts in minor units: COP and CLP have no cents. */
const minor = (major: string, currency: string) => Number(major.replace(/\./g, '')) * (currency === 'COP' || currency === 'CLP' ? 1 : 100);

const HEADER = 'id_deudor;nombre;documento;pais;zona_horaria;cuenta;moneda;saldo;asesor';
const line = (
  f: Pick<AccountFacts, 'debtor' | 'name' | 'nationalId' | 'country' | 'zone' | 'ref' | 'currency'>,
  balance: string,
  agent: string,
) => [f.debtor, f.name, f.nationalId, f.country, f.zone, f.ref, f.currency, balance, agent].join(';');

describe.each(BACKENDS)('import access on %s', (backend) => {
  let s: TestServer;
  let lead: string;
  let lead2: string;
  let admin: string;
  let other: AccountFacts;
  let own: AccountFacts;

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 30 } });
    const orgId = s.seed!.orgId;
    const agent4 = await addUser(s.db, orgId, 'agente4', { teamName: 'Equipo Medellín' });
    await addUser(s.db, orgId, 'lider2', { teamName: 'Equipo Medellín', role: 'team_lead', password: 'lider2clave' });
    // whole debtors move to the other team (a debtor split across teams is refused to both leads)
    const moved = await s.db.query<{ id: string }>(
      `SELECT a.id FROM accounts a WHERE a.assigned_agent_id = $1
         AND NOT EXISTS (SELECT 1 FROM accounts b WHERE b.debtor_id = a.debtor_id AND b.id <> a.id)
       ORDER BY a.id LIMIT 2`,
      [s.seed!.users.agente3],
    );
    for (const m of moved) await s.db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [m.id, agent4]);
    other = await facts(s, moved[0]!.id);
    const ownId = (
      await s.db.query<{ id: string }>(
        `SELECT a.id FROM accounts a WHERE a.assigned_agent_id = $1
         AND NOT EXISTS (SELECT 1 FROM accounts b WHERE b.debtor_id = a.debtor_id AND b.assigned_agent_id IS DISTINCT FROM $1)
       ORDER BY a.id LIMIT 1`,
        [s.seed!.users.agente1],
      )
    )[0]!.id;
    own = await facts(s, ownId);
    lead = (await login(s, 'lider', 'lider123')).token;
    lead2 = (await login(s, 'lider2', 'lider2clave')).token;
    admin = (await login(s, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const csv = (lines: string[]) => [HEADER, ...lines].join('\n');

  it("a team lead's portfolio file cannot reach another team's accounts, debtors or agents", async () => {
    const fresh = {
      debtor: 'NUEVO-1',
      name: 'Nuevo Deudor',
      nationalId: '1234567890',
      country: 'CO',
      zone: 'America/Bogota',
      currency: 'COP',
    };
    const body = csv([
      line(other, '4.589', 'lider'), // row 2: the reported attack — another team's account, to themselves, balance cut
      line({ ...other, ref: 'NUEVA-EN-OTRO-DEUDOR' }, '1.000', 'agente1'), // row 3: new account on a debtor of another team
      line({ ...fresh, ref: 'NUEVA-AGENTE4' }, '1.000', 'agente4'), // row 4: new account for another team's agent
      line({ ...fresh, ref: 'NUEVA-SIN-ASESOR' }, '1.000', ''), // row 5: new account with no agent: belongs to no team
      line(own, '7.000', 'agente2'), // row 6: own team, reassigned within the team: allowed
      line({ ...fresh, ref: 'NUEVA-PROPIA' }, '2.000', 'agente1'), // row 7: new account for an own agent: allowed
    ]);
    const r = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body, contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.errors.map((e: { row: number; field: string }) => [e.row, e.field])).toEqual([
      [2, 'cuenta'],
      [3, 'id_deudor'],
      [4, 'asesor'],
      [5, 'asesor'],
    ]);
    expect(r.body.accountsUpserted).toBe(2);
    const after = await facts(s, other.id);
    expect(after.balance).toBe(other.balance);
    const [assigned] = await s.db.query<{ agent: string }>('SELECT assigned_agent_id AS agent FROM accounts WHERE id = $1', [other.id]);
    expect(assigned!.agent).not.toBe(s.seed!.users.lider);
    const refs = await s.db.query<{ ref: string }>(`SELECT external_ref AS ref FROM accounts WHERE external_ref LIKE 'NUEVA-%' ORDER BY 1`);
    expect(refs.map((x) => x.ref)).toEqual(['NUEVA-PROPIA']);
    expect((await facts(s, own.id)).balance).toBe(minor('7.000', own.currency));
  });

  it("the other team's lead and an admin may load that same row", async () => {
    const r2 = await call(s, 'POST', '/api/v1/imports/portfolio', {
      token: lead2,
      body: csv([line(other, '458.900', 'agente4')]),
      contentType: 'text/csv',
    });
    expect(r2.body.errors).toEqual([]);
    const r = await call(s, 'POST', '/api/v1/imports/portfolio', {
      token: admin,
      body: csv([line(other, '458.901', 'agente4')]),
      contentType: 'text/csv',
    });
    expect(r.body.errors).toEqual([]);
    expect((await facts(s, other.id)).balance).toBe(minor('458.901', other.currency));
  });

  it("a team lead can neither import nor reverse a payment on another team's account", async () => {
    const file = `referencia;cuenta;monto;fecha\nPAGO-AJENO;${other.ref};1.000;2026-11-20\nPAGO-PROPIO;${own.ref};1.000;2026-11-20\n`;
    const r = await call(s, 'POST', '/api/v1/imports/payments', { token: lead, body: file, contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'cuenta' })]);
    expect(r.body.created).toBe(1);
    expect(await s.db.query(`SELECT 1 FROM payments WHERE reference = 'PAGO-AJENO'`)).toHaveLength(0);

    const byAdmin = await call(s, 'POST', '/api/v1/imports/payments', { token: admin, body: file, contentType: 'text/csv' });
    expect(byAdmin.body).toMatchObject({ created: 1, duplicates: 1, errors: [] });
    const before = (await facts(s, other.id)).balance;
    const denied = await call(s, 'POST', '/api/v1/payments/PAGO-AJENO/reverse', { token: lead, body: {} });
    expect(denied.status).toBe(404);
    const [p] = await s.db.query<{ reversed: Date | null }>(`SELECT reversed_at AS reversed FROM payments WHERE reference = 'PAGO-AJENO'`);
    expect(p!.reversed).toBeNull();
    expect((await facts(s, other.id)).balance).toBe(before);
    const allowed = await call(s, 'POST', '/api/v1/payments/PAGO-AJENO/reverse', { token: lead2, body: {} });
    expect(allowed.status).toBe(200);
    expect(allowed.body.changed).toBe(true);
  });
});
