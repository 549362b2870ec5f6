import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import type { FetchLike } from '../../../src/main/sync/transport';
import { RECEIPT_BLOCK_SIZE } from '../../../src/shared/field/receipt-book';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { promiseWithinPolicy } from '../../torture/promise-plan';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';

/**
 * Cash receipts on PostgreSQL (docs/field-collection.md): a collector issues one offline, it
 * reaches the server exactly once as a payment pending deposit that counts for the promise, the
 * lead reconciles cash against deposits per collector, day and currency.
 */
let server: TestServer;
let ws: Workstation;
let cleanup: () => void;
let online = true;
let lead: string;
const offlineAware: FetchLike = (url, init) => (online ? fetch(url, init) : Promise.reject(new TypeError('fetch failed')));

async function settle(w: Workstation): Promise<void> {
  // the refill of receipt numbers runs in the background right after a sync
  for (let i = 0; i < 100; i++) {
    await w.handlers.syncNow(undefined);
    const h = await w.handlers.getHandover(undefined);
    if (h.numbersLeft > 0 && h.pendingMutations === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('workstation did not settle');
}

beforeAll(async () => {
  server = await startTestServer({ backend: 'pg', seed: { accounts: 40 } });
  ({ ws, cleanup } = await openWorkstation(server.url, undefined, { fetch: offlineAware, tickMs: 3_600_000 }));
  await ws.handlers.login({ username: 'agente1', password: 'agente123', serverUrl: server.url });
  await settle(ws);
  lead = (await login(server, 'lider', 'lider123')).token;
});
afterAll(async () => {
  await ws?.close();
  cleanup?.();
  await server?.close();
});

async function accountsOf(username: string) {
  return server.db.query<{ id: string; currency: string; balance: number }>(
    `SELECT a.id, a.currency, a.balance_minor::float8 AS balance FROM accounts a JOIN users u ON u.id = a.assigned_agent_id
     WHERE u.username = $1 AND a.balance_minor > 200000 ORDER BY a.id`,
    [username],
  );
}

describe('cash receipts', () => {
  it('the first sync hands the device two blocks of numbers', async () => {
    const h = await ws.handlers.getHandover(undefined);
    expect(h.numbersLeft).toBe(2 * RECEIPT_BLOCK_SIZE);
  });

  it('a receipt issued offline reaches the server once, as a payment that pays the promise', async () => {
    const [account] = await accountsOf('agente1');
    const plan = promiseWithinPolicy(account!.balance);
    await ws.handlers.logOutcome({
      accountId: account!.id,
      channel: 'call',
      direction: 'inbound',
      disposition: 'promise_to_pay',
      promise: plan,
      contactPointId: null,
      note: null,
      callActivityId: null,
      callbackAt: null,
    });
    await settle(ws);
    const due = plan.installments[0]!.amountMinor;

    online = false;
    const receipt = await ws.handlers.issueReceipt({ accountId: account!.id, method: 'cash', amountMinor: due });
    expect(receipt).toMatchObject({ number: expect.any(Number), unsynced: true, currency: account!.currency });
    expect(receipt.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    const offline = await ws.handlers.getHandover(undefined);
    expect(offline.pendingReceipts).toBe(1);
    expect(offline.cash).toEqual([{ currency: account!.currency, amountMinor: due, receipts: 1 }]);
    const pdf = await ws.handlers.receiptPdf({ receiptId: receipt.id, lang: 'es' });
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.fileName).toBe(`recibo-${String(receipt.number).padStart(8, '0')}.pdf`);

    online = true;
    await settle(ws);
    const rows = await server.db.query<{ codeValid: boolean; via: string; reference: string; amount: number }>(
      `SELECT r.code_valid AS "codeValid", p.recorded_via AS via, p.reference, p.amount_minor::float8 AS amount
       FROM cash_receipts r JOIN payments p ON p.id = r.payment_id WHERE r.id = $1`,
      [receipt.id],
    );
    expect(rows).toEqual([{ codeValid: true, via: 'sync', reference: `RC-${receipt.number}`, amount: due }]);
    const [installment] = await server.db.query<{ paid: number; status: string }>(
      `SELECT i.paid_minor::float8 AS paid, i.status FROM promise_installments i JOIN promises p ON p.id = i.promise_id
       WHERE p.account_id = $1 AND i.seq = 1`,
      [account!.id],
    );
    // pending deposit or not, the cash counts for the promise at once (FIFO over its installments)
    expect(installment).toEqual({ paid: due, status: 'kept' });
    expect((await ws.handlers.listReceipts({ accountId: account!.id }))[0]!.unsynced).toBe(false);

    // the same mutation sent again (a lost answer, a replay under a new id): no second payment
    const agent = (await login(server, 'agente1', 'agente123')).token;
    const clientId = (await ws.handlers.getSession(undefined))!.clientId;
    const [sc] = await server.db.query<{ last: number }>('SELECT last_mutation_id::int AS last FROM sync_clients WHERE client_id = $1', [
      clientId,
    ]);
    const [block] = await server.db.query<{ id: string }>(
      'SELECT id FROM receipt_blocks WHERE client_id = $1 AND $2 BETWEEN first_no AND last_no',
      [clientId, receipt.number],
    );
    const args = {
      id: receipt.id,
      number: receipt.number,
      blockId: block!.id,
      accountId: account!.id,
      method: 'cash',
      amountMinor: due,
      currency: receipt.currency,
      issuedAt: receipt.issuedAt,
      day: receipt.day,
      code: receipt.code,
    };
    const replay = await call(server, 'POST', '/api/v1/sync/push', {
      token: agent,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          { id: sc!.last, name: 'receipt.issue', args, clientTime: receipt.issuedAt },
          { id: sc!.last + 1, name: 'receipt.issue', args, clientTime: receipt.issuedAt },
        ],
      },
    });
    expect(replay.status).toBe(200);
    expect(replay.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'applied']);
    const [n] = await server.db.query<{ receipts: number; payments: number }>(
      `SELECT (SELECT count(*)::int FROM cash_receipts WHERE id = $1) AS receipts,
              (SELECT count(*)::int FROM payments WHERE reference = $2) AS payments`,
      [receipt.id, `RC-${receipt.number}`],
    );
    expect(n).toEqual({ receipts: 1, payments: 1 });

    // the paper receipt checked at the office: the printed code is recomputed from the figures
    const check = (code: string, token = lead) =>
      call(server, 'GET', `/api/v1/field/receipts/${receipt.number}/check?code=${code}`, { token });
    const good = await check(receipt.code);
    expect(good.body).toMatchObject({ valid: true, receipt: { number: receipt.number, amountMinor: due } });
    const forged = receipt.code.startsWith('A') ? `B${receipt.code.slice(1)}` : `A${receipt.code.slice(1)}`;
    expect((await check(forged)).body.valid).toBe(false);
    expect((await check('nope')).status).toBe(400);
    expect((await check(receipt.code, agent)).status).toBe(403);
  });

  it('a forged code is kept but marked invalid; a number outside the device blocks is refused', async () => {
    const agent = (await login(server, 'agente1', 'agente123')).token;
    const clientId = (await ws.handlers.getSession(undefined))!.clientId;
    const [account] = await accountsOf('agente1');
    const [sc] = await server.db.query<{ last: number }>('SELECT last_mutation_id::int AS last FROM sync_clients WHERE client_id = $1', [
      clientId,
    ]);
    const [block] = await server.db.query<{ id: string; last: number }>(
      'SELECT id, last_no::int AS last FROM receipt_blocks WHERE client_id = $1 ORDER BY first_no DESC LIMIT 1',
      [clientId],
    );
    const base = {
      blockId: block!.id,
      accountId: account!.id,
      method: 'cash',
      amountMinor: 1000,
      currency: account!.currency,
      issuedAt: new Date().toISOString(),
      day: new Date().toISOString().slice(0, 10),
      code: 'AAAAA-AAAAA',
    };
    const r = await call(server, 'POST', '/api/v1/sync/push', {
      token: agent,
      body: {
        protocolVersion: PROTOCOL_VERSION,
        clientId,
        mutations: [
          {
            id: sc!.last + 1,
            name: 'receipt.issue',
            args: { ...base, id: crypto.randomUUID(), number: block!.last },
            clientTime: base.issuedAt,
          },
          {
            id: sc!.last + 2,
            name: 'receipt.issue',
            args: { ...base, id: crypto.randomUUID(), number: block!.last + 1 },
            clientTime: base.issuedAt,
          },
        ],
      },
    });
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'rejected']);
    expect(r.body.results[1].error.code).toBe('receipt_number_invalid');
    const [kept] = await server.db.query<{ codeValid: boolean }>('SELECT code_valid AS "codeValid" FROM cash_receipts WHERE number = $1', [
      block!.last,
    ]);
    expect(kept!.codeValid).toBe(false);
  });
});

describe('reconciliation', () => {
  it('cash by collector, day and currency against deposits, with hand-computed differences', async () => {
    // two accounts of agente2 in two currencies (the demo portfolio spans countries)
    const mine = await accountsOf('agente2');
    const byCurrency = new Map(mine.map((a) => [a.currency, a]));
    if (byCurrency.size < 2) {
      // give one account another currency before the workstation pulls it (the seed decides)
      const other = mine[0]!.currency === 'MXN' ? 'COP' : 'MXN';
      await server.db.query('UPDATE accounts SET currency = $2 WHERE id = $1', [mine[1]!.id, other]);
      byCurrency.set(other, { ...mine[1]!, currency: other });
    }
    const [a, b] = [...byCurrency.values()];
    const w2 = await openWorkstation(server.url, undefined, { tickMs: 3_600_000 });
    try {
      await w2.ws.handlers.login({ username: 'agente2', password: 'agente123', serverUrl: server.url });
      await settle(w2.ws);
      const r1 = await w2.ws.handlers.issueReceipt({ accountId: a!.id, method: 'cash', amountMinor: 30000 });
      await w2.ws.handlers.issueReceipt({ accountId: a!.id, method: 'cash', amountMinor: 12000 });
      await w2.ws.handlers.issueReceipt({ accountId: a!.id, method: 'transfer', amountMinor: 5000, transferReference: 'TRX-1' });
      const voided = await w2.ws.handlers.issueReceipt({ accountId: a!.id, method: 'cash', amountMinor: 99000 });
      await w2.ws.handlers.voidReceipt({ receiptId: voided.id, reason: 'monto mal escrito' });
      await w2.ws.handlers.issueReceipt({ accountId: b!.id, method: 'cash', amountMinor: 70000 });
      await settle(w2.ws);
      const collectorId = (await w2.ws.handlers.getSession(undefined))!.user.id;
      const day = r1.day;
      // deposits: 40,000 of the first currency (2,000 short), 80,000 of the second (10,000 over)
      for (const [currency, amountMinor] of [
        [a!.currency, 25000],
        [a!.currency, 15000],
        [b!.currency, 80000],
      ] as const) {
        const d = await call(server, 'POST', '/api/v1/field/deposits', {
          token: lead,
          body: { collectorId, day, currency, amountMinor, reference: null },
        });
        expect(d.status).toBe(200);
      }
      const rec = await call(server, 'GET', `/api/v1/field/reconciliation?from=${day}&to=${day}&collectorId=${collectorId}`, {
        token: lead,
      });
      expect(rec.status).toBe(200);
      const rows = rec.body.rows.filter((r: { day: string }) => r.day === day);
      const of = (c: string) => rows.find((r: { currency: string }) => r.currency === c);
      expect(of(a!.currency)).toMatchObject({
        receipts: 3,
        cashMinor: 42000,
        transferMinor: 5000,
        depositedMinor: 40000,
        differenceMinor: 2000,
      });
      expect(of(b!.currency)).toMatchObject({
        receipts: 1,
        cashMinor: 70000,
        transferMinor: 0,
        depositedMinor: 80000,
        differenceMinor: -10000,
      });
      const listed = rec.body.receipts.find((r: { id: string }) => r.id === voided.id);
      expect(listed.voidedAt).not.toBeNull();
      // the voided receipt's payment is reversed; its number stays taken
      const [p] = await server.db.query<{ reversed: boolean }>(
        `SELECT p.reversed_at IS NOT NULL AS reversed FROM cash_receipts r JOIN payments p ON p.id = r.payment_id WHERE r.id = $1`,
        [voided.id],
      );
      expect(p!.reversed).toBe(true);

      // an agent cannot reconcile; a lead of another team sees nothing and cannot deposit for this collector
      const agent = (await login(server, 'agente2', 'agente123')).token;
      expect((await call(server, 'GET', `/api/v1/field/reconciliation?from=${day}&to=${day}`, { token: agent })).status).toBe(403);
      const other = await otherTeamLead();
      const seen = await call(server, 'GET', `/api/v1/field/reconciliation?from=${day}&to=${day}`, { token: other });
      expect(seen.body.rows).toEqual([]);
      const refused = await call(server, 'POST', '/api/v1/field/deposits', {
        token: other,
        body: { collectorId, day, currency: a!.currency, amountMinor: 1 },
      });
      expect(refused.status).toBe(404);
    } finally {
      await w2.ws.close();
      w2.cleanup();
    }
  });
});

/** A second team with its own lead, made through the admin API. */
async function otherTeamLead(): Promise<string> {
  const admin = (await login(server, 'admin', 'admin123')).token;
  const user = await call(server, 'POST', '/api/v1/users', {
    token: admin,
    body: { username: 'lider2', displayName: 'Líder Dos', password: 'lider2-clave-larga', role: 'team_lead' },
  });
  expect(user.status).toBe(201);
  const team = await call(server, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Medellín', leadId: user.body.id } });
  expect(team.status).toBe(201);
  return (await login(server, 'lider2', 'lider2-clave-larga')).token;
}
