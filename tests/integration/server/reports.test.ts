import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityReport, contactRate, keptRate, type AgentActivity } from '../../../src/shared/reports/activity';
import { localDate, addDays } from '../../../src/shared/domain/time';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, addUser, inDays, SyncClient } from './fixtures';

const TZ = 'America/Bogota'; // UTC-5 all year

describe.each(BACKENDS)('activity report on %s', (backend) => {
  let s: TestServer;
  let lead: string;
  let agent: SyncClient;
  let account: { id: string; currency: string; balanceMinor: number };
  const today = () => localDate(new Date(), TZ);

  const report = async (token: string, query: string) => {
    const r = await call(s, 'GET', `/api/v1/reports/activity?${query}`, { token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return ActivityReport.parse(r.body);
  };
  const row = (rep: ActivityReport, username: string): AgentActivity => {
    const r = rep.agents.find((a) => a.username === username);
    if (!r) throw new Error(`${username} not in the report`);
    return r;
  };
  const attempt = (startedAt: string, disposition: string, channel = 'call') =>
    ['activity.log', { id: randomUUID(), accountId: account.id, channel, disposition, startedAt }] as const;

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 30 } });
    await s.db.query('UPDATE organizations SET time_zone = $1', [TZ]);
    lead = (await login(s, 'lider', 'lider123')).token;
    agent = await SyncClient.login(s, 'agente1', 'agente123');
    const [first] = await accountsOf(s.db, s.seed!.users.agente1);
    [account] = (await s.db.query<{ id: string; currency: string; balanceMinor: number }>(
      'SELECT id, currency, balance_minor AS "balanceMinor" FROM accounts WHERE id = $1',
      [first!.id],
    )) as [typeof account];

    const now = new Date().toISOString();
    const res = await agent.push(
      agent.make(
        attempt(now, 'no_answer'),
        attempt(now, 'rpc'),
        attempt(now, 'promise_to_pay'),
        attempt(now, 'no_answer', 'visit'),
        attempt(new Date(Date.now() - 40 * 86_400_000).toISOString(), 'rpc'),
        [
          'promise.create',
          {
            id: randomUUID(),
            accountId: account.id,
            channel: 'call',
            createdAt: now,
            installments: [{ dueDate: inDays(7), amountMinor: account.balanceMinor }],
          },
        ],
        // the edges of 10 January 2026 in Bogotá: 05:00Z is local midnight
        attempt('2026-01-10T04:59:59.000Z', 'no_answer'),
        attempt('2026-01-10T05:00:00.000Z', 'no_answer'),
        attempt('2026-01-11T04:59:59.000Z', 'no_answer'),
        attempt('2026-01-11T05:00:00.000Z', 'no_answer'),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body.results.filter((r: { status: string }) => r.status !== 'applied')).toEqual([]);
    const pay = await call(s, 'POST', '/api/v1/payments', {
      token: lead,
      body: {
        accountId: account.id,
        reference: `R-${randomUUID()}`,
        amountMinor: 30_000,
        currency: account.currency,
        paidAt: new Date().toISOString(),
      },
    });
    expect(pay.status).toBe(201);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("counts today's attempts, contacts, promises and payments per agent, in the account's currency", async () => {
    const rep = await report(lead, 'period=today');
    expect(rep).toMatchObject({ from: today(), to: today(), timeZone: TZ });
    const a1 = row(rep, 'agente1');
    expect(a1).toMatchObject({
      calls: 3,
      visits: 1,
      messages: 0,
      rightPartyContacts: 2,
      promisesMade: 1,
      promisesPending: 1,
      violations: expect.any(Number),
    });
    expect(a1.promised).toEqual([{ currency: account.currency, amountMinor: account.balanceMinor }]);
    expect(a1.collected).toEqual([{ currency: account.currency, amountMinor: 30_000 }]);
    const [{ n }] = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE assigned_agent_id = $1', [
      s.seed!.users.agente1,
    ])) as [{ n: number }];
    expect(a1.assignedAccounts).toBe(n);
    expect(a1.assignedBalance.length).toBeGreaterThan(0);
    expect(a1.lastActivityAt).not.toBeNull();
    expect(contactRate(a1)).toBeCloseTo(2 / 4);
    expect(keptRate(a1)).toBeNull(); // nothing due yet
    expect(row(rep, 'agente2')).toMatchObject({ calls: 0, rightPartyContacts: 0, promisesMade: 0, collected: [], lastActivityAt: null });
  });

  it('the period is calendar days of the organisation: 30 days leaves out 40 days ago; explicit days include their local edges only', async () => {
    expect(row(await report(lead, 'period=30d'), 'agente1').calls).toBe(3);
    const wide = await report(lead, `from=${addDays(today(), -45)}&to=${today()}`);
    expect(row(wide, 'agente1')).toMatchObject({ calls: 4, rightPartyContacts: 3 });
    const day = await report(lead, 'from=2026-01-10&to=2026-01-10');
    expect(row(day, 'agente1').calls).toBe(2);
    expect(row(day, 'agente1').promisesMade).toBe(0);
    expect(row(await report(lead, 'from=2026-01-09&to=2026-01-11'), 'agente1').calls).toBe(4);
  });

  it('each caller sees only whom they may: the agent themselves, the lead their team, another lead not them, the admin everyone but admins', async () => {
    const own = await report(agent.token, 'period=today');
    expect(own.agents.map((a) => a.username)).toEqual(['agente1']);
    const team = (await report(lead, 'period=today')).agents.map((a) => a.username).sort();
    expect(team).toEqual(['agente1', 'agente2', 'agente3', 'lider']);
    await addUser(s.db, s.seed!.orgId, `lead-${backend}`, { teamName: 'Equipo Lima', role: 'team_lead', password: 'clave123' });
    const other = (await login(s, `lead-${backend}`, 'clave123')).token;
    expect((await report(other, 'period=today')).agents.map((a) => a.username)).toEqual([`lead-${backend}`]);
    const admin = (await login(s, 'admin', 'admin123')).token;
    const all = (await report(admin, 'period=today')).agents.map((a) => a.username);
    expect(all).toEqual(expect.arrayContaining(['agente1', 'agente2', 'agente3', 'lider', `lead-${backend}`]));
    expect(all).not.toContain('admin');
    expect((await call(s, 'GET', '/api/v1/reports/activity?period=today', {})).status).toBe(401);
  });

  it('bad periods are refused naming the field', async () => {
    const bad = async (query: string, field: string) => {
      const r = await call(s, 'GET', `/api/v1/reports/activity?${query}`, { token: lead });
      expect(r.status, query).toBe(400);
      expect(r.body.error.field, query).toBe(field);
    };
    await bad('from=2026-01-10', 'to');
    await bad('from=2026-01-10&to=2026-01-09', 'to');
    await bad('from=2026-01-01&to=2026-06-01', 'to');
    await bad('from=2026-13-01&to=2026-13-02', 'from');
    await bad('period=today&from=2026-01-01&to=2026-01-02', 'period');
    await bad('period=year', 'period');
  });
});
