import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LocalStore } from '../../../src/main/store/store';
import type { Activity } from '../../../src/shared/domain/entities';
import { PullResponse } from '../../../src/shared/sync/protocol';
import { account, AGENT, asTuples, debtor, page, phone, portfolio, tempStores } from './fixtures';

/**
 * A full pull's bulk rows may arrive as tuples (src/shared/sync/snapshot.ts) instead of objects:
 * the store must end up exactly as if they had come as objects — every column, the queue's
 * derived columns and the contactability verdicts included.
 */
const { open } = tempStores('store-snapshot-');

const dump = (s: LocalStore) =>
  Object.fromEntries(
    ['debtors', 'accounts', 'contact_points', 'activities'].map((t) => [t, s.db.prepare(`SELECT * FROM ${t} ORDER BY id`).all()]),
  );

describe('full pull pages as tuples', () => {
  it('store the same rows, queue columns and verdicts as the same pages as objects', () => {
    const pages = portfolio(240, 80);
    // a debtor whose two accounts fall on two pages, a called debtor (attempts count against
    // caps), a debtor whose only phone is do-not-contact, an account whose debtor came earlier
    const split = debtor({ name: 'Partida Entre Páginas' });
    pages[0]!.debtors.push(split);
    pages[0]!.accounts.push(account(split, { externalRef: 'SPLIT-1' }));
    pages[0]!.contactPoints.push(phone(split, '+573009998877'));
    pages[1]!.debtors.push(split);
    pages[1]!.accounts.push(account(split, { externalRef: 'SPLIT-2', status: 'hardship' }));
    pages[1]!.contactPoints.push(...pages[0]!.contactPoints.filter((c) => c.debtorId === split.id));
    const called = pages[2]!.accounts[5]!;
    const calls: Activity[] = [0, 1, 2].map((i) => ({
      id: randomUUID(),
      accountId: called.id,
      agentId: AGENT,
      channel: 'call',
      direction: 'outbound',
      contactPointId: null,
      address: null,
      disposition: 'no_answer',
      note: null,
      startedAt: `2026-11-25T1${3 + i}:00:00.000Z`,
      answeredAt: null,
      endedAt: null,
      durationSec: null,
      sipStatus: 480,
      hangupBy: null,
      promiseId: null,
      manualDial: false,
      recordedAt: '2026-11-25T14:00:00.000Z',
      version: '5',
    }));
    pages[2]!.activities.push(...calls);
    const dnc = pages[1]!.debtors[3]!;
    for (const c of pages[1]!.contactPoints) if (c.debtorId === dnc.id) c.doNotContact = true;
    const late = pages[2]!.accounts[0]!;
    pages[2]!.accounts.push(account(pages[0]!.debtors[1]!, { externalRef: 'LATE-1', id: randomUUID(), status: late.status }));

    const asPages = pages.map((p, i) => page(p, { reset: i === 0, hasMore: i < pages.length - 1, cursor: `c${i}` }));
    const objects = open();
    const tuples = open();
    const judged = [objects, tuples].map((s, k) => {
      const out: string[][] = [];
      for (const p of asPages) out.push(s.applyPull(k === 0 ? p : PullResponse.parse(JSON.parse(JSON.stringify(asTuples(p))))).sort());
      while (s.buildPendingIndex() > 0) {
        /* next unit */
      }
      return { touched: out, reported: s.refreshContactability().sort() };
    });
    expect(judged[1]).toEqual(judged[0]);
    expect(dump(tuples)).toEqual(dump(objects));
    // and the verdicts are the real ones, not defaults
    const q = (s: LocalStore) => {
      const first = s.listQueue({ contactableOnly: false, limit: 200, sort: 'name', dir: 'asc' });
      return {
        total: first.total,
        rows: [...first.rows, ...s.listQueue({ contactableOnly: false, limit: 200, offset: 200, sort: 'name', dir: 'asc' }).rows],
      };
    };
    expect(q(tuples)).toEqual(q(objects));
    const hidden = q(tuples).rows.filter((r) => !r.contactableToday);
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.map((r) => r.debtorId)).toContain(dnc.id);
    expect(tuples.listQueue({ search: 'partida', contactableOnly: false }).total).toBe(2);
  });

  it('a page that is cut short or mangled is refused by the schema before the store sees it', () => {
    const p = asTuples(page(portfolio(3, 3)[0]!, { reset: true }));
    const bad = JSON.parse(JSON.stringify(p)) as { snapshot: { accounts: unknown[][] } };
    bad.snapshot.accounts[1]![7] = '500000'; // balance as text
    const r = PullResponse.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['snapshot', 'accounts', 1, 7]);
    const short = JSON.parse(JSON.stringify(p)) as { snapshot: { debtors: unknown[][] } };
    short.snapshot.debtors[0]!.pop();
    expect(PullResponse.safeParse(short).success).toBe(false);
  });
});
