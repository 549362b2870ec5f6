import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { LocalStore } from '../../../src/main/store/store';
import type { ContactHabits } from '../../../src/shared/rules/contact-habits';
import { account, AGENT, debtor, page, phone } from './fixtures';

const dirs: string[] = [];
const stores: LocalStore[] = [];
function tmpFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-habits-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const habits = (debtorId: string, over: Partial<ContactHabits> = {}): ContactHabits => ({
  debtorId,
  bestHours: [3 * 24 + 10, 4 * 24 + 10],
  bestRate: 0.61,
  attempts: 9,
  rpc: 5,
  segment: 'low',
  channel: { channel: 'whatsapp', stage: '31-60', reason: { code: 'segment', params: { channel: 'whatsapp', pct: 41, attempts: 120 } } },
  computedAt: '2026-11-25T06:00:00.000Z',
  version: '7',
  ...over,
});

describe('store migration 0010 (contact habits)', () => {
  it('adds contact_habits to a store at 0008 and keeps what it held', () => {
    const db = new Database(tmpFile());
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= 8),
    );
    db.prepare(`INSERT INTO outbox (name, args, client_time) VALUES ('note.add', '{}', 'x')`).run();
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'contact_habits'`).pluck().get()).toBe(0);
    expect(migrate(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'contact_habits'`).pluck().get()).toBe(1);
    expect(db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1);
    db.close();
  });
});

describe('habits in the workstation store (offline queue and account screen)', () => {
  let clock = new Date('2026-11-25T15:00:00Z'); // Wednesday 10:00 in Bogotá: cell 82
  function open(): LocalStore {
    const s = LocalStore.open(tmpFile(), { agentId: AGENT, now: () => clock });
    stores.push(s);
    return s;
  }

  it('an account whose best hour is now rises above a riskier one, with its reason; the rule segment replaces the file one', () => {
    clock = new Date('2026-11-25T15:00:00Z');
    const s = open();
    const risky = debtor({ segment: 'high', name: 'Riesgo Alto' });
    const calm = debtor({ segment: 'medium', name: 'Hora Buena' });
    const ra = account(risky, { dueDate: '2026-10-01', balanceMinor: 90_000_000 });
    const ca = account(calm, { dueDate: '2026-10-20', balanceMinor: 100_000 });
    s.applyPull(
      page({ debtors: [risky, calm], accounts: [ra, ca], contactPoints: [phone(risky, '+573001111111'), phone(calm, '+573002222222')] }),
    );
    expect(s.listQueue({}).rows.map((r) => r.debtorName)).toEqual(['Riesgo Alto', 'Hora Buena']);

    // an incremental pull brings the habits alone: the accounts of the debtor are re-derived
    s.applyPull(page({ contactHabits: [habits(calm.id)] }));
    const rows = s.listQueue({}).rows;
    expect(rows.map((r) => r.debtorName)).toEqual(['Hora Buena', 'Riesgo Alto']);
    expect(rows[0]!.reason).toMatchObject({ code: 'best_hour', params: { from: 10, to: 11, segment: 'low' } });
    expect(rows[0]!.segment).toBe('low');
    expect(s.listQueue({ segment: 'medium' }).rows).toEqual([]);

    const detail = s.getAccount(ca.id)!;
    expect(detail.habits).toMatchObject({ bestHours: [82, 106], attempts: 9, rpc: 5, channel: { channel: 'whatsapp' } });
    expect(s.getAccount(ra.id)!.habits).toBeNull();

    // an hour later it is no longer the best hour: the clock's upkeep lowers it again
    clock = new Date('2026-11-25T16:00:00Z');
    s.refreshForTime();
    expect(s.listQueue({}).rows.map((r) => r.debtorName)).toEqual(['Riesgo Alto', 'Hora Buena']);
    // Thursday 10:00 it rises again
    clock = new Date('2026-11-26T15:00:00Z');
    s.refreshForTime();
    expect(s.listQueue({}).rows[0]!.reason.code).toBe('best_hour');
  });
});
