import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

const PATH = '/api/v1/org/strategies';

describe.each(BACKENDS)('strategy administration and simulation on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  let agent: string;
  let lead: string;
  let smsId: string;
  let emailId: string;

  const strategy = (over: Record<string, unknown> = {}) => ({
    name: 'Temprana',
    scope: { dpdMin: -10, dpdMax: 90 },
    steps: [
      { key: 'pre5', anchor: 'due_date', day: -5, action: 'email', templateId: emailId },
      { key: 'pre1', anchor: 'due_date', day: -1, action: 'sms', templateId: smsId },
      { key: 'call3', anchor: 'due_date', day: 3, action: 'call_task' },
      { key: 'inst', anchor: 'installment', day: -1, action: 'sms', templateId: smsId, validDays: 0 },
    ],
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 120 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    agent = (await login(s, 'agente1', 'agente123')).token;
    lead = (await login(s, 'lider', 'lider123')).token;
    const templates = (await call(s, 'GET', '/api/v1/org/message-templates', { token: admin })).body as Array<{
      id: string;
      channel: string;
    }>;
    smsId = templates.find((t) => t.channel === 'sms')!.id;
    emailId = templates.find((t) => t.channel === 'email')!.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('only admins read and write strategies', async () => {
    expect((await call(s, 'GET', PATH, { token: agent })).status).toBe(403);
    expect((await call(s, 'GET', PATH, { token: lead })).status).toBe(403);
    expect((await call(s, 'POST', PATH, { token: agent, body: strategy() })).status).toBe(403);
  });

  it('refuses a bad strategy with a 400 naming the field, and a template of another channel', async () => {
    const noTemplate = await call(s, 'POST', PATH, {
      token: admin,
      body: strategy({ steps: [{ key: 'a', anchor: 'due_date', day: 1, action: 'sms' }] }),
    });
    expect(noTemplate.status).toBe(400);
    expect(noTemplate.body.error.field).toContain('templateId');
    const wrongChannel = await call(s, 'POST', PATH, {
      token: admin,
      body: strategy({ steps: [{ key: 'a', anchor: 'due_date', day: 1, action: 'sms', templateId: emailId }] }),
    });
    expect(wrongChannel.status).toBe(400);
    expect(wrongChannel.body.error.field).toBe('steps.0.templateId');
  });

  it('creates it switched off, refuses a second with the same name, switches it on', async () => {
    const created = await call(s, 'POST', PATH, { token: admin, body: strategy() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Temprana', active: false, revision: 1 });
    const twin = await call(s, 'POST', PATH, { token: admin, body: strategy() });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe('strategy_name_taken');
    const on = await call(s, 'PUT', `${PATH}/${created.body.id}`, { token: admin, body: strategy({ active: true }) });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ active: true, revision: 2 });
    const list = await call(s, 'GET', PATH, { token: admin });
    expect(list.body.strategies.map((x: { name: string }) => x.name)).toEqual(['Temprana']);
    const missing = await call(s, 'PUT', `${PATH}/00000000-0000-4000-8000-000000000000`, { token: admin, body: strategy() });
    expect(missing.status).toBe(404);
  });

  it("simulates the next 30 days against today's portfolio: by day and action, with what compliance holds back", async () => {
    const r = await call(s, 'POST', `${PATH}/simulate`, { token: admin, body: { strategy: strategy(), days: 30 } });
    expect(r.status).toBe(200);
    const sim = r.body as {
      accounts: number;
      days: number;
      cells: Array<{ date: string; action: string; sent: number; waited: number; held: number }>;
      heldReasons: Array<{ code: string; count: number }>;
    };
    expect(sim.days).toBe(30);
    expect(sim.accounts).toBeGreaterThan(0);
    const total = sim.cells.reduce((n, c) => n + c.sent + c.held, 0);
    expect(total).toBeGreaterThan(0);
    // every day of the table lies inside the 30 days, and held steps are all explained
    const from = sim.cells[0]!.date;
    for (const c of sim.cells) expect(c.date >= from).toBe(true);
    expect(sim.heldReasons.reduce((n, h) => n + h.count, 0)).toBe(sim.cells.reduce((n, c) => n + c.held, 0));
    // the simulation changed nothing
    const [runs] = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM strategy_runs');
    expect(runs!.n).toBe(0);
  });
});
