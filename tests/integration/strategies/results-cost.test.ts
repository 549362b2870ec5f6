import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';

const PATH = '/api/v1/org/strategies';

/**
 * Champion / challenger with money and cost, on PostgreSQL, against figures worked out by hand
 * below (the prices are the organisation's where it set them, the defaults of
 * src/shared/domain/contact-costs.ts otherwise: MXN WhatsApp 27 centavos).
 */
describe('strategy results with cost per peso collected (PostgreSQL)', () => {
  let s: TestServer;
  let admin: string;
  let agent: string;
  let orgId: string;
  let adminId: string;
  let smsId: string;

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 12 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    agent = (await login(s, 'agente1', 'agente123')).token;
    const [u] = await s.db.query<{ id: string; orgId: string }>(`SELECT id, org_id AS "orgId" FROM users WHERE username = 'admin'`);
    adminId = u!.id;
    orgId = u!.orgId;
    const templates = (await call(s, 'GET', '/api/v1/org/message-templates', { token: admin })).body as Array<{
      id: string;
      channel: string;
    }>;
    smsId = templates.find((t) => t.channel === 'sms')!.id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('prices per contact: defaults until set, admin only, field-level errors, audited', async () => {
    const before = await call(s, 'GET', '/api/v1/org/contact-costs', { token: admin });
    expect(before.status).toBe(200);
    expect(before.body.costs).toContainEqual({ currency: 'COP', action: 'sms', unitCostMinor: 200, isDefault: true });
    expect(before.body.callTaskMinutes).toBe(4);
    expect((await call(s, 'GET', '/api/v1/org/contact-costs', { token: agent })).status).toBe(403);

    const bad = await call(s, 'PUT', '/api/v1/org/contact-costs', {
      token: admin,
      body: { costs: [{ currency: 'COP', action: 'sms', unitCostMinor: -1 }], callTaskMinutes: 3 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('costs.0.unitCostMinor');

    const put = await call(s, 'PUT', '/api/v1/org/contact-costs', {
      token: admin,
      body: {
        costs: [
          { currency: 'COP', action: 'sms', unitCostMinor: 10_000 },
          { currency: 'COP', action: 'letter', unitCostMinor: 300_000 },
          { currency: 'COP', action: 'call_task', unitCostMinor: 5_000 },
        ],
        callTaskMinutes: 3,
      },
    });
    expect(put.status).toBe(200);
    expect(put.body.costs).toContainEqual({ currency: 'COP', action: 'sms', unitCostMinor: 10_000, isDefault: false });
    expect(put.body.costs).toContainEqual({ currency: 'MXN', action: 'whatsapp', unitCostMinor: 27, isDefault: true });
    expect(put.body.callTaskMinutesIsDefault).toBe(false);
    const audit = await s.db.query<{ actor: string; after: { callTaskMinutes: number } }>(
      `SELECT actor_id AS actor, after FROM org_audit WHERE org_id = $1 AND action = 'strategies.contact_costs'`,
      [orgId],
    );
    expect(audit).toEqual([{ actor: adminId, after: expect.objectContaining({ callTaskMinutes: 3 }) }]);
  });

  it('cure rate, collected and cost per currency, cost per peso, accounts counted per arm', async () => {
    const steps = [{ key: 'sms1', anchor: 'due_date', day: 1, action: 'sms', templateId: smsId }];
    const created = await call(s, 'POST', PATH, {
      token: admin,
      body: { name: 'Con costos', scope: {}, steps, challenger: { sharePercent: 50, steps } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const ids = (await s.db.query<{ id: string }>('SELECT id FROM accounts ORDER BY id LIMIT 3')).map((r) => r.id);
    const [a, b, c] = ids as [string, string, string];
    // A: COP, paid off; B: MXN, still past due; C: COP, current again (due date ahead)
    await s.db.query(`UPDATE accounts SET currency = 'COP', balance_minor = 0 WHERE id = $1`, [a]);
    await s.db.query(`UPDATE accounts SET currency = 'MXN', balance_minor = 50000, due_date = '2020-01-01' WHERE id = $1`, [b]);
    await s.db.query(`UPDATE accounts SET currency = 'COP', balance_minor = 90000, due_date = '2099-01-01' WHERE id = $1`, [c]);

    let n = 0;
    const run = async (acc: string, variant: string, action: string, status: string, messageStatus?: string) => {
      const runId = randomUUID();
      let messageId: string | null = null;
      if (messageStatus) {
        messageId = randomUUID();
        await s.db.query(
          `INSERT INTO outbound_messages (id, org_id, account_id, agent_id, channel, address, body, status) VALUES ($1, $2, $3, $4, $5, '+573001112233', 'x', $6)`,
          [messageId, orgId, acc, adminId, action, messageStatus],
        );
      }
      await s.db.query(
        `INSERT INTO strategy_runs (id, org_id, strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at, message_id, created_at)
         VALUES ($1, $2, $3, $4, $5, 'due:2026-11-01', '2026-11-01', $6, $7, $8, '2026-11-01T15:00:00Z', $9, '2026-11-01T15:00:00Z')`,
        [runId, orgId, id, acc, `k${n++}`, variant, action, status, messageId],
      );
    };
    // champion A (COP, whole pesos): an SMS delivered (10,000), an SMS failed (not billed, not a contact), a call task (3 min × 5,000)
    await run(a, 'champion', 'sms', 'sent', 'delivered');
    await run(a, 'champion', 'sms', 'sent', 'failed');
    await run(a, 'champion', 'call_task', 'tasked');
    // champion B (MXN): a WhatsApp at the default 0.27 MXN, a step skipped (free)
    await run(b, 'champion', 'whatsapp', 'sent');
    await run(b, 'champion', 'sms', 'skipped');
    // challenger C (COP): a letter (300,000) and an SMS (10,000)
    await run(c, 'challenger', 'letter', 'sent');
    await run(c, 'challenger', 'sms', 'sent', 'sent');

    const pay = (acc: string, ref: string, amount: number, currency: string, at: string, reversed = false) =>
      s.db.query(
        `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at, reversed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [orgId, acc, ref, amount, currency, at, reversed ? at : null],
      );
    await pay(a, 'A-before', 999_999, 'COP', '2026-10-01T12:00:00Z'); // before the first run: not the ladder's
    await pay(a, 'A-1', 200_000, 'COP', '2026-11-03T12:00:00Z');
    await pay(a, 'A-rev', 50_000, 'COP', '2026-11-04T12:00:00Z', true); // reversed: not collected
    await pay(b, 'B-1', 30_000, 'MXN', '2026-11-05T12:00:00Z'); // 300.00 MXN

    const r = await call(s, 'GET', `${PATH}/${id}/results`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.variants).toEqual([
      {
        variant: 'challenger',
        accounts: 1,
        contacts: 2,
        cured: 1,
        cureRate: 1,
        contactsPerCure: 2,
        currencies: [{ currency: 'COP', accounts: 1, collectedMinor: 0, costMinor: 310_000, costPerPeso: null }],
      },
      {
        variant: 'champion',
        accounts: 2,
        contacts: 2, // A's delivered SMS and B's WhatsApp
        cured: 1,
        cureRate: 0.5,
        contactsPerCure: 2,
        currencies: [
          // 10,000 + 3 × 5,000 = 25,000 pesos for 200,000 collected
          { currency: 'COP', accounts: 1, collectedMinor: 200_000, costMinor: 25_000, costPerPeso: 0.125 },
          // 27 centavos for 30,000 collected
          { currency: 'MXN', accounts: 1, collectedMinor: 30_000, costMinor: 27, costPerPeso: 27 / 30_000 },
        ],
      },
    ]);
  });
});
