import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/main/store/store';
import { account, AGENT, debtor, page, phone } from '../store/fixtures';

const stores: LocalStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function open(clock: { at: Date }) {
  const s = LocalStore.open(':memory:', { agentId: AGENT, now: () => clock.at });
  stores.push(s);
  return s;
}

const ids = (s: LocalStore, contactableOnly?: boolean) =>
  s.listQueue({ sort: 'name', dir: 'asc', ...(contactableOnly === undefined ? {} : { contactableOnly }) }).rows.map((r) => r.debtorName);

describe('queue: accounts that cannot be contacted today (shared isContactableToday)', () => {
  it('hides a CO debtor already called today, with the rule as the reason; the toggle shows it', () => {
    // Wednesday 10:00 Bogotá
    const clock = { at: new Date('2026-11-25T15:00:00Z') };
    const s = open(clock);
    const ana = debtor({ name: 'Ana' });
    const beto = debtor({ name: 'Beto' });
    const a1 = account(ana);
    const a2 = account(beto);
    const p1 = phone(ana, '+573001112233');
    const p2 = phone(beto, '+573004445566');
    s.applyPull(page({ debtors: [ana, beto], accounts: [a1, a2], contactPoints: [p1, p2] }));
    expect(s.refreshContactability()).toEqual([]); // judged, both contactable: nothing changed
    expect(ids(s, true)).toEqual(['Ana', 'Beto']);

    s.write([
      {
        name: 'activity.log',
        args: {
          id: randomUUID(),
          accountId: a1.id,
          channel: 'call',
          contactPointId: p1.id,
          address: p1.value,
          disposition: 'no_answer',
          startedAt: clock.at.toISOString(),
        },
      },
    ]);
    expect(ids(s, true)).toEqual(['Beto']);
    const all = s.listQueue({ sort: 'name', dir: 'asc', contactableOnly: false });
    expect(all.rows.map((r) => r.debtorName)).toEqual(['Ana', 'Beto']);
    const anaRow = all.rows.find((r) => r.debtorName === 'Ana')!;
    expect(anaRow.contactableToday).toBe(false);
    expect(anaRow.notContactableReason).toMatchObject({ ruleId: 'co.freq.daily', channel: 'call' });
    expect(all.rows.find((r) => r.debtorName === 'Beto')!.contactableToday).toBe(true);

    // the next day Ana is back
    clock.at = new Date('2026-11-26T15:00:00Z');
    expect(s.refreshContactability()).toEqual([a1.id]);
    expect(ids(s, true)).toEqual(['Ana', 'Beto']);
  });

  it('an inbound call from the debtor does not use up their day', () => {
    const clock = { at: new Date('2026-11-25T15:00:00Z') };
    const s = open(clock);
    const ana = debtor({ name: 'Ana' });
    const a1 = account(ana);
    const p1 = phone(ana, '+573001112233');
    s.applyPull(page({ debtors: [ana], accounts: [a1], contactPoints: [p1] }));
    s.write([
      {
        name: 'activity.log',
        args: {
          id: randomUUID(),
          accountId: a1.id,
          channel: 'call',
          direction: 'inbound',
          contactPointId: p1.id,
          address: p1.value,
          disposition: 'rpc',
          startedAt: clock.at.toISOString(),
        },
      },
    ]);
    expect(ids(s, true)).toEqual(['Ana']);
  });

  it('after hours the rest of the day is gone: re-judged within the quarter hour', () => {
    const clock = { at: new Date('2026-11-25T23:50:00Z') }; // 18:50 Bogotá: still contactable today
    const s = open(clock);
    const ana = debtor({ name: 'Ana' });
    const a1 = account(ana);
    const p1 = phone(ana, '+573001112233');
    s.applyPull(page({ debtors: [ana], accounts: [a1], contactPoints: [p1] }));
    s.refreshContactability();
    expect(ids(s, true)).toEqual(['Ana']);
    clock.at = new Date('2026-11-26T00:05:00Z'); // 19:05 Bogotá, same local day
    expect(s.refreshContactability()).toEqual([a1.id]);
    expect(s.refreshContactability()).toEqual([]); // once per quarter hour
    expect(ids(s, true)).toEqual([]);
    const row = s.listQueue({ sort: 'name', dir: 'asc' }).rows[0]!;
    expect(row.notContactableReason?.ruleId).toBe('co.hours.time');
  });

  it('a debtor in hardship is never contactable (hard stop)', () => {
    const clock = { at: new Date('2026-11-25T15:00:00Z') };
    const s = open(clock);
    const ana = debtor({ name: 'Ana' });
    const a1 = account(ana, { status: 'hardship' });
    const p1 = phone(ana, '+573001112233');
    s.applyPull(page({ debtors: [ana], accounts: [a1], contactPoints: [p1] }));
    expect(s.refreshContactability()).toEqual([a1.id]);
    expect(ids(s, true)).toEqual([]);
    expect(s.listQueue({ sort: 'name', dir: 'asc' }).rows[0]!.notContactableReason?.ruleId).toBe('hard.status.hardship');
  });
});
