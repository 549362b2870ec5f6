import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/shared/domain/time';
import { PROTOCOL_VERSION } from '../../../src/shared/sync/protocol';
import { addUser } from '../server/fixtures';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/** Collections core on the real server over real PostgreSQL and PGlite: payments feed, policy, approvals. */
let s: TestServer;
let lider: string;
let agent: { token: string; user: { id: string } };
let otherLead: string;

const today = () => new Date().toISOString().slice(0, 10);

async function push(token: string, clientId: string, mutations: Array<{ id: number; name: string; args: unknown }>) {
  const r = await call(s, 'POST', '/api/v1/sync/push', {
    token,
    body: {
      protocolVersion: PROTOCOL_VERSION,
      clientId,
      mutations: mutations.map((m) => ({ ...m, clientTime: new Date().toISOString() })),
    },
  });
  expect(r.status).toBe(200);
  return r.body as { results: Array<{ id: number; status: string; error?: { code: string; field?: string } }> };
}

async function accountOf(agentId: string, minBalance = 2_000_000) {
  const [a] = await s.db.query<{ id: string; externalRef: string; balanceMinor: number }>(
    `SELECT id, external_ref AS "externalRef", balance_minor AS "balanceMinor" FROM accounts
     WHERE assigned_agent_id = $1 AND currency = 'COP' AND balance_minor >= $2 AND status = 'active'
       AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.account_id = accounts.id) ORDER BY id LIMIT 1`,
    [agentId, minBalance],
  );
  if (!a) throw new Error('no suitable account');
  return a;
}

async function installments(promiseId: string) {
  return s.db.query<{ seq: number; paidMinor: number; status: string }>(
    'SELECT seq, paid_minor AS "paidMinor", status FROM promise_installments WHERE promise_id = $1 ORDER BY seq',
    [promiseId],
  );
}

describe.each(BACKENDS)('%s', (backend) => {
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 60 } });
    lider = (await login(s, 'lider', 'lider123')).token;
    agent = await login(s, 'agente1', 'agente123');
    await addUser(s.db, s.seed!.orgId, 'lider2', { teamName: 'Equipo Medellín', role: 'team_lead' });
    otherLead = (await login(s, 'lider2', 'clave123')).token;
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  describe('collections on the server', () => {
    it('serves the seeded policies', async () => {
      const r = await call(s, 'GET', '/api/v1/collections/policies', { token: agent.token });
      expect(r.status).toBe(200);
      expect(r.body.promisePolicies.length).toBeGreaterThan(0);
      expect(r.body.negotiationPolicy.rules.length).toBeGreaterThan(0);
    });

    it('refuses an out-of-policy promise with the rule id and field', async () => {
      const acc = await accountOf(agent.user.id);
      const res = await push(agent.token, randomUUID(), [
        {
          id: 1,
          name: 'promise.create',
          args: {
            id: randomUUID(),
            accountId: acc.id,
            channel: 'call',
            createdAt: new Date().toISOString(),
            installments: [{ dueDate: addDays(today(), 90), amountMinor: acc.balanceMinor }],
          },
        },
      ]);
      expect(res.results[0]!.status).toBe('rejected');
      expect(res.results[0]!.error!.code).toBe('promise_policy');
      expect(res.results[0]!.error!.field).toBe('installments[0].dueDate');
    });

    it('imports payments idempotently, allocates FIFO to the promise, and a reversal undoes it exactly', async () => {
      const acc = await accountOf(agent.user.id);
      const promiseId = randomUUID();
      const due1 = addDays(today(), 5);
      const due2 = addDays(today(), 20);
      // two installments of I, together above the policy's 5 % of the balance
      const I = Math.ceil((acc.balanceMinor * 0.05) / 400) * 400;
      const res = await push(agent.token, randomUUID(), [
        {
          id: 1,
          name: 'promise.create',
          args: {
            id: promiseId,
            accountId: acc.id,
            channel: 'call',
            createdAt: new Date(Date.now() - 60_000).toISOString(),
            installments: [
              { dueDate: due1, amountMinor: I },
              { dueDate: due2, amountMinor: I },
            ],
          },
        },
      ]);
      expect(res.results[0]!.status).toBe('applied');
      const ref = `PAY-${randomUUID().slice(0, 8)}`;
      const csv = `referencia,cuenta,monto,fecha\n${ref}-1,${acc.externalRef},${I * 1.5},${today()}\n${ref}-2,${acc.externalRef},${I / 4},${today()}\n${ref}-3,NO-EXISTE,5,${today()}\n`;
      const first = await call(s, 'POST', '/api/v1/imports/payments', { token: lider, body: csv, contentType: 'text/csv' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ created: 2, duplicates: 0 });
      expect(first.body.errors).toEqual([{ row: 4, field: 'cuenta', message: 'unknown account NO-EXISTE' }]);
      const again = await call(s, 'POST', '/api/v1/imports/payments', { token: lider, body: csv, contentType: 'text/csv' });
      expect(again.body).toMatchObject({ created: 0, duplicates: 2 });
      const rows = await s.db.query<{ n: number; sum: number }>(
        `SELECT count(*)::int AS n, sum(amount_minor)::bigint AS sum FROM payments WHERE reference LIKE $1`,
        [`${ref}%`],
      );
      expect(rows[0]).toEqual({ n: 2, sum: I * 1.75 });
      const [bal] = await s.db.query<{ b: number }>('SELECT balance_minor AS b FROM accounts WHERE id = $1', [acc.id]);
      expect(bal!.b).toBe(acc.balanceMinor - I * 1.75);
      expect(await installments(promiseId)).toEqual([
        { seq: 1, paidMinor: I, status: 'kept' },
        { seq: 2, paidMinor: I * 0.75, status: 'pending' },
      ]);
      const [{ v: vBefore }] = (await s.db.query<{ v: number }>('SELECT version AS v FROM promises WHERE id = $1', [promiseId])) as [
        { v: number },
      ];
      const rev = await call(s, 'POST', `/api/v1/payments/${encodeURIComponent(`${ref}-1`)}/reverse`, { token: lider, body: {} });
      expect(rev.status).toBe(200);
      expect(rev.body.changed).toBe(true);
      // FIFO again without the reversed payment: only I/4 is left, on the first installment
      expect(await installments(promiseId)).toEqual([
        { seq: 1, paidMinor: I / 4, status: 'pending' },
        { seq: 2, paidMinor: 0, status: 'pending' },
      ]);
      const [after] = await s.db.query<{ b: number; v: number }>(
        'SELECT a.balance_minor AS b, p.version AS v FROM accounts a JOIN promises p ON p.account_id = a.id WHERE p.id = $1',
        [promiseId],
      );
      expect(after!.b).toBe(acc.balanceMinor - I / 4);
      expect(after!.v).toBeGreaterThan(vBefore);
      const revAgain = await call(s, 'POST', `/api/v1/payments/${encodeURIComponent(`${ref}-1`)}/reverse`, { token: lider, body: {} });
      expect(revAgain.body.changed).toBe(false);
    });

    it('an over-payment takes the balance to zero, and its reversal puts back only what it took off', async () => {
      const acc = await accountOf(agent.user.id);
      const ref = `OVER-${randomUUID().slice(0, 8)}`;
      const pay = await call(s, 'POST', '/api/v1/imports/payments', {
        token: lider,
        body: `referencia,cuenta,monto,fecha\n${ref},${acc.externalRef},${acc.balanceMinor + 250_000},${today()}\n`,
        contentType: 'text/csv',
      });
      expect(pay.body).toMatchObject({ created: 1 });
      const balance = async () =>
        (await s.db.query<{ b: number }>('SELECT balance_minor AS b FROM accounts WHERE id = $1', [acc.id]))[0]!.b;
      expect(await balance()).toBe(0);
      const rev = await call(s, 'POST', `/api/v1/payments/${encodeURIComponent(ref)}/reverse`, { token: lider, body: {} });
      expect(rev.status).toBe(200);
      expect(rev.body.changed).toBe(true);
      expect(rev.body.payment).not.toHaveProperty('applied');
      expect(await balance()).toBe(acc.balanceMinor);
    });

    it('reversing one of two payments that together over-paid leaves the balance as if it never arrived', async () => {
      const acc = await accountOf(agent.user.id);
      const B = acc.balanceMinor;
      const tag = randomUUID().slice(0, 8);
      const first = Math.floor(B * 0.6);
      const second = Math.floor(B * 0.7); // together 130 % of the balance: the second over-pays
      const pay = await call(s, 'POST', '/api/v1/imports/payments', {
        token: lider,
        body: `referencia,cuenta,monto,fecha\nA-${tag},${acc.externalRef},${first},${today()}\nB-${tag},${acc.externalRef},${second},${today()}\n`,
        contentType: 'text/csv',
      });
      expect(pay.body).toMatchObject({ created: 2 });
      const balance = async () =>
        (await s.db.query<{ b: number }>('SELECT balance_minor AS b FROM accounts WHERE id = $1', [acc.id]))[0]!.b;
      expect(await balance()).toBe(0);
      // without the first payment, the second alone takes `second` off
      const rev = await call(s, 'POST', `/api/v1/payments/${encodeURIComponent(`A-${tag}`)}/reverse`, { token: lider, body: {} });
      expect(rev.body.changed).toBe(true);
      expect(await balance()).toBe(B - second);
      // and reversing the second too puts the whole balance back, no more
      await call(s, 'POST', `/api/v1/payments/${encodeURIComponent(`B-${tag}`)}/reverse`, { token: lider, body: {} });
      expect(await balance()).toBe(B);
    });

    it('agent outside authority → request → the lead of another team cannot decide it, the own lead approves → the agent pulls the series', async () => {
      const acc = await accountOf(agent.user.id);
      const clientId = randomUUID();
      const requestId = randomUUID();
      // 12 installments exceed the agent's 6 (demo policy, non-180+ buckets) or need approval by down payment
      const res = await push(agent.token, clientId, [
        {
          id: 1,
          name: 'approval.request',
          args: {
            id: requestId,
            accountId: acc.id,
            createdAt: new Date().toISOString(),
            proposal: {
              kind: 'plan',
              installments: 18,
              downPaymentMinor: Math.ceil(acc.balanceMinor * 0.06),
              monthlyInterestPct: null,
              startDate: today(),
            },
            justification: '  Redujeron su jornada; 18 cuotas caben en su ingreso.  ',
          },
        },
      ]);
      expect(res.results[0]).toMatchObject({ status: 'applied' });
      const pending = await call(s, 'GET', '/api/v1/approvals?status=pending', { token: lider });
      const mine = pending.body.approvals.find((a: { id: string }) => a.id === requestId);
      // the agent's reasons reach the lead's inbox (trimmed)
      expect(mine.justification).toBe('Redujeron su jornada; 18 cuotas caben en su ingreso.');
      expect(mine.quote.authority.decision).toBe('needs_approval');
      expect(mine.quote.schedule.length).toBe(19);
      const otherList = await call(s, 'GET', '/api/v1/approvals?status=pending', { token: otherLead });
      expect(otherList.body.approvals.map((a: { id: string }) => a.id)).not.toContain(requestId);
      const forbidden = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: otherLead,
        body: { decision: 'approve', reason: 'ok' },
      });
      expect(forbidden.status).toBe(404);
      const byAgent = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: agent.token,
        body: { decision: 'approve', reason: 'ok' },
      });
      expect(byAgent.status).toBe(403);
      const ok = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: lider,
        body: { decision: 'approve', reason: 'Cliente con ingresos estables' },
      });
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('approved');
      const twice = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: lider,
        body: { decision: 'reject', reason: 'no' },
      });
      expect(twice.status).toBe(409);
      const pulled = await call(s, 'POST', '/api/v1/sync/pull', {
        token: agent.token,
        body: { protocolVersion: PROTOCOL_VERSION, clientId, cursor: null },
      });
      const series = pulled.body.patch.promises.find((p: { planId: string | null }) => p.planId === requestId);
      expect(series.id).toBe(ok.body.promiseId);
      expect(series.installments.length).toBe(19);
      expect(series.installments.reduce((t: number, i: { amountMinor: number }) => t + i.amountMinor, 0)).toBe(acc.balanceMinor);
      const minePull = await call(s, 'GET', '/api/v1/approvals/mine?since=0', { token: agent.token });
      expect(minePull.body.approvals.find((a: { id: string }) => a.id === requestId).status).toBe('approved');
    });

    it('a counter-offer needs new terms, and the agent sees them', async () => {
      const acc = await accountOf(agent.user.id);
      const requestId = randomUUID();
      const proposal = { kind: 'settlement', discounts: { principalPct: 5, interestPct: 40, feesPct: 0 }, payDate: today() };
      const res = await push(agent.token, randomUUID(), [
        { id: 1, name: 'approval.request', args: { id: requestId, accountId: acc.id, createdAt: new Date().toISOString(), proposal } },
      ]);
      expect(res.results[0]!.status).toBe('applied');
      const bare = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: lider,
        body: { decision: 'counter', reason: 'menos descuento' },
      });
      expect(bare.status).toBe(400);
      expect(bare.body.error.field).toBe('counterOffer');
      const counter = { ...proposal, discounts: { principalPct: 0, interestPct: 30, feesPct: 0 } };
      const ok = await call(s, 'POST', `/api/v1/approvals/${requestId}/decide`, {
        token: lider,
        body: { decision: 'counter', reason: 'menos descuento', counterOffer: counter },
      });
      expect(ok.status).toBe(200);
      const mine = await call(s, 'GET', '/api/v1/approvals/mine?since=0', { token: agent.token });
      const r = mine.body.approvals.find((a: { id: string }) => a.id === requestId);
      expect(r).toMatchObject({ status: 'countered', counterOffer: counter, promiseId: null, decisionReason: 'menos descuento' });
      const [n] = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM promises WHERE plan_id = $1', [requestId]);
      expect(n!.n).toBe(0);
    });

    it('a request queued by an older workstation (no justification) still lands, marked as without one; an overlong one is refused naming the field', async () => {
      const acc = await accountOf(agent.user.id);
      const old = randomUUID();
      const proposal = { kind: 'settlement', discounts: { principalPct: 5, interestPct: 40, feesPct: 0 }, payDate: today() };
      const res = await push(agent.token, randomUUID(), [
        { id: 1, name: 'approval.request', args: { id: old, accountId: acc.id, createdAt: new Date().toISOString(), proposal } },
        {
          id: 2,
          name: 'approval.request',
          args: { id: randomUUID(), accountId: acc.id, createdAt: new Date().toISOString(), proposal, justification: 'x'.repeat(2001) },
        },
      ]);
      expect(res.results[0]!.status).toBe('applied');
      expect(res.results[1]!.status).toBe('rejected');
      expect(res.results[1]!.error?.field).toContain('justification');
      const pending = await call(s, 'GET', '/api/v1/approvals?status=pending', { token: lider });
      expect(pending.body.approvals.find((a: { id: string }) => a.id === old).justification).toBe('');
    });

    it('refuses a proposal outside the policy with the rule id', async () => {
      const acc = await accountOf(agent.user.id);
      const res = await push(agent.token, randomUUID(), [
        {
          id: 1,
          name: 'approval.request',
          args: {
            id: randomUUID(),
            accountId: acc.id,
            createdAt: new Date().toISOString(),
            proposal: { kind: 'plan', installments: 40, downPaymentMinor: 0, monthlyInterestPct: null, startDate: today() },
          },
        },
      ]);
      expect(res.results[0]!.status).toBe('rejected');
      expect(res.results[0]!.error!.code).toMatch(/^plan\./);
    });

    it('lists missed callbacks for the team lead', async () => {
      const acc = await accountOf(agent.user.id, 0);
      const at = new Date(Date.now() - 30 * 60_000).toISOString();
      await s.db.query('UPDATE accounts SET callback_at = $2, callback_note = $3 WHERE id = $1', [acc.id, at, 'llamar tarde']);
      const r = await call(s, 'GET', '/api/v1/collections/missed-callbacks', { token: lider });
      expect(r.status).toBe(200);
      expect(r.body.callbacks.map((c: { accountId: string }) => c.accountId)).toContain(acc.id);
      const other = await call(s, 'GET', '/api/v1/collections/missed-callbacks', { token: otherLead });
      expect(other.body.callbacks.map((c: { accountId: string }) => c.accountId)).not.toContain(acc.id);
      // an attempt after the callback time means it was not missed
      await push(agent.token, randomUUID(), [
        {
          id: 1,
          name: 'activity.log',
          args: {
            id: randomUUID(),
            accountId: acc.id,
            channel: 'call',
            disposition: 'no_answer',
            startedAt: new Date().toISOString(),
          },
        },
      ]);
      const after = await call(s, 'GET', '/api/v1/collections/missed-callbacks', { token: lider });
      expect(after.body.callbacks.map((c: { accountId: string }) => c.accountId)).not.toContain(acc.id);
    });
  });
});
