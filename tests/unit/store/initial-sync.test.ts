import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/main/store/store';
import { account, AGENT, debtor, page, phone, portfolio, tempStores } from './fixtures';

/**
 * A paged full pull into a cleared store builds the queue's indexes once, on its last page.
 * These tests hold the guarantees around that: the same indexes afterwards, queue and phone
 * lookups answered from them, and a store closed halfway that rebuilds them and restarts the pull.
 */
const { tmpFile, open } = tempStores('store-initial-');

const indexes = (s: LocalStore) =>
  s.db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`).all() as Array<{
    name: string;
    sql: string;
  }>;
/** What the sync engine does in the background after a full pull, all at once. */
const buildPending = (s: LocalStore) => {
  while (s.buildPendingIndex() > 0) {
    /* next unit */
  }
};
const plan = (s: LocalStore, sql: string) =>
  (s.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

describe('paged full pull into an empty store', () => {
  it('ends with exactly the indexes a fresh store has, and the queue reads them', () => {
    const s = open();
    const before = indexes(s);
    const pages = portfolio(300, 100);
    pages.forEach((p, i) => {
      s.applyPull(page(p, { reset: i === 0, hasMore: i < pages.length - 1, cursor: `c${i}` }));
      // between pages (another cycle may follow much later) the store is consistent and readable
      expect(s.listQueue({ limit: 1, contactableOnly: false }).total).toBe((i + 1) * 100);
      if (i < pages.length - 1) expect(indexes(s).length).toBeLessThan(before.length);
    });
    expect(s.getMeta('deferredIndexes')).toBeNull();
    expect(s.cursor).toBe('c2');
    // the last page built what the first queue screen and a caller's number need; the other
    // sorts, filters and the search index are left for later, and answer the same meanwhile
    expect(plan(s, 'SELECT id FROM accounts ORDER BY priority DESC, id DESC LIMIT 50')).toMatch(/accounts_priority/);
    expect(plan(s, 'SELECT id FROM accounts WHERE contactable_today = 1 ORDER BY priority DESC, id DESC LIMIT 50')).toMatch(
      /accounts_contactable/,
    );
    expect(s.pendingIndexCount()).toBeGreaterThan(0);
    expect(indexes(s).length).toBeLessThan(before.length);
    const byBalance = () => s.listQueue({ sort: 'balance', dir: 'desc', bucket: '31-60', limit: 20, contactableOnly: false });
    const early = byBalance();
    expect(early.total).toBeGreaterThan(0);
    buildPending(s);
    expect(s.pendingIndexCount()).toBe(0);
    expect(s.getMeta('pendingIndexes')).toBeNull();
    expect(indexes(s)).toEqual(before);
    expect(byBalance()).toEqual(early);
    expect(plan(s, 'SELECT id FROM accounts ORDER BY balance_minor DESC, id DESC LIMIT 50')).toMatch(/accounts_balance/);
    expect(plan(s, `SELECT id FROM contact_points WHERE digits_rev >= '1' AND digits_rev < '2'`)).toMatch(/contact_points_digits_rev/);
    expect(s.findAccountByPhone('3001000123')?.debtorName).toMatch(/ 123$/);
    const top = s.listQueue({ limit: 3, contactableOnly: false }).rows.map((r) => r.priority);
    expect(top).toEqual([...top].sort((a, b) => b - a));
  });

  it('a store closed halfway rebuilds its indexes and starts the full pull over', () => {
    const file = tmpFile();
    const s = open(file);
    const before = indexes(s);
    const pages = portfolio(200, 100);
    s.applyPull(page(pages[0]!, { reset: true, hasMore: true, cursor: 'half' }));
    expect(s.cursor).toBe('half');
    s.close(); // a crash here: the page is committed, the pull is not finished

    const again = open(file);
    // opening builds what the first screen reads and leaves the rest owed, as a last page does
    expect(again.pendingIndexCount()).toBeGreaterThan(0);
    expect(indexes(again).length).toBeLessThan(before.length);
    expect(again.cursor).toBeNull(); // the next pull is a full one from the start
    expect(again.getMeta('deferredIndexes')).toBeNull();
    // the restarted pull: its reset page clears what the first attempt left
    pages.forEach((p, i) => again.applyPull(page(p, { reset: i === 0, hasMore: i < pages.length - 1, cursor: `r${i}` })));
    expect(again.listQueue({ limit: 1, contactableOnly: false }).total).toBe(200);
    buildPending(again);
    expect(indexes(again)).toEqual(before);
  });

  it('indexes left for later stay owed across a reopen (not built at open), and again after a new full pull', () => {
    const file = tmpFile();
    const s = open(file);
    const before = indexes(s);
    const pages = portfolio(200, 100);
    pages.forEach((p, i) => s.applyPull(page(p, { reset: i === 0, hasMore: i < pages.length - 1, cursor: `a${i}` })));
    const owed = s.pendingIndexCount();
    expect(owed).toBeGreaterThan(1);
    s.buildPendingIndex(); // one built, then a new full pull starts before the rest
    expect(s.pendingIndexCount()).toBe(owed - 1);
    s.applyPull(page(pages[0]!, { reset: true, hasMore: true, cursor: 'b0' }));
    expect(s.getMeta('pendingIndexes')).toBeNull();
    s.applyPull(page(pages[1]!, { hasMore: false, cursor: 'b1' }));
    expect(s.pendingIndexCount()).toBe(owed);
    s.close(); // the app quits before the engine built them
    const again = open(file);
    // opening does not hold the app for them: the engine builds them once it runs
    expect(again.pendingIndexCount()).toBe(owed);
    expect(again.listQueue({ sort: 'balance', dir: 'desc', limit: 5, contactableOnly: false }).total).toBe(200);
    buildPending(again);
    expect(indexes(again)).toEqual(before);
    expect(again.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger'`).pluck().get()).toBe(3);
  });

  it('a single-page reset keeps its indexes; unsent writes survive a paged reset', () => {
    const s = open();
    const before = indexes(s);
    const d = debtor({ name: 'Ana' });
    const a = account(d);
    const p = phone(d, '+573001112233');
    s.applyPull(page({ debtors: [d], accounts: [a], contactPoints: [p] }, { reset: true }));
    expect(indexes(s)).toEqual(before);
    s.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body: 'pendiente', createdAt: '2026-11-25T14:00:00Z' } }]);
    s.applyPull(page({ debtors: [d], accounts: [a], contactPoints: [p] }, { reset: true, hasMore: true }));
    s.applyPull(page({}, { hasMore: false }));
    buildPending(s);
    expect(indexes(s)).toEqual(before);
    expect(s.getAccount(a.id)?.notes.map((n) => n.body)).toEqual(['pendiente']);
    expect(s.pendingCount()).toBe(1);
  });

  it('judges contactability of pulled accounts in the pull, and reports it once', () => {
    const s = open();
    const d = debtor({ name: 'Ana' });
    const a = account(d, { status: 'dispute' });
    const p = phone(d, '+573001112233');
    const d2 = debtor({ name: 'Beto' });
    const b = account(d2);
    const p2 = phone(d2, '+573001112244');
    s.applyPull(page({ debtors: [d, d2], accounts: [a, b], contactPoints: [p, p2] }));
    const rows = s.listQueue({ contactableOnly: false, sort: 'name', dir: 'asc' }).rows;
    expect(rows.map((r) => [r.debtorName, r.contactableToday])).toEqual([
      ['Ana', false],
      ['Beto', true],
    ]);
    expect(rows[0]!.notContactableReason?.ruleId).toBe('hard.status.dispute');
    expect(s.refreshContactability()).toEqual([a.id]);
    expect(s.refreshContactability()).toEqual([]);
  });

  it('an account whose debtor is not in the store yet stays visible; its debtor arriving judges it', () => {
    const s = open();
    const d = debtor({ name: 'Ana' });
    const a = account(d, { status: 'dispute' });
    const p = phone(d, '+573001112233');
    s.applyPull(page({ accounts: [a] }));
    expect(s.listQueue({ contactableOnly: true }).total).toBe(1);
    s.applyPull(page({ debtors: [d], contactPoints: [p] }));
    expect(s.listQueue({ contactableOnly: true }).total).toBe(0);
    expect(s.listQueue({ contactableOnly: false }).rows[0]!.notContactableReason?.ruleId).toBe('hard.status.dispute');
  });
});
