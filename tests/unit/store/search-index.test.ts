import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/main/store/store';
import { account, AGENT, debtor, page, portfolio, tempStores } from './fixtures';

/**
 * The trigram search index is kept in step by triggers, switched off during a paged full pull
 * and rebuilt at its end (or on reopen after a crash): every path must find what a scan finds.
 */
const { tmpFile, open } = tempStores('store-search-');

/** What a plain scan of search_text finds: the reference the index must agree with. */
const scanCount = (s: LocalStore, term: string) =>
  s.db.prepare(`SELECT count(*) FROM accounts WHERE search_text LIKE ?`).pluck().get(`%${term}%`) as number;
const search = (s: LocalStore, term: string) => s.listQueue({ search: term, limit: 200, contactableOnly: false });

describe('trigram search index', () => {
  it('after a paged full pull it finds what a scan finds, broad and narrow', () => {
    const s = open();
    const pages = portfolio(1200, 400);
    pages.forEach((p, i) => s.applyPull(page(p, { reset: i === 0, hasMore: i < pages.length - 1, cursor: `c${i}` })));
    // until the engine builds the search index after the pull, search scans: the same answers
    expect(s.pendingIndexCount()).toBeGreaterThan(0);
    const early = ['acc-0000', ' 1199', 'acc-000'].map((t) => search(s, t));
    expect(early.map((r) => r.total)).toEqual([scanCount(s, 'acc-0000'), scanCount(s, '1199'), 1200]);
    while (s.buildPendingIndex() > 0) {
      /* next unit */
    }
    expect(['acc-0000', ' 1199', 'acc-000'].map((t) => search(s, t))).toEqual(early);
    const fts = s.db.prepare(`SELECT count(*) FROM accounts_fts WHERE accounts_fts MATCH '"0000"'`).pluck().get() as number;
    expect(fts).toBe(scanCount(s, '0000'));
    for (const term of ['acc-0000', ' 1199', '10000123', 'acc-000111']) {
      const found = search(s, term);
      expect(found.total, term).toBe(scanCount(s, term.trim()));
      expect(found.total, term).toBeGreaterThan(0);
    }
    // broad (more than 500 matches): total counted, the page sorted by priority and all matching
    const broad = search(s, 'acc-000');
    expect(broad.total).toBe(1200);
    expect(broad.rows).toHaveLength(200);
    const prios = broad.rows.map((r) => r.priority);
    expect(prios).toEqual([...prios].sort((a, b) => b - a));
  });

  it('follows a debtor rename through its triggers', () => {
    const s = open();
    const d = debtor({ name: 'Núñez Peña' });
    const a = account(d);
    s.applyPull(page({ debtors: [d], accounts: [a] }));
    expect(search(s, 'PENA').total).toBe(1);
    s.applyPull(page({ debtors: [{ ...d, name: 'Oyola Ruiz', version: '9' }] }));
    expect(search(s, 'pena').total).toBe(0);
    expect(search(s, 'ruíz').rows.map((r) => r.accountId)).toEqual([a.id]);
    expect(s.db.prepare(`SELECT count(*) FROM accounts_fts WHERE accounts_fts MATCH '"nunez"'`).pluck().get()).toBe(0);
  });

  it('a store closed halfway through a full pull owes the index on reopen, and finds the same meanwhile', () => {
    const file = tmpFile();
    const s = open(file);
    const pages = portfolio(200, 100);
    s.applyPull(page(pages[0]!, { reset: true, hasMore: true, cursor: 'half' }));
    expect(s.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'accounts_fts_insert'`).pluck().get()).toBe(0);
    s.close();
    const again = open(file);
    // the index is owed, not built at open: until the engine builds it, search scans
    expect(again.pendingIndexCount()).toBeGreaterThan(0);
    expect(search(again, 'acc-00000').total).toBe(scanCount(again, 'acc-00000'));
    expect(search(again, 'acc-00000').total).toBeGreaterThan(0);
    while (again.buildPendingIndex() > 0) {
      /* next unit */
    }
    expect(again.db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'trigger'`).pluck().get()).toBe(3);
    expect(search(again, 'acc-00000').total).toBe(scanCount(again, 'acc-00000'));
  });
});
