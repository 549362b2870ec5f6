import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureHabits, simulateCallHistory } from '../../../src/server/demo/habits-sim';
import { runHabits } from '../../../src/server/habits/compute';
import { startTestServer, type TestServer } from '../../helpers/server';

/**
 * Proving it learns (docs/contact-habits.md): a small seeded portfolio whose debtors have hidden
 * contact-hour habits gets five weeks of calls at random legal hours through the real paths; the
 * job learns best hours from them; over the next two simulated weeks, calling at the recommended
 * hour reaches the debtor far more often than calling at a random legal hour.
 */
describe('best hours learned from simulated history', () => {
  let s: TestServer;
  // a fixed past day: the weekdays and holidays the history falls on, and so every draw, are the same in every run
  const now = new Date('2026-11-20T12:00:00Z');
  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 36, seed: 5 } });
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });

  it('the recommended hour beats a random legal hour by a clear margin', async () => {
    const made = await simulateCallHistory(s.db, s.seed!, { days: 35, now });
    expect(made.attempts).toBeGreaterThan(250);
    const run = await runHabits(s.db, s.seed!.orgId, now);
    expect(run.changed).toBeGreaterThan(0);
    const m = await measureHabits(s.db, s.seed!.orgId, { days: 14, now });
    console.log(
      `habits: ${m.debtors} debtors, ${m.calls} calls; RPC at the recommended hour ${(m.recommended * 100).toFixed(1)} %, at a random legal hour ${(m.random * 100).toFixed(1)} %`,
    );
    expect(m.calls).toBeGreaterThan(100);
    expect(m.recommended).toBeGreaterThan(m.random * 1.5);
    expect(m.recommended - m.random).toBeGreaterThan(0.08);
  }, 60_000);
});
