import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../../src/shared/domain/portfolio';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/** What a portfolio file means, cell by cell: empty is "not given", never "reset to the default". */
describe.each(BACKENDS)('portfolio file meaning on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  const upload = async (lines: string[]) => {
    const r = await call(s, 'POST', '/api/v1/imports/portfolio', { token: admin, body: lines.join('\n'), contentType: 'text/csv' });
    expect(r.status).toBe(200);
    return ImportReport.parse(r.body);
  };
  const debtor = async (id: string) =>
    (
      await s.db.query<{ zone: string; type: string; segment: string; name: string; country: string }>(
        'SELECT time_zone AS zone, debtor_type AS type, segment, name, country FROM debtors WHERE external_id = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 3 } });
    admin = (await login(s, 'admin', 'admin123')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  const HEADER = 'id_deudor;nombre;documento;pais;zona_horaria;tipo;segmento;cuenta;saldo;telefono;asesor';

  it("a later row's empty zone, type or segment keeps the earlier row's values (a Tijuana debtor stays in Tijuana)", async () => {
    const report = await upload([
      HEADER,
      'TJ-1;Comercial Baja S.A. de C.V.;CBA800101AB1;MX;America/Tijuana;empresa;alto;TJ-C1;1.000,00;55 1234 5678;agente1',
      // Mexico City phone, nothing said about zone, type or segment: the deduced default must not win
      'TJ-1;Comercial Baja S.A. de C.V.;CBA800101AB1;MX;;;;TJ-C2;2.000,00;55 8765 4321;agente1',
    ]);
    expect(report.errors).toEqual([]);
    expect(await debtor('TJ-1')).toMatchObject({ zone: 'America/Tijuana', type: 'company', segment: 'high' });
  });

  it('a later import that leaves them empty keeps what the database has', async () => {
    const report = await upload([HEADER, 'TJ-1;Comercial Baja S.A. de C.V.;CBA800101AB1;MX;;;;TJ-C3;3.000,00;55 1111 2222;agente1']);
    expect(report.errors).toEqual([]);
    expect(await debtor('TJ-1')).toMatchObject({ zone: 'America/Tijuana', type: 'company', segment: 'high' });
    // and a value that is given still replaces it
    await upload([HEADER, 'TJ-1;Comercial Baja S.A. de C.V.;CBA800101AB1;MX;America/Hermosillo;;bajo;TJ-C3;3.000,00;;agente1']);
    expect(await debtor('TJ-1')).toMatchObject({ zone: 'America/Hermosillo', type: 'company', segment: 'low' });
  });

  it('name and country may be empty on later rows of a debtor, as the doc says, but not on its first row', async () => {
    const report = await upload([
      HEADER,
      'LR-1;Lucía Ramos;1098765432;CO;;;;LR-C1;100;3001234567;agente1',
      'LR-1;;1098765432;;;;;LR-C2;200;3007654321;agente1',
      'LR-2;;55443322;;;;;LR-C3;300;3001112233;agente1',
    ]);
    expect(report.errors.map((e) => [e.row, e.field])).toEqual([
      [4, 'nombre'],
      [4, 'pais'],
    ]);
    expect(report.accountsUpserted).toBe(2);
    expect(await debtor('LR-1')).toMatchObject({ name: 'Lucía Ramos', country: 'CO', zone: 'America/Bogota' });
  });

  it('warns (and still writes) when a national id is already another debtor’s', async () => {
    await upload([HEADER, 'DUP-1;Pedro Páez;80808080;CO;;;;DUP-C1;100;;agente1']);
    const report = await upload([
      HEADER,
      'DUP-2;Pedro Paez;80808080;CO;;;;DUP-C2;100;;agente1',
      'DUP-3;Otra Persona;70707070;CO;;;;DUP-C3;100;;agente1',
      'DUP-4;Otra Persona;70707070;CO;;;;DUP-C4;100;;agente1',
    ]);
    expect(report.errors).toEqual([]);
    expect(report.accountsUpserted).toBe(3);
    expect(report.warnings).toEqual([
      { row: 2, field: 'documento', message: expect.stringContaining('"DUP-1"') },
      { row: 3, field: 'documento', message: expect.stringContaining('"DUP-4"') },
    ]);
  });
});

describe.each(BACKENDS)('a Windows-1252 upload on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 3 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is decoded as the CLI decodes it, never stored with replacement characters', async () => {
    const admin = (await login(s, 'admin', 'admin123')).token;
    const text = 'id_deudor;nombre;documento;pais;cuenta;saldo;asesor\nW-1;José Gómez Núñez;1020304050;CO;W-C1;100;agente1\n';
    const bytes = Buffer.from(new Uint8Array([...text].map((c) => c.charCodeAt(0)))); // Latin-1 = Windows-1252 here
    const r = await fetch(`${s.url}/api/v1/imports/portfolio`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: bytes,
    });
    expect(r.status).toBe(200);
    expect((await r.json()).errors).toEqual([]);
    const [d] = await s.db.query<{ name: string }>(`SELECT name FROM debtors WHERE external_id = 'W-1'`);
    expect(d!.name).toBe('José Gómez Núñez');
  });
});
