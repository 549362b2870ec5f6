import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportReport } from '../../../src/shared/domain/portfolio';
import { PaymentResult } from '../../../src/shared/api/rest';
import { PullResponse } from '../../../src/shared/sync/protocol';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import { portfolioRowsToCsv } from '../../../src/server/portfolio/write-csv';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, SyncClient } from './fixtures';

describe.each(BACKENDS)('payments and portfolio import on %s', (backend) => {
  let s: TestServer;
  let lead: string;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 15 } });
    lead = (await login(s, 'lider', 'lider123')).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('records a payment once per reference: the same reference again answers 200 with the stored payment', async () => {
    const acc = (await accountsOf(s.db, s.seed!.users.agente1))[0]!;
    const [{ currency }] = (await s.db.query<{ currency: string }>('SELECT currency FROM accounts WHERE id = $1', [acc.id])) as [
      { currency: string },
    ];
    const body = { accountId: acc.id, reference: 'BANCO-000123', amountMinor: 150000, currency, paidAt: '2026-11-20T15:00:00.000Z' };
    const agent = await SyncClient.login(s, 'agente1', 'agente123');
    const cursor = PullResponse.parse((await agent.pull(null)).body).cursor;

    const first = await call(s, 'POST', '/api/v1/payments', { token: lead, body });
    expect(first.status).toBe(201);
    const created = PaymentResult.parse(first.body);
    expect(created).toMatchObject({ created: true, payment: { reference: 'BANCO-000123', amountMinor: 150000, accountId: acc.id } });
    const again = await call(s, 'POST', '/api/v1/payments', { token: lead, body });
    expect(again.status).toBe(200);
    expect(PaymentResult.parse(again.body)).toEqual({ ...created, created: false });
    const rows = await s.db.query('SELECT id FROM payments WHERE reference = $1', ['BANCO-000123']);
    expect(rows).toHaveLength(1);

    const clash = await call(s, 'POST', '/api/v1/payments', { token: lead, body: { ...body, amountMinor: 1 } });
    expect(clash.status).toBe(409);
    expect(clash.body.error).toMatchObject({ code: 'payment_reference_conflict', field: 'reference' });
    const wrongCurrency = await call(s, 'POST', '/api/v1/payments', {
      token: lead,
      body: { ...body, reference: 'X-2', currency: currency === 'USD' ? 'COP' : 'USD' },
    });
    expect(wrongCurrency.status).toBe(400);
    expect(wrongCurrency.body.error.field).toBe('currency');
    const bad = await call(s, 'POST', '/api/v1/payments', { token: lead, body: { ...body, reference: 'X-3', amountMinor: -5 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('amountMinor');

    // The agent's next pull carries the payment.
    const patch = PullResponse.parse((await agent.pull(cursor)).body).patch;
    expect(patch.payments.map((p) => p.id)).toEqual([created.payment.id]);
  });

  it('imports a portfolio CSV, reports bad rows by row and column, and is idempotent', async () => {
    const rows = generateDemoPortfolio({ count: 6, seed: 99, agents: ['agente2'] });
    const csv = portfolioRowsToCsv(rows);
    const first = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body: csv, contentType: 'text/csv' });
    expect(first.status).toBe(200);
    const report = ImportReport.parse(first.body);
    expect(report).toMatchObject({ rowsRead: 6, accountsUpserted: 6, errors: [] });
    const refs = rows.map((r) => r.accountRef);
    const count = async () => (await s.db.query('SELECT 1 FROM accounts WHERE external_ref = ANY($1::text[])', [refs])).length;
    expect(await count()).toBe(6);
    const versions = await s.db.query('SELECT id, version FROM accounts WHERE external_ref = ANY($1::text[]) ORDER BY id', [refs]);
    await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body: csv, contentType: 'text/csv' });
    expect(await count()).toBe(6);
    expect(await s.db.query('SELECT id, version FROM accounts WHERE external_ref = ANY($1::text[]) ORDER BY id', [refs])).toEqual(versions);

    const lines = csv.trimEnd().split(/\r?\n/);
    const broken = [lines[0], lines[1]!.replace(/;agente2\s*$/, ';nadie')].join('\n');
    const r = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body: broken, contentType: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([expect.objectContaining({ row: 2, field: 'asesor' })]);
  });

  it('refuses an import that is not text/csv, and an empty one', async () => {
    const json = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body: { rows: [] } });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported_media_type');
    const empty = await call(s, 'POST', '/api/v1/imports/portfolio', { token: lead, body: ' ', contentType: 'text/csv' });
    expect(empty.status).toBe(200);
    expect(ImportReport.parse(empty.body).accountsUpserted).toBe(0);
  });
});
