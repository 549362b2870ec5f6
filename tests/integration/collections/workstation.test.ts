import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { QueueQuery, WorkstationError } from '../../../src/shared/api/contract';
import { addDays } from '../../../src/shared/domain/time';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from '../sync/helpers';
import { startFaultProxy } from '../../helpers/fault-proxy';

/** The agent's real workstation (better-sqlite3 store, sync engine) against the real server on PostgreSQL. */
let s: TestServer;
let ws: Workstation;
let cleanup: () => void;
let agentId: string;

const today = () => new Date().toISOString().slice(0, 10);

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  s = await startTestServer({ backend: 'pg', seed: { accounts: 60 } });
  agentId = s.seed!.users.agente1;
  // nothing sits above a broken promise in this test's queue: no callbacks due, no recent contacts
  await s.db.query('UPDATE accounts SET callback_at = NULL, last_contact_at = NULL WHERE assigned_agent_id = $1', [agentId]);
  ({ ws, cleanup } = await openWorkstation(s.url, undefined, { tickMs: 300 }));
  await ws.handlers.login({ username: 'agente1', password: 'agente123', serverUrl: s.url });
  await ws.handlers.syncNow(undefined);
}, 120_000);
afterAll(async () => {
  await ws?.close();
  cleanup?.();
  await s?.close();
});

async function pickAccount(minBalance: number, notFirst = false) {
  const page = await ws.handlers.listQueue(
    QueueQuery.parse({ sort: 'priority', dir: 'desc', status: 'active', offset: 0, limit: 200, contactableOnly: false }),
  );
  const row = page.rows.slice(notFirst ? 5 : 0).find((r) => r.currency === 'COP' && r.balanceMinor >= minBalance);
  if (!row) throw new Error('no suitable account');
  return row;
}

describe('collections on the workstation', () => {
  it('refuses an out-of-policy promise before queueing, naming the field (cached policy, same shared rule)', async () => {
    const acc = await pickAccount(1_000_000);
    await eventually(() =>
      ws.handlers.quoteNegotiation({
        accountId: acc.accountId,
        proposal: { kind: 'plan', installments: 3, downPaymentMinor: 0, monthlyInterestPct: null, startDate: today() },
      }),
    );
    const pending = (await ws.handlers.getSyncState(undefined)).pending;
    const err = await ws.handlers
      .logOutcome({
        accountId: acc.accountId,
        channel: 'call',
        disposition: 'promise_to_pay',
        contactPointId: null,
        note: null,
        callActivityId: null,
        callbackAt: null,
        direction: 'inbound', // at any hour: the policy is what is tested
        promise: { installments: [{ dueDate: addDays(today(), 120), amountMinor: acc.balanceMinor }] },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkstationError);
    expect(err).toMatchObject({ code: 'promise_policy', field: 'installments[0].dueDate' });
    expect((await ws.handlers.getSyncState(undefined)).pending).toBe(pending);
  });

  it('a promise broken by the server batch puts its account first in the queue after sync', async () => {
    const acc = await pickAccount(0, true);
    const id = randomUUID();
    const due = addDays(today(), -5);
    await s.db.query(
      `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at) VALUES ($1, $2, $3, 'call', $4, now() - interval '20 days')`,
      [id, acc.accountId, agentId, acc.currency],
    );
    await s.db.query(`INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor) VALUES ($1, 1, $2, 100000)`, [id, due]);
    const admin = await login(s, 'admin', 'admin123');
    const run = await call(s, 'POST', '/api/v1/collections/promise-status/run', { token: admin.token });
    expect(run.status).toBe(200);
    expect(run.body.broken).toBeGreaterThanOrEqual(1);
    await ws.handlers.syncNow(undefined);
    const page = await ws.handlers.listQueue(
      QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 5, contactableOnly: false }),
    );
    expect(page.rows[0]!.accountId).toBe(acc.accountId);
    expect(page.rows[0]!.reason.code).toBe('promise_broken');
    const detail = await ws.handlers.getAccount({ accountId: acc.accountId });
    expect(detail.promises.find((p) => p.id === id)!.status).toBe('broken');
  });

  it('a plan outside authority becomes an approval request; after the team lead approves, the agent pulls the series and is told', async () => {
    const acc = await pickAccount(2_000_000);
    const proposal = {
      kind: 'plan' as const,
      installments: 18,
      downPaymentMinor: Math.ceil(acc.balanceMinor * 0.06),
      monthlyInterestPct: null,
      startDate: today(),
    };
    const quote = await ws.handlers.quoteNegotiation({ accountId: acc.accountId, proposal });
    expect(quote.authority.decision).toBe('needs_approval');
    expect(quote.schedule.reduce((t, i) => t + i.amountMinor, 0)).toBe(quote.totalMinor);
    // no request without the agent's reasons: refused naming the field, nothing queued
    const bare = await ws.handlers.proposePlan({ accountId: acc.accountId, proposal }).catch((e: unknown) => e);
    expect(bare).toMatchObject({ code: 'validation', field: 'justification' });
    const blank = await ws.handlers.proposePlan({ accountId: acc.accountId, proposal, justification: '   ' }).catch((e: unknown) => e);
    expect(blank).toMatchObject({ code: 'validation', field: 'justification' });
    expect(await ws.handlers.listMyApprovals({ accountId: acc.accountId })).toEqual([]);
    const why = 'Perdió el empleo en octubre; puede pagar 18 cuotas desde enero.';
    const r = await ws.handlers.proposePlan({ accountId: acc.accountId, proposal, justification: why });
    expect(r.outcome).toBe('sent_for_approval');
    if (r.outcome !== 'sent_for_approval') return;
    expect((await ws.handlers.listMyApprovals({ accountId: acc.accountId }))[0]).toMatchObject({
      id: r.requestId,
      status: 'pending',
      local: true,
      justification: why,
    });
    await ws.handlers.syncNow(undefined);
    const lider = await login(s, 'lider', 'lider123');
    // the lead reads the agent's justification beside the terms
    const inbox = await call(s, 'GET', '/api/v1/approvals?status=pending', { token: lider.token });
    expect(inbox.status).toBe(200);
    const mineInInbox = (inbox.body as { approvals: Array<{ id: string; justification: string }> }).approvals.find(
      (a) => a.id === r.requestId,
    );
    expect(mineInInbox?.justification).toBe(why);
    const ok = await call(s, 'POST', `/api/v1/approvals/${r.requestId}/decide`, {
      token: lider.token,
      body: { decision: 'approve', reason: 'Ingresos verificados' },
    });
    expect(ok.status).toBe(200);
    await ws.handlers.syncNow(undefined);
    const mine = await eventually(async () => {
      const [a] = await ws.handlers.listMyApprovals({ accountId: acc.accountId });
      if (a?.status !== 'approved') throw new Error('not yet');
      return a;
    });
    expect(mine).toMatchObject({ unseen: true, local: false, decisionReason: 'Ingresos verificados' });
    const detail = await ws.handlers.getAccount({ accountId: acc.accountId });
    const series = detail.promises.find((p) => p.planId === r.requestId);
    expect(series?.installments.map((i) => i.amountMinor)).toEqual(quote.schedule.map((i) => i.amountMinor));
    await ws.handlers.markApprovalsSeen({ ids: [r.requestId] });
    expect((await ws.handlers.listMyApprovals({ accountId: acc.accountId }))[0]!.unseen).toBe(false);
  });

  it('a plan within authority is agreed at once as a promise series', async () => {
    const acc = await pickAccount(2_000_000);
    const r = await ws.handlers.proposePlan({
      accountId: acc.accountId,
      proposal: {
        kind: 'plan',
        installments: 4,
        downPaymentMinor: Math.ceil(acc.balanceMinor * 0.2),
        monthlyInterestPct: null,
        startDate: today(),
      },
    });
    expect(r.outcome).toBe('agreed');
    if (r.outcome !== 'agreed') return;
    const detail = await ws.handlers.getAccount({ accountId: acc.accountId });
    expect(detail.promises.find((p) => p.id === r.promiseId)?.installments.length).toBe(5);
    await ws.handlers.syncNow(undefined);
    expect((await ws.handlers.getSyncState(undefined)).rejected).toEqual([]);
  });

  it("the team lead's calls go to the server: pending requests online, a clear error when it cannot be reached", async () => {
    const proxy = await startFaultProxy({ target: s.url, seed: 1, mode: 'pass' });
    const lead = await openWorkstation(proxy.url);
    try {
      await lead.ws.handlers.login({ username: 'lider', password: 'lider123', serverUrl: proxy.url });
      const pending = await lead.ws.handlers.listApprovals({ status: 'pending' });
      expect(pending.every((a) => a.status === 'pending')).toBe(true);
      expect((await lead.ws.handlers.listMissedCallbacks(undefined)).length).toBeGreaterThanOrEqual(0);
      proxy.setMode('offline');
      const err = await lead.ws.handlers.listApprovals({ status: 'pending' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'server.unreachable' });
      const err2 = await lead.ws.handlers
        .decideApproval({ id: randomUUID(), decision: { decision: 'approve', reason: 'ok', counterOffer: null } })
        .catch((e: unknown) => e);
      expect(err2).toMatchObject({ code: 'server.unreachable' });
    } finally {
      await lead.ws.close();
      lead.cleanup();
      await proxy.close();
    }
  });

  // last: a due callback outranks everything else in the queue
  it('a callback raises its account to the top of the queue when it falls due (store timer), not before', async () => {
    const acc = await pickAccount(0, true);
    const at = new Date(Date.now() + 1500).toISOString();
    await ws.handlers.setCallback({ accountId: acc.accountId, callbackAt: at, note: 'llamar a las 3' });
    const before = await ws.handlers.listQueue(
      QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false }),
    );
    expect(before.rows[0]!.accountId).not.toBe(acc.accountId);
    const head = await eventually(async () => {
      const page = await ws.handlers.listQueue(
        QueueQuery.parse({ sort: 'priority', dir: 'desc', offset: 0, limit: 1, contactableOnly: false }),
      );
      if (page.rows[0]!.accountId !== acc.accountId) throw new Error('not yet');
      return page.rows[0]!;
    }, 10_000);
    expect(head.reason.code).toBe('callback_due');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(at));
  });
});
