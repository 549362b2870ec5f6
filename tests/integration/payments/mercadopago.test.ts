import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/domain/time';
import { GatewayError, mercadoPagoGateway } from '../../../src/server/payments/gateway/mercadopago';
import { paymentGatewayForOrg } from '../../../src/server/payments/gateway/org-config';
import type { PaymentGateway } from '../../../src/server/payments/gateway/types';
import { startFakeMercadoPago, type FakeMercadoPago } from '../../helpers/fake-mercadopago';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { SyncClient } from '../server/fixtures';

/**
 * Mercado Pago Checkout Pro against a local server speaking its API: the preference we create,
 * and its signed notifications recording payments through the ordinary payments path on PostgreSQL.
 */
const MP = { accessToken: 'APP_USR-6295877106812064-042916-5ab9c0a1', webhookSecret: 'mp-webhook-secret-0123456789abcdef' };
/** The server's own gateway (CreateServerOptions.paymentGateway): same Mercado Pago account, another webhook secret. */
const SERVER_SECRET = 'server-wide-webhook-secret-0123456789';
let serverGateway: PaymentGateway;

let s: TestServer;
let mp: FakeMercadoPago;
let gateway: PaymentGateway;
let orgId: string;
let orgCode: string;
let admin: string;
let agent: { token: string; user: { id: string } };

const today = () => new Date().toISOString().slice(0, 10);

/** Each test's own account: untouched by the others (the demo seed is Colombian, in COP). */
const used = new Set<string>();
async function account(currency: string, opts: { agent?: boolean; minBalance?: number } = {}) {
  const [a] = await s.db.query<{ id: string; balance: number }>(
    `SELECT id, balance_minor::int AS balance FROM accounts
      WHERE ($1::uuid IS NULL OR assigned_agent_id = $1) AND currency = $2 AND balance_minor >= $3 AND status = 'active'
        AND NOT (id = ANY($4::uuid[])) AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.account_id = accounts.id)
      ORDER BY id LIMIT 1`,
    [opts.agent ? agent.user.id : null, currency, opts.minBalance ?? 500_000, [...used]],
  );
  if (!a) throw new Error(`no ${currency} account`);
  used.add(a.id);
  return a;
}

/** A seeded COP account turned into another currency (the demo seed is Colombian). */
async function accountIn(currency: 'CLP' | 'MXN') {
  const a = await account('COP');
  await s.db.query('UPDATE accounts SET currency = $2 WHERE id = $1', [a.id, currency]);
  return a;
}

async function checkout(accountId: string, amountMinor: number, currency: string, over: { orgId?: string; promiseId?: string } = {}) {
  const reference = `MP-${randomUUID()}`;
  const c = await gateway.createCheckout({
    orgId: over.orgId ?? orgId,
    accountId,
    promiseId: over.promiseId ?? null,
    reference,
    amountMinor,
    currency,
    description: 'Cuota 1 de 3 — acuerdo de pago',
    returnUrl: 'https://cobranza.example.com/p/abc/gracias',
  });
  return { reference, ...c };
}

const paymentsOf = (reference: string) =>
  s.db.query<{ amount: number; currency: string; via: string; by: string | null; reversedAt: Date | null; reversedVia: string | null }>(
    `SELECT amount_minor::int AS amount, currency, recorded_via AS via, recorded_by AS by, reversed_at AS "reversedAt",
            reversed_via AS "reversedVia" FROM payments WHERE reference = $1`,
    [reference],
  );
const balanceOf = async (id: string) =>
  (await s.db.query<{ b: number }>('SELECT balance_minor::int AS b FROM accounts WHERE id = $1', [id]))[0]!.b;
const traces = (reference: string) =>
  s.db.query<{ status: string; outcome: string; amount: number | null }>(
    'SELECT status, outcome, amount_minor::int AS amount FROM payment_notifications WHERE reference = $1 ORDER BY seq',
    [reference],
  );

beforeAll(async () => {
  mp = await startFakeMercadoPago(MP);
  serverGateway = mercadoPagoGateway({ accessToken: MP.accessToken, webhookSecret: SERVER_SECRET, baseUrl: mp.url });
  s = await startTestServer({ backend: 'pg', seed: { accounts: 24 }, server: { paymentGateway: serverGateway } });
  // the address Mercado Pago is given for notifications: here the test server itself
  process.env.PUBLIC_BASE_URL = s.url;
  orgId = s.seed!.orgId;
  orgCode = (await s.db.query<{ code: string }>('SELECT code FROM organizations WHERE id = $1', [orgId]))[0]!.code;
  admin = (await login(s, 'admin', 'admin123')).token;
  agent = await login(s, 'agente1', 'agente123');
  await configure();
  gateway = (await paymentGatewayForOrg(s.db, orgId))!;
}, 60_000);

async function configure() {
  const put = await call(s, 'PUT', '/api/v1/org/payments', {
    token: admin,
    body: { provider: 'mercadopago', accessToken: MP.accessToken, webhookSecret: MP.webhookSecret, baseUrl: mp.url },
  });
  expect(put.status).toBe(200);
}

afterAll(async () => {
  delete process.env.PUBLIC_BASE_URL;
  await s?.close();
  await mp?.close();
});

describe('Mercado Pago Checkout Pro', () => {
  it("serves an organisation without its own account with the server's gateway; its own account wins once set", async () => {
    await s.db.query('DELETE FROM org_payment_config WHERE org_id = $1', [orgId]);
    try {
      expect(await paymentGatewayForOrg(s.db, orgId, serverGateway)).toBe(serverGateway);
      const acc = await account('COP');
      const reference = `MP-${randomUUID()}`;
      const c = await serverGateway.createCheckout({
        orgId,
        accountId: acc.id,
        promiseId: null,
        reference,
        amountMinor: 40_000,
        currency: 'COP',
        description: 'Pago',
        returnUrl: 'https://cobranza.example.com/p/x',
      });
      const paid = mp.pay(c.gatewayRef);
      const url = `${s.url}/api/v1/webhooks/${orgCode}/mercadopago`;
      // the notification is checked with the server's secret, not the one the organisation will set
      expect((await mp.notify(paid.id, { url })).status).toBe(403);
      expect((await mp.notify(paid.id, { url, secret: SERVER_SECRET })).status).toBe(200);
      expect(await paymentsOf(reference)).toMatchObject([{ amount: 40_000, via: 'gateway' }]);
    } finally {
      await configure();
    }
    expect((await paymentGatewayForOrg(s.db, orgId, serverGateway))?.name).toBe('mercadopago');
    expect(await paymentGatewayForOrg(s.db, orgId, serverGateway)).not.toBe(serverGateway);
  });

  it('keeps the account write-only, for administrators, audited without its secrets', async () => {
    const view = await call(s, 'GET', '/api/v1/org/payments', { token: admin });
    expect(view.body).toEqual({
      provider: 'mercadopago',
      accessTokenSet: true,
      webhookSecretSet: true,
      baseUrl: mp.url,
      notificationUrl: `${s.url}/api/v1/webhooks/${orgCode}/mercadopago?source_news=webhooks`,
    });
    expect(JSON.stringify(view.body)).not.toContain(MP.webhookSecret);
    const lead = (await login(s, 'lider', 'lider123')).token;
    expect((await call(s, 'GET', '/api/v1/org/payments', { token: lead })).status).toBe(403);
    const bad = await call(s, 'PUT', '/api/v1/org/payments', {
      token: admin,
      body: { provider: 'mercadopago', accessToken: 'short', webhookSecret: null, baseUrl: null },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toContain('accessToken');
    const audit = await s.db.query<{ after: Record<string, unknown> }>(
      "SELECT after FROM org_audit WHERE org_id = $1 AND action = 'org.payment_gateway_set' ORDER BY seq",
      [orgId],
    );
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit.at(-1)!.after).toMatchObject({ accessTokenSet: true, webhookSecretSet: true });
    expect(JSON.stringify(audit)).not.toContain(MP.accessToken);
  });

  it('creates the preference Mercado Pago documents, the amount in major units of each currency', async () => {
    const cop = await account('COP');
    const before = mp.requests.length;
    const c = await checkout(cop.id, 150_000, 'COP');
    const req = mp.requests[before]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/checkout/preferences');
    expect(req.headers.authorization).toBe(`Bearer ${MP.accessToken}`);
    expect(req.headers['x-idempotency-key']).toBe(c.reference);
    expect(JSON.parse(req.body)).toEqual({
      items: [{ id: c.reference, title: 'Cuota 1 de 3 — acuerdo de pago', quantity: 1, currency_id: 'COP', unit_price: 150000 }],
      external_reference: c.reference,
      metadata: { org_id: orgId, account_id: cop.id, promise_id: null },
      back_urls: {
        success: 'https://cobranza.example.com/p/abc/gracias',
        pending: 'https://cobranza.example.com/p/abc/gracias',
        failure: 'https://cobranza.example.com/p/abc/gracias',
      },
      auto_return: 'approved',
      notification_url: `${s.url}/api/v1/webhooks/${orgCode}/mercadopago?source_news=webhooks`,
    });
    const pref = mp.preferences.get(c.gatewayRef)!;
    expect(c.url).toBe(pref.init_point);

    // CLP is paid without decimals, MXN with two: the minor units become Mercado Pago's decimal amount
    await checkout(cop.id, 15_000, 'CLP');
    expect(JSON.parse(mp.requests.at(-1)!.body).items[0]).toMatchObject({ currency_id: 'CLP', unit_price: 15000 });
    await checkout(cop.id, 150_050, 'MXN');
    expect(JSON.parse(mp.requests.at(-1)!.body).items[0]).toMatchObject({ currency_id: 'MXN', unit_price: 1500.5 });

    const wrong = mercadoPagoGateway({ accessToken: 'APP_USR-not-the-token', baseUrl: mp.url });
    const err = await wrong
      .createCheckout({
        ...pref,
        orgId,
        accountId: cop.id,
        promiseId: null,
        reference: 'x',
        amountMinor: 1,
        currency: 'COP',
        description: 'x',
        returnUrl: 'https://x.example',
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 401, transient: false });
  });

  it('records one payment for a notification delivered three times, allocated to the promise and pulled by the agent', async () => {
    const acc = await account('COP', { agent: true, minBalance: 2_000_000 });
    const promiseId = randomUUID();
    const I = Math.ceil((acc.balance * 0.05) / 400) * 400;
    const sync = new SyncClient(s, agent.token);
    const pushed = await sync.push(
      sync.make([
        'promise.create',
        {
          id: promiseId,
          accountId: acc.id,
          channel: 'call',
          createdAt: new Date(Date.now() - 60_000).toISOString(),
          installments: [
            { dueDate: addDays(today(), 5), amountMinor: I },
            { dueDate: addDays(today(), 20), amountMinor: I },
          ],
        },
      ]),
    );
    expect(pushed.body.results[0].status).toBe('applied');
    const head = (await sync.pull(null)).body.cursor;

    const c = await checkout(acc.id, I, 'COP', { promiseId });
    const paid = mp.pay(c.gatewayRef);
    const answers = [await mp.notify(paid.id), ...(await Promise.all([mp.notify(paid.id), mp.notify(paid.id)]))];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);

    expect(await paymentsOf(c.reference)).toEqual([
      { amount: I, currency: 'COP', via: 'gateway', by: null, reversedAt: null, reversedVia: null },
    ]);
    expect(await balanceOf(acc.id)).toBe(acc.balance - I);
    const inst = await s.db.query<{ seq: number; paid: number; status: string }>(
      'SELECT seq, paid_minor::int AS paid, status FROM promise_installments WHERE promise_id = $1 ORDER BY seq',
      [promiseId],
    );
    expect(inst).toEqual([
      { seq: 1, paid: I, status: 'kept' },
      { seq: 2, paid: 0, status: 'pending' },
    ]);
    expect((await traces(c.reference)).map((t) => t.outcome).sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
    // the account's trail names the gateway as its author (no user)
    const trail = await call(s, 'GET', `/api/v1/accounts/${acc.id}/trail`, { token: admin });
    expect(trail.status).toBe(200);
    expect(trail.body.payments.find((p: { reference: string }) => p.reference === c.reference).recordedBy).toEqual({
      userId: null,
      username: null,
      via: 'gateway',
    });
    // the agent's workstation gets it in its next pull, like any payment
    const pulled = await sync.pull(head);
    expect(pulled.body.patch.payments.map((p: { reference: string }) => p.reference)).toContain(c.reference);
    expect(pulled.body.patch.promises.find((p: { id: string }) => p.id === promiseId)).toBeTruthy();

    // a refund reverses it through the reversal path, once however often it is told
    mp.setStatus(paid.id, 'refunded');
    expect((await mp.notify(paid.id)).status).toBe(200);
    expect((await mp.notify(paid.id)).status).toBe(200);
    const [rev] = await paymentsOf(c.reference);
    expect(rev).toMatchObject({ via: 'gateway', reversedVia: 'gateway' });
    expect(rev!.reversedAt).not.toBeNull();
    expect(await balanceOf(acc.id)).toBe(acc.balance);
    const after = await s.db.query<{ paid: number }>(
      'SELECT paid_minor::int AS paid FROM promise_installments WHERE promise_id = $1 AND seq = 1',
      [promiseId],
    );
    expect(after[0]!.paid).toBe(0);
    expect((await traces(c.reference)).slice(-2).map((t) => t.outcome)).toEqual(['reversed', 'duplicate']);
  });

  it('refuses forged notifications and changes nothing', async () => {
    const acc = await account('COP');
    const c = await checkout(acc.id, 80_000, 'COP');
    const paid = mp.pay(c.gatewayRef);
    const reads = () => mp.requests.filter((r) => r.path.startsWith('/v1/payments/')).length;
    const readsBefore = reads();
    const ts = String(Math.floor(Date.now() / 1000));
    const forged = [
      await mp.notify(paid.id, { secret: 'not-the-secret-0123456789abcdef' }),
      await mp.notify(paid.id, { signature: null }),
      await mp.notify(paid.id, { signature: 'v1=deadbeef' }),
      // signed for this payment, sent naming another one
      await mp.notify(paid.id, { urlDataId: String(paid.id + 1) }),
    ];
    // a valid signature for one ts, presented with another
    const v1 = createHmac('sha256', MP.webhookSecret).update(`id:${paid.id};request-id:r-1;ts:${ts};`).digest('hex');
    const replayed = await fetch(`${s.url}/api/v1/webhooks/${orgCode}/mercadopago?data.id=${paid.id}&type=payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-1', 'x-signature': `ts=${Number(ts) + 1},v1=${v1}` },
      body: JSON.stringify({ type: 'payment', data: { id: String(paid.id) } }),
    });
    expect([...forged.map((f) => f.status), replayed.status]).toEqual([403, 403, 403, 403, 403]);
    expect(JSON.parse(forged[0]!.body).error.code).toBe('webhook_signature_invalid');
    expect(await paymentsOf(c.reference)).toEqual([]);
    expect(await balanceOf(acc.id)).toBe(acc.balance);
    expect(await traces(c.reference)).toEqual([]);
    // refused before Mercado Pago was even asked about the payment
    expect(reads()).toBe(readsBefore);
    // an organisation that does not exist (or has no account) is no webhook at all
    expect((await mp.notify(paid.id, { url: `${s.url}/api/v1/webhooks/nadie/mercadopago` })).status).toBe(404);
  });

  it('records nothing for a pending or rejected payment, but writes it down; the approval later records it', async () => {
    const acc = await account('COP');
    const rejected = await checkout(acc.id, 50_000, 'COP');
    const r = mp.pay(rejected.gatewayRef, { status: 'rejected' });
    expect((await mp.notify(r.id)).status).toBe(200);
    expect(await paymentsOf(rejected.reference)).toEqual([]);
    expect(await traces(rejected.reference)).toEqual([{ status: 'rejected', outcome: 'ignored', amount: null }]);

    const pending = await checkout(acc.id, 60_000, 'COP');
    const p = mp.pay(pending.gatewayRef, { status: 'pending' });
    expect((await mp.notify(p.id)).status).toBe(200);
    expect(await paymentsOf(pending.reference)).toEqual([]);
    mp.setStatus(p.id, 'approved', 'accredited');
    expect((await mp.notify(p.id)).status).toBe(200);
    expect(await paymentsOf(pending.reference)).toMatchObject([{ amount: 60_000, via: 'gateway' }]);
    expect((await traces(pending.reference)).map((t) => `${t.status}:${t.outcome}`)).toEqual(['pending:ignored', 'approved:recorded']);
    expect(await balanceOf(acc.id)).toBe(acc.balance - 60_000);
  });

  it('reads the amount back in the account currency minor units: CLP without decimals, MXN with two', async () => {
    const clp = await accountIn('CLP');
    const cc = await checkout(clp.id, 15_000, 'CLP');
    const pc = mp.pay(cc.gatewayRef);
    expect(pc.transaction_amount).toBe(15000);
    expect((await mp.notify(pc.id)).status).toBe(200);
    expect(await paymentsOf(cc.reference)).toMatchObject([{ amount: 15_000, currency: 'CLP' }]);

    const mxn = await accountIn('MXN');
    const cm = await checkout(mxn.id, 150_050, 'MXN');
    const pm = mp.pay(cm.gatewayRef);
    expect(pm.transaction_amount).toBe(1500.5);
    expect((await mp.notify(pm.id)).status).toBe(200);
    expect(await paymentsOf(cm.reference)).toMatchObject([{ amount: 150_050, currency: 'MXN' }]);
    expect(await balanceOf(mxn.id)).toBe(mxn.balance - 150_050);
  });

  it('never records a payment in another currency than the account, nor for another organisation', async () => {
    const acc = await account('COP');
    const wrongCurrency = await checkout(acc.id, 15_000, 'CLP');
    const p1 = mp.pay(wrongCurrency.gatewayRef);
    expect((await mp.notify(p1.id)).status).toBe(200);
    expect(await paymentsOf(wrongCurrency.reference)).toEqual([]);
    expect((await traces(wrongCurrency.reference))[0]).toMatchObject({ outcome: 'refused' });

    const otherOrg = await checkout(acc.id, 20_000, 'COP', { orgId: randomUUID() });
    const p2 = mp.pay(otherOrg.gatewayRef);
    expect((await mp.notify(p2.id)).status).toBe(200);
    expect(await paymentsOf(otherOrg.reference)).toEqual([]);
    expect((await traces(otherOrg.reference))[0]).toMatchObject({ outcome: 'refused' });
    expect(await balanceOf(acc.id)).toBe(acc.balance);
  });
});
