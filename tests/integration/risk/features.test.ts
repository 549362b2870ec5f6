import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../../src/server/db';
import { migrate } from '../../../src/server/db/migrate';
import { featuresAsOf } from '../../../src/server/risk/features-sql';
import { BACKENDS } from '../../helpers/server';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';
import { AS_OF, buildHistory, type History } from './history';

/**
 * docs/risk.md, "Features": every feature of the hand-built history (history.ts), computed by hand.
 * The cut is the start of 15 June in Bogotá (05:00Z): a payment at 04:30Z is the 14th there and
 * counts; one at 05:30Z is the outcome, not a feature.
 */
describe.each(BACKENDS)('%s', (backend) => {
  let db: Db;
  let pg: TestDatabase | null = null;
  let h: History;
  beforeAll(async () => {
    pg = backend === 'pg' ? await createTestDatabase('risk') : null;
    db = await openDb(pg ? { url: pg.url } : { dataDir: 'memory://' });
    await migrate(db);
    h = await buildHistory(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
  });

  it('computes each feature as of the day, in the organisation zone, over the account whoever worked it', async () => {
    const rows = await featuresAsOf(db, h.orgId, AS_OF, { labels: true });
    // the account created after the day and the other organisation's are not there
    expect(rows.map((r) => r.accountId).sort()).toEqual([h.accountId, h.quietAccountId].sort());
    const a = rows.find((r) => r.accountId === h.accountId)!;
    expect(a.product).toBe('tarjeta');
    // balance then: 400 000 today + p2 (paid after the cut) = 450 000
    expect(a.balanceMinor).toBe(450_000);
    expect(a.dpd).toBe(45); // 1 May → 15 June
    expect(a.features).toEqual({
      dpd: 45,
      dpd_change_30: 35, // 45 now, 10 in the snapshot of 16 May
      balance_share: 0.45,
      log_balance_usd: expect.closeTo(Math.log(1 + 450_000 / 4000), 9),
      payments_180: 2, // p1 and p3; p4 reversed, p5 recorded after the cut, p2 after it
      days_since_payment: 1, // p1 on 14 June, Bogotá
      months_paid_6: 2, // p1 in the last 30 days, p3 in the 30 before
      promises_made_180: 3,
      promises_kept_180: 1,
      promises_broken_180: 1,
      call_attempts_30: 2, // agent 1's on 1 June and agent 2's on 10 June; not the inbound one
      message_attempts_30: 1,
      rpc_30: 2, // the outbound rpc and the inbound call
      replies_30: 1,
      disputes_365: 1,
      tenure_days: 156, // 10 January → 15 June
    });
    expect(a.paidNext30).toBe(true); // p2
    expect(a.rolledNext30).toBe(true); // 45 (31–60) → 75 (61–90), balance still owed
    const q = rows.find((r) => r.accountId === h.quietAccountId)!;
    expect(q.features).toMatchObject({ dpd: 0, payments_180: 0, days_since_payment: 365, tenure_days: 14, balance_share: 0.005 });
    expect(q.paidNext30).toBe(false);
    expect(q.rolledNext30).toBe(false);
  });

  it('a day earlier in the zone sees less: the payment of 14 June 23:30 is not yet there', async () => {
    const [a] = (await featuresAsOf(db, h.orgId, '2026-06-14')).filter((r) => r.accountId === h.accountId);
    expect(a!.features.payments_180).toBe(1);
    expect(a!.features.days_since_payment).toBe(55); // 20 April → 14 June
    expect(a!.balanceMinor).toBe(550_000);
  });
});
