import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { LocalStore } from '../../../src/main/store/store';
import type { AccountScore } from '../../../src/shared/risk/score';
import { account, AGENT, debtor, page } from './fixtures';

/** docs/risk.md, "On the workstation": store migration 0009 and scores arriving with a pull. */
const dirs: string[] = [];
const stores: LocalStore[] = [];
function tmpFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-scores-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const score = (accountId: string, p: number, version = '10'): AccountScore => ({
  accountId,
  payProbability: p,
  rollProbability: 0.2,
  reasons: [
    { feature: 'months_paid_6', direction: 'up', params: { count: 5, of: 6 } },
    { feature: 'promises_broken_180', direction: 'down', params: { count: 1 } },
    { feature: 'dpd', direction: 'up', params: { count: 12 } },
  ],
  asOf: '2026-11-25',
  version,
});

describe('store migration 0009', () => {
  it('adds account_scores to a store at version 8, keeping its rows', () => {
    const db = new Database(tmpFile());
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{}', 'x')`).run();
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'account_scores'`).pluck().get()).toBe(0);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    const cols = db.prepare(`SELECT name FROM pragma_table_info('account_scores')`).pluck().all();
    expect(cols).toEqual(['account_id', 'pay_probability', 'roll_probability', 'reasons', 'as_of', 'version']);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    db.close();
  });
});

describe('scores pulled into the store', () => {
  function open(): LocalStore {
    const s = LocalStore.open(tmpFile(), { agentId: AGENT, now: () => new Date('2026-11-25T15:00:00Z') });
    stores.push(s);
    return s;
  }

  it('reorder the queue by propensity, give it a readable reason, and reach the account screen', () => {
    const s = open();
    // same balance, DPD and segment: without scores the two tie
    const d1 = debtor({ name: 'Ana Uno' });
    const d2 = debtor({ name: 'Beto Dos' });
    const a1 = account(d1, { dueDate: '2026-11-01' });
    const a2 = account(d2, { dueDate: '2026-11-01' });
    s.applyPull(page({ debtors: [d1, d2], accounts: [a1, a2] }));
    const before = s.listQueue({ limit: 10 }).rows;
    expect(before[0]!.priority).toBe(before[1]!.priority);
    expect(before[0]!.reason.code).toBe('risk');

    s.applyPull(page({ scores: [score(a1.id, 0.1), score(a2.id, 0.8)] }));
    const rows = s.listQueue({ limit: 10 }).rows;
    expect(rows.map((r) => r.accountId)).toEqual([a2.id, a1.id]);
    expect(rows[0]!.reason).toEqual({ code: 'propensity', params: { percent: 80, bucket: '1-30', dpd: 24 } });
    expect(s.getAccount(a2.id)!.score).toEqual(score(a2.id, 0.8));

    // a new score moves it again; an account that leaves takes its score with it
    s.applyPull(page({ scores: [score(a1.id, 0.95, '11')], removedAccountIds: [a2.id] }));
    expect(s.getAccount(a1.id)!.score!.payProbability).toBe(0.95);
    expect(s.listQueue({ limit: 10 }).rows[0]!.reason.params.percent).toBe(95);
  });

  it('a reset pull drops the scores it does not bring again', () => {
    const s = open();
    const d = debtor();
    const a = account(d);
    s.applyPull(page({ debtors: [d], accounts: [a], scores: [score(a.id, 0.5)] }));
    expect(s.getAccount(a.id)!.score).not.toBeNull();
    s.applyPull(page({ debtors: [d], accounts: [a] }, { reset: true }));
    expect(s.getAccount(a.id)!.score).toBeNull();
  });
});
