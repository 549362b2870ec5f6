import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../../src/server/cli/serve';
import { addDays, localDate } from '../../../src/shared/domain/time';
import { startTestServer, type TestServer } from '../../helpers/server';

/** The kept / broken batch as the serve command runs it on start, on PGlite: grace days in the debtor's zone. */
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer({ backend: 'pglite', seed: { accounts: 20 } });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

async function overduePromise(daysLate: number): Promise<string> {
  const [acc] = await s.db.query<{ id: string; agentId: string; timeZone: string; product: string }>(
    `SELECT a.id, a.assigned_agent_id AS "agentId", d.time_zone AS "timeZone", a.product FROM accounts a JOIN debtors d ON d.id = a.debtor_id
     WHERE a.assigned_agent_id IS NOT NULL AND a.product <> 'Tarjeta de crédito'
       AND NOT EXISTS (SELECT 1 FROM promises p WHERE p.account_id = a.id) ORDER BY a.id LIMIT 1`,
  );
  const id = randomUUID();
  await s.db.query(
    `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at) VALUES ($1, $2, $3, 'call', 'COP', now() - interval '30 days')`,
    [id, acc!.id, acc!.agentId],
  );
  const due = addDays(localDate(new Date(), acc!.timeZone), -daysLate);
  await s.db.query('INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor) VALUES ($1, 1, $2, 50000)', [id, due]);
  return id;
}

describe('promise status batch on server start', () => {
  it('breaks a promise past due + grace (3 days in the demo policy) and leaves one within grace pending', async () => {
    const late = await overduePromise(5);
    const inGrace = await overduePromise(2);
    const server = await startServer({ db: s.db, port: 0, promiseBatchMinutes: 60 });
    try {
      const status = async (id: string) =>
        (await s.db.query<{ status: string }>('SELECT status FROM promises WHERE id = $1', [id]))[0]!.status;
      const end = Date.now() + 15_000;
      while ((await status(late)) !== 'broken' && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      expect(await status(late)).toBe('broken');
      expect(await status(inGrace)).toBe('pending');
      const inst = await s.db.query<{ status: string }>('SELECT status FROM promise_installments WHERE promise_id = $1', [late]);
      expect(inst).toEqual([{ status: 'broken' }]);
    } finally {
      await server.close();
    }
  });
});
