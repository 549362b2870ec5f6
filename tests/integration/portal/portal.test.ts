import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverQuote } from '../../../src/server/collections/approvals';
import { lastFour } from '../../../src/server/portal/identity';
import { portalSecret, signLinkId } from '../../../src/server/portal/links';
import type { CheckoutRequest, PaymentGateway } from '../../../src/server/payments/gateway/types';
import { twilioSms } from '../../../src/server/messaging/providers/twilio';
import { startFakeTwilio, type FakeProvider } from '../../helpers/fake-providers';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';

/**
 * The debtor's self-service page on the real server over PostgreSQL: the link, the identity check,
 * a confirmed plan (the same series the agent's path quotes), a request beyond the debtor's
 * authority in the lead's inbox, the debtor's voice, the pay button, revocation.
 */
let s: TestServer;
let agent: { token: string; user: { id: string } };
let twilio: FakeProvider;
const TW = { accountSid: 'AC0000000000000000000000000000portal', authToken: 'twilio-token-portal-test' };
const checkouts: CheckoutRequest[] = [];
// a tiny in-test gateway: the real adapter (Mercado Pago) and its webhook are the gateway helper's
const gateway: PaymentGateway = {
  name: 'test-gateway',
  async createCheckout(req) {
    checkouts.push(req);
    return { url: `https://pay.gateway.example/checkout/${req.reference}`, gatewayRef: `g-${checkouts.length}` };
  },
};

interface Page {
  status: number;
  html: string;
  cookie: string | null;
  location: string | null;
}
async function get(path: string, cookie?: string | null): Promise<Page> {
  const r = await fetch(s.url + path, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: r.status, html: await r.text(), cookie: r.headers.get('set-cookie'), location: r.headers.get('location') };
}
async function post(path: string, form: Record<string, string>, cookie?: string | null): Promise<Page> {
  const r = await fetch(s.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  return { status: r.status, html: await r.text(), cookie: r.headers.get('set-cookie'), location: r.headers.get('location') };
}
const session = (p: Page) => p.cookie?.split(';')[0] ?? null;

/** An account of agente1's with no promise yet, of a debtor no other test used. */
const used: string[] = [];
async function soleAccount(skip: string[] = used) {
  const [a] = await s.db.query<{ id: string; debtorId: string; nationalId: string; name: string; balanceMinor: number; teamId: string }>(
    `SELECT a.id, a.debtor_id AS "debtorId", d.national_id AS "nationalId", d.name, a.balance_minor::float8 AS "balanceMinor", u.team_id AS "teamId"
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id JOIN users u ON u.id = a.assigned_agent_id
     WHERE a.assigned_agent_id = $1 AND a.status = 'active' AND a.balance_minor >= 500000 AND a.currency = 'COP'
       AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.account_id = a.id) AND NOT (a.debtor_id = ANY($2::uuid[]))
     ORDER BY a.id LIMIT 1`,
    [agent.user.id, skip],
  );
  if (!a) throw new Error('no suitable account');
  used.push(a.debtorId);
  return a;
}

async function open(debtorId: string) {
  const r = await call(s, 'POST', `/api/v1/debtors/${debtorId}/portal-link`, { token: agent.token });
  expect(r.status).toBe(200);
  const path = new URL(r.body.url as string).pathname;
  return { url: r.body.url as string, path };
}

const ddmm = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const todayIn = (tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());

describe('the self-service page (PostgreSQL)', () => {
  beforeAll(async () => {
    twilio = await startFakeTwilio(TW);
    // one-time codes go out through the real Twilio adapter, to its local fake
    const portalSms = twilioSms({ baseUrl: twilio.url, ...TW, from: '+15005550006' });
    s = await startTestServer({ backend: 'pg', seed: { accounts: 80 }, server: { paymentGateway: gateway, portalSms } });
    agent = await login(s, 'agente1', 'agente123');
  }, 120_000);
  afterAll(async () => {
    await s?.close();
    await twilio?.close();
  });

  it('asks who it is before showing anything, answers an unknown link as a wrong answer, refuses a tampered one', async () => {
    const acc = await soleAccount();
    const { path } = await open(acc.debtorId);
    const first = await get(path);
    expect(first.status).toBe(200);
    expect(first.html).toContain('Últimos 4 dígitos');
    expect(first.html).not.toContain(acc.name);
    // a link we signed but never stored, and a wrong answer to a real one: the same page
    const key = await portalSecret(s.db);
    const unknown = `/p/${signLinkId(key, '00000000-0000-4000-8000-000000000000')}`;
    const wrong = await post(`${path}/verify`, { answer: lastFour(acc.nationalId) === '0000' ? '1111' : '0000' });
    const nobody = await post(`${unknown}/verify`, { answer: '1234' });
    expect(wrong.status).toBe(nobody.status);
    // (field ids are numbered per render)
    const same = (p: Page, at: string) => p.html.replaceAll(at, '').replace(/f\d+-/g, 'f-');
    expect(same(wrong, path)).toBe(same(nobody, unknown));
    expect(wrong.html).toContain('Los datos no coinciden');
    const tampered = await get(path.slice(0, -2) + (path.endsWith('AA') ? 'BB' : 'AA'));
    expect(tampered.status).toBe(400);
    expect(tampered.html).toContain('no es válido');
    // English on request
    expect((await get(`${path}?lang=en`)).html).toContain('Last 4 digits');
  });

  it('a confirmed 3-instalment plan is the series the agent path quotes, channel self_service; then "ya completado" and Pagar', async () => {
    const acc = await soleAccount();
    const { path } = await open(acc.debtorId);
    const ok = await post(`${path}/verify`, { answer: lastFour(acc.nationalId) });
    expect(ok.status).toBe(200);
    expect(ok.html).toContain(acc.name);
    const cookie = session(ok);
    const [tz] = await s.db.query<{ tz: string }>('SELECT time_zone AS tz FROM debtors WHERE id = $1', [acc.debtorId]);
    const today = todayIn(tz!.tz);
    const down = String(Math.ceil((acc.balanceMinor * 0.1) / 100) * 100);
    const offer = { accountId: acc.id, kind: 'plan', installments: '3', down, date: ddmm(today) };
    const quote = await post(`${path}/quote`, offer, cookie);
    expect(quote.status).toBe(200);
    expect(quote.html).toContain('Confirmar el acuerdo');
    const done = await post(`${path}/confirm`, offer, cookie);
    expect(done.status, done.html).toBe(200);
    expect(done.html).toContain('Listo');

    const [p] = await s.db.query<{ id: string; channel: string; agentId: string; planId: string | null }>(
      `SELECT id, channel, agent_id AS "agentId", plan_id AS "planId" FROM promises WHERE account_id = $1`,
      [acc.id],
    );
    expect(p).toMatchObject({ channel: 'self_service', agentId: agent.user.id });
    expect(p!.planId).not.toBeNull();
    const series = await s.db.query<{ dueDate: string; amountMinor: number }>(
      `SELECT to_char(due_date, 'YYYY-MM-DD') AS "dueDate", amount_minor::float8 AS "amountMinor" FROM promise_installments WHERE promise_id = $1 ORDER BY seq`,
      [p!.id],
    );
    const agentQuote = await serverQuote(
      s.db,
      acc.id,
      { kind: 'plan', installments: 3, downPaymentMinor: Number(down), monthlyInterestPct: null, startDate: today },
      new Date(),
    );
    expect(series).toEqual(agentQuote.schedule);
    expect(series).toHaveLength(4); // the down payment, then the three instalments
    const uses = await s.db.query<{ disposition: string | null }>(
      `SELECT disposition FROM activities WHERE account_id = $1 AND channel = 'self_service' ORDER BY started_at, disposition NULLS FIRST`,
      [acc.id],
    );
    expect(uses.map((u) => u.disposition)).toEqual([null, 'promise_to_pay']);

    const again = await get(path, cookie);
    expect(again.html).toContain('ya está completado');
    expect(again.html).toContain('Pagar 1');
    const pay = await get(`${path}/pay/${p!.id}/1`, cookie);
    expect(pay.status).toBe(303);
    expect(pay.location).toMatch(/^https:\/\/pay\.gateway\.example\/checkout\//);
    expect(checkouts.at(-1)).toMatchObject({ accountId: acc.id, promiseId: p!.id, amountMinor: series[0]!.amountMinor, currency: 'COP' });
    // a second tap reuses the attempt: one reference, one checkout
    const payAgain = await get(`${path}/pay/${p!.id}/1`, cookie);
    expect(payAgain.location).toBe(pay.location);
    const attempts = await s.db.query('SELECT id FROM portal_payment_attempts WHERE promise_id = $1', [p!.id]);
    expect(attempts).toHaveLength(1);
    expect(checkouts.filter((c) => c.promiseId === p!.id)).toHaveLength(1);
  });

  it("terms beyond the debtor's authority go to the team lead's inbox with the debtor's message", async () => {
    const acc = await soleAccount();
    const { path } = await open(acc.debtorId);
    const cookie = session(await post(`${path}/verify`, { answer: lastFour(acc.nationalId) }));
    const [tz] = await s.db.query<{ tz: string }>('SELECT time_zone AS tz FROM debtors WHERE id = $1', [acc.debtorId]);
    const down = String(Math.ceil((acc.balanceMinor * 0.1) / 100) * 100);
    const offer = { accountId: acc.id, kind: 'plan', installments: '12', down, date: ddmm(todayIn(tz!.tz)) };
    expect((await post(`${path}/quote`, offer, cookie)).html).toContain('Enviar la solicitud');
    const sent = await post(`${path}/confirm`, { ...offer, request: '1', message: 'Perdí el empleo, puedo pagar en 12 cuotas' }, cookie);
    expect(sent.html).toContain('Recibimos su solicitud');
    const lead = await login(s, 'lider', 'lider123');
    const inbox = await call(s, 'GET', '/api/v1/approvals?status=pending', { token: lead.token });
    expect(inbox.status).toBe(200);
    const mine = (inbox.body.approvals as Array<{ accountId: string; justification: string }>).find((a) => a.accountId === acc.id);
    expect(mine?.justification).toContain('Perdí el empleo');
    expect(await s.db.query('SELECT 1 FROM promises WHERE account_id = $1', [acc.id])).toHaveLength(0);
  });

  it("records the debtor's preferences, refusal and dispute as the agent's paths do; a revoked link is a dead end", async () => {
    const acc = await soleAccount();
    const { path } = await open(acc.debtorId);
    const cookie = session(await post(`${path}/verify`, { answer: lastFour(acc.nationalId) }));
    expect((await post(`${path}/voice`, { kind: 'preferences', channel: 'whatsapp', from: '18:00', to: '20:00' }, cookie)).html).toContain(
      'Guardamos',
    );
    expect((await post(`${path}/voice`, { kind: 'refuse', channel: 'call' }, cookie)).status).toBe(200);
    const [d] = await s.db.query<{ prefs: { preferredChannel: string; windows: unknown[]; refusedChannels: string[] } }>(
      'SELECT contact_prefs AS prefs FROM debtors WHERE id = $1',
      [acc.debtorId],
    );
    expect(d!.prefs.preferredChannel).toBe('whatsapp');
    expect(d!.prefs.windows).toEqual([{ days: [1, 2, 3, 4, 5], from: '18:00', to: '20:00' }]);
    expect(d!.prefs.refusedChannels).toContain('call');
    const disputed = await post(`${path}/voice`, { kind: 'dispute', accountId: acc.id, reason: 'Ya pagué en agosto' }, cookie);
    expect(disputed.html).toContain('Registramos su disputa');
    const [a] = await s.db.query<{ status: string }>('SELECT status FROM accounts WHERE id = $1', [acc.id]);
    expect(a!.status).toBe('dispute');

    const revoke = await call(s, 'POST', `/api/v1/debtors/${acc.debtorId}/portal-link/revoke`, { token: agent.token });
    expect(revoke.body).toEqual({ revoked: 1 });
    const gone = await get(path, cookie);
    expect(gone.status).toBe(410);
    expect(gone.html).toContain('ya no está activo');
  });

  it('locks the identity check after 5 wrong answers, in the database', async () => {
    const acc = await soleAccount();
    const { path } = await open(acc.debtorId);
    const wrong = lastFour(acc.nationalId) === '0000' ? '1111' : '0000';
    for (let i = 0; i < 5; i++) await post(`${path}/verify`, { answer: wrong });
    const right = await post(`${path}/verify`, { answer: lastFour(acc.nationalId) });
    expect(right.status).toBe(429);
    expect(right.html).toContain('Demasiados intentos');
    expect(right.html).not.toContain(acc.name);
  });

  it('with identity = sms_code, texts a one-time code to the phone on file; only that code opens the page', async () => {
    const admin = (await login(s, 'admin', 'admin123')).token;
    const set = (identity: string) =>
      call(s, 'PUT', '/api/v1/org/portal', { token: admin, body: { baseUrl: null, identity, linkDays: 14 } });
    expect((await set('sms_code')).status).toBe(200);
    try {
      const acc = await soleAccount();
      const [phoneRow] = await s.db.query<{ value: string }>(
        `SELECT value FROM contact_points WHERE debtor_id = $1 AND kind = 'phone' AND NOT invalid ORDER BY verified DESC, created_at LIMIT 1`,
        [acc.debtorId],
      );
      const { path } = await open(acc.debtorId);
      expect((await get(path)).html).toContain('Enviarme el código');
      const before = twilio.requests.length;
      expect((await post(`${path}/code`, {})).html).toContain('enviamos un código');
      expect(twilio.requests.length).toBe(before + 1);
      const sent = new URLSearchParams(String(twilio.requests.at(-1)!.body));
      expect(sent.get('To')).toBe(phoneRow!.value);
      const code = /(\d{6})/.exec(sent.get('Body') ?? '')?.[1];
      expect(code).toBeTruthy();
      const wrong = await post(`${path}/verify`, { answer: code === '000000' ? '111111' : '000000' });
      expect(wrong.html).toContain('Los datos no coinciden');
      expect(wrong.html).not.toContain(acc.name);
      const ok = await post(`${path}/verify`, { answer: code! });
      expect(ok.html).toContain(acc.name);
      // used once: the same code does not open it again
      expect((await post(`${path}/verify`, { answer: code! })).html).toContain('Los datos no coinciden');
    } finally {
      await set('national_id_last4');
    }
  });
});
