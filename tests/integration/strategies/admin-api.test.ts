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

  it('compares champion and challenger over the accounts each followed', async () => {
    const created = await call(s, 'POST', PATH, {
      token: admin,
      body: strategy({ name: 'Con retador', challenger: { sharePercent: 50, steps: strategy().steps } }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const accs = await s.db.query<{ id: string; orgId: string; currency: string }>(
      'SELECT id, org_id AS "orgId", currency FROM accounts ORDER BY id LIMIT 2',
    );
    const [a, b] = accs as [(typeof accs)[0], (typeof accs)[0]];
    const run = (acc: string, variant: string, key: string) =>
      s.db.query(
        `INSERT INTO strategy_runs (org_id, strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at, created_at)
         VALUES ($1, $2, $3, $4, 'due:2026-11-01', '2026-11-01', $5, 'sms', 'sent', '2026-10-31T15:00:00Z', '2026-10-31T15:00:00Z')`,
        [a.orgId, id, acc, key, variant],
      );
    await run(a.id, 'champion', 'pre1');
    await run(b.id, 'challenger', 'pre5');
    await run(b.id, 'challenger', 'pre1');
    await s.db.query(`UPDATE accounts SET balance_minor = 0 WHERE id = $1`, [a.id]);
    await s.db.query(`UPDATE accounts SET balance_minor = 1000, due_date = '2020-01-01' WHERE id = $1`, [b.id]);
    await s.db.query(
      `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at) VALUES ($1, $2, 'R-1', 5000, $3, '2026-11-02T12:00:00Z'),
       ($1, $2, 'R-0', 7000, $3, '2026-10-01T12:00:00Z')`,
      [b.orgId, b.id, b.currency],
    );
    const r = await call(s, 'GET', `${PATH}/${id}/results`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.variants).toEqual([
      {
        variant: 'challenger',
        accounts: 1,
        contacts: 2,
        cured: 0,
        cureRate: 0,
        currencies: [
          { currency: b.currency, accounts: 1, collectedMinor: 5000, costMinor: expect.any(Number), costPerPeso: expect.any(Number) },
        ],
        contactsPerCure: null,
      },
      {
        variant: 'champion',
        accounts: 1,
        contacts: 1,
        cured: 1,
        cureRate: 1,
        currencies: [{ currency: a.currency, accounts: 1, collectedMinor: 0, costMinor: expect.any(Number), costPerPeso: null }],
        contactsPerCure: 1,
      },
    ]);
    expect((await call(s, 'GET', `${PATH}/${id}/results`, { token: agent })).status).toBe(403);
  });
});
