import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATCH_SQL } from '../../../src/server/messaging/inbound';
import { startTestServer, type TestServer } from '../../helpers/server';

/**
 * Matching a reply by phone number compares digits only ("+57 300 111 2233" = "573001112233").
 * Migration 0026 indexes exactly those expressions; this reads PostgreSQL's plans for the queries
 * inbound.ts really runs (MATCH_SQL), over thousands of messages and contact points, and finds the
 * indexes in them — no timing involved. A query whose expression drifted from the index's would
 * scan and fail here.
 */
describe('reply matching by number uses the digit indexes (PostgreSQL)', () => {
  let s: TestServer;
  let orgId: string;

  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 20 } });
    const [a] = await s.db.query<{ orgId: string; accountId: string; agentId: string; debtorId: string }>(
      `SELECT a.org_id AS "orgId", a.id AS "accountId", u.id AS "agentId", a.debtor_id AS "debtorId"
       FROM accounts a CROSS JOIN (SELECT id FROM users WHERE username = 'agente1') u ORDER BY a.id LIMIT 1`,
    );
    orgId = a!.orgId;
    // 6,000 messages and 6,000 contact points, numbers written the way people write them
    await s.db.query(
      `INSERT INTO outbound_messages (id, org_id, account_id, agent_id, channel, address, body, status, created_at)
       SELECT gen_random_uuid(), $1, $2, $3, CASE WHEN i % 2 = 0 THEN 'sms' ELSE 'whatsapp' END,
              '+57 300 ' || lpad(i::text, 7, '0'), 'x', 'sent', now() - i * interval '1 minute'
       FROM generate_series(1, 6000) i`,
      [orgId, a!.accountId, a!.agentId],
    );
    await s.db.query(
      `INSERT INTO contact_points (debtor_id, kind, value)
       SELECT $1, CASE WHEN i % 2 = 0 THEN 'phone' ELSE 'whatsapp' END, '(+57) 310-' || lpad(i::text, 7, '0') FROM generate_series(1, 6000) i`,
      [a!.debtorId],
    );
    await s.db.query(
      `INSERT INTO inbound_messages (org_id, channel, provider_message_id, from_address, body, received_at)
       SELECT $1, 'whatsapp', 'wamid.' || i, '+57 320 ' || lpad(i::text, 7, '0'), 'hola', now() FROM generate_series(1, 6000) i`,
      [orgId],
    );
    await s.db.exec('ANALYZE outbound_messages; ANALYZE contact_points; ANALYZE inbound_messages; ANALYZE debtors;');
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  /** The index names in the plan PostgreSQL picks for the query with these parameters. */
  async function indexesUsed(sql: string, params: unknown[]): Promise<string[]> {
    const [row] = await s.db.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const names: string[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (typeof o['Index Name'] === 'string') names.push(o['Index Name']);
        Object.values(o).forEach(walk);
      }
    };
    walk(row!['QUERY PLAN']);
    return names;
  }

  it('our last message to the number: outbound_messages_digits', async () => {
    expect(await indexesUsed(MATCH_SQL.lastOutbound(false), [orgId, '573000001234', 'sms'])).toContain('outbound_messages_digits');
  });

  it("the debtors' contact points with that number: contact_points_digits", async () => {
    expect(await indexesUsed(MATCH_SQL.contactPoints(false), [orgId, '573100004321', ['phone', 'whatsapp'], 'phone'])).toContain(
      'contact_points_digits',
    );
  });

  it("WhatsApp's 24-hour window for the number: inbound_messages_window_digits", async () => {
    expect(await indexesUsed(MATCH_SQL.whatsappWindow, [orgId, '573200000042'])).toContain('inbound_messages_window_digits');
  });

  it('an e-mail address among the contact points: contact_points_lower', async () => {
    await s.db.exec(
      `INSERT INTO contact_points (debtor_id, kind, value) SELECT debtor_id, 'email', 'x' || id || '@example.com' FROM accounts`,
    );
    await s.db.exec('ANALYZE contact_points');
    expect(await indexesUsed(MATCH_SQL.contactPoints(true), [orgId, 'ana@example.com', ['email'], 'email'])).toContain(
      'contact_points_lower',
    );
  });
});
