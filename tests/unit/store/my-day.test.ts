import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../src/shared/domain/entities';
import { account, AGENT, debtor, page, phone, tempStores } from './fixtures';

const { open } = tempStores('store-myday-');
const SINCE = '2026-11-25T05:00:00.000Z'; // midnight in Bogotá

function synced(accountId: string, agentId: string, startedAt: string, disposition: Activity['disposition']): Activity {
  return {
    id: randomUUID(),
    accountId,
    agentId,
    channel: 'call',
    direction: 'outbound',
    contactPointId: null,
    address: null,
    disposition,
    note: null,
    startedAt,
    answeredAt: null,
    endedAt: null,
    durationSec: null,
    sipStatus: null,
    hangupBy: null,
    promiseId: null,
    manualDial: false,
    recordedAt: startedAt,
    version: '1',
  };
}

describe("the agent's day from the local store", () => {
  it("counts the agent's own attempts and promises since the day began, offline writes included, others' and yesterday's not", () => {
    const s = open();
    const d = debtor();
    const a = account(d, { currency: 'COP', balanceMinor: 5_000_000 });
    const p = phone(d, '+573001112233');
    const d2 = debtor({ name: 'Otra' });
    const a2 = account(d2, { currency: 'MXN', balanceMinor: 900_000 });
    s.applyPull(
      page({
        debtors: [d, d2],
        accounts: [a, a2],
        contactPoints: [p],
        activities: [
          synced(a.id, AGENT, '2026-11-25T14:00:00.000Z', 'rpc'), // mine, today, already on the server
          synced(a.id, AGENT, '2026-11-25T04:59:00.000Z', 'rpc'), // mine, yesterday evening in Bogotá
          synced(a.id, randomUUID(), '2026-11-25T14:30:00.000Z', 'rpc'), // a colleague's
        ],
      }),
    );
    expect(s.myDay(AGENT, SINCE)).toEqual({ calls: 1, messages: 0, visits: 0, rightPartyContacts: 1, promisesMade: 0, promised: [] });
    const now = '2026-11-25T15:00:00.000Z';
    s.write([
      { name: 'activity.log', args: { id: randomUUID(), accountId: a.id, channel: 'call', disposition: 'no_answer', startedAt: now } },
      { name: 'activity.log', args: { id: randomUUID(), accountId: a.id, channel: 'call', disposition: 'promise_to_pay', startedAt: now } },
      {
        name: 'promise.create',
        args: {
          id: randomUUID(),
          accountId: a.id,
          channel: 'call',
          createdAt: now,
          planId: null,
          installments: [
            { dueDate: '2026-11-30', amountMinor: 1_000_000 },
            { dueDate: '2026-12-30', amountMinor: 500_000 },
          ],
        },
      },
      { name: 'activity.log', args: { id: randomUUID(), accountId: a2.id, channel: 'visit', disposition: 'rpc', startedAt: now } },
      {
        name: 'promise.create',
        args: {
          id: randomUUID(),
          accountId: a2.id,
          channel: 'visit',
          createdAt: now,
          planId: null,
          installments: [{ dueDate: '2026-11-28', amountMinor: 90_000 }],
        },
      },
    ]);
    expect(s.myDay(AGENT, SINCE)).toEqual({
      calls: 3,
      messages: 0,
      visits: 1,
      rightPartyContacts: 3,
      promisesMade: 2,
      promised: [
        { currency: 'COP', amountMinor: 1_500_000 },
        { currency: 'MXN', amountMinor: 90_000 },
      ],
    });
    // read by the index, not a scan of every account's history
    const plan = s.db
      .prepare(`EXPLAIN QUERY PLAN SELECT count(*) FROM activities WHERE agent_id = ? AND started_at >= ?`)
      .all(AGENT, SINCE) as Array<{ detail: string }>;
    expect(plan.map((r) => r.detail).join(' ')).toMatch(/activities_agent_started/);
  });
});
