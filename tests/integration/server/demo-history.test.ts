import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../../../src/server/demo/history';
import { ActivityReport } from '../../../src/shared/reports/activity';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';

/** `npm start`'s month of past work goes through the real paths and reads back as what it claims. */
describe.each(BACKENDS)('demo history on %s', (backend) => {
  let s: TestServer;
  let made: Awaited<ReturnType<typeof seedDemoHistory>>;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 90 } });
    made = await seedDemoHistory(s.db, s.seed!);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('records every attempt, promise and payment it reports, within the rules, and some promises are kept and some broken', async () => {
    expect(made.attempts).toBeGreaterThan(30);
    expect(made.promises).toBeGreaterThan(3);
    expect(made.payments).toBeGreaterThan(0);
    const [counts] = await s.db.query<{ acts: number; promises: number; payments: number; violations: number }>(
      `SELECT (SELECT count(*)::int FROM activities) AS acts, (SELECT count(*)::int FROM promises) AS promises,
              (SELECT count(*)::int FROM payments) AS payments,
              (SELECT count(*)::int FROM activities WHERE compliance_violation IS NOT NULL) AS violations`,
    );
    expect(counts).toMatchObject({ acts: made.attempts, promises: made.promises, payments: made.payments });
    expect(counts!.violations).toBe(0); // each call was checked first, as the workstation does
    const statuses = await s.db.query<{ status: string }>('SELECT DISTINCT status FROM promises');
    expect(statuses.map((r) => r.status)).toEqual(expect.arrayContaining(['kept']));
    const lead = (await login(s, 'lider', 'lider123')).token;
    const rep = ActivityReport.parse((await call(s, 'GET', '/api/v1/reports/activity?period=30d', { token: lead })).body);
    const calls = rep.agents.reduce((n, a) => n + a.calls, 0);
    expect(calls).toBe(made.attempts);
    expect(rep.agents.reduce((n, a) => n + a.promisesKept, 0)).toBeGreaterThan(0);
  });
});
