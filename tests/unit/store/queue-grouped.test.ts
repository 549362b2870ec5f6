import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LocalStore } from '../../../src/main/store/store';
import { summariseDebtorAccounts } from '../../../src/shared/domain/debtor-accounts';
import { account, debtor, page, phone, tempStores } from './fixtures';

/**
 * The queue grouped by debtor: one row per debtor with every account of theirs, the default
 * where the organisation's rules count contacts per debtor; and the search that finds ids and
 * phones typed in any formatting.
 */
const { open } = tempStores('store-grouped-');

function orgRules(s: LocalStore, country: string) {
  s.setMeta(
    'orgCompliance',
    JSON.stringify({
      rules: { overrides: {}, dncNumbers: [] },
      revision: 1,
      updatedAt: null,
      updatedBy: null,
      country,
      timeZone: 'America/Bogota',
    }),
  );
}

function seed(s: LocalStore) {
  const ana = debtor({ name: 'Ana Gómez', nationalId: '26.627.098-K' });
  const luis = debtor({ name: 'Luis Peña', nationalId: '1.020.304.050' });
  const anaAccounts = [
    account(ana, { externalRef: 'A-1', balanceMinor: 100_000, dueDate: '2026-10-01' }),
    account(ana, { externalRef: 'A-2', balanceMinor: 250_000, dueDate: '2026-06-01' }),
    account(ana, { externalRef: 'A-3', currency: 'USD', balanceMinor: 5_000, dueDate: '2026-11-01' }),
  ];
  const luisAccount = account(luis, { externalRef: 'L-1', balanceMinor: 70_000, dueDate: '2026-09-01' });
  s.applyPull(
    page({
      debtors: [ana, luis],
      accounts: [...anaAccounts, luisAccount],
      contactPoints: [phone(ana, '+573001234567'), phone(luis, '3109876543')],
    }),
  );
  return { ana, luis, anaAccounts, luisAccount };
}

describe('queue grouped by debtor', () => {
  it('lists each debtor once with all their accounts, the highest priority one standing for them', () => {
    const s = open();
    const { ana, anaAccounts } = seed(s);
    const byAccount = s.listQueue({ groupBy: 'account', contactableOnly: false });
    expect(byAccount.total).toBe(4);
    expect(byAccount.groupBy).toBe('account');
    expect(byAccount.rows.every((r) => r.debtorAccounts === undefined)).toBe(true);

    const grouped = s.listQueue({ groupBy: 'debtor', contactableOnly: false });
    expect(grouped.total).toBe(2);
    expect(grouped.rows.map((r) => r.debtorId).sort()).toEqual([ana.id, grouped.rows.find((r) => r.debtorId !== ana.id)!.debtorId].sort());
    const row = grouped.rows.find((r) => r.debtorId === ana.id)!;
    const anaPriorities = byAccount.rows.filter((r) => r.debtorId === ana.id).map((r) => r.priority);
    expect(row.priority).toBe(Math.max(...anaPriorities));
    expect(row.debtorAccounts!.map((a) => a.accountId).sort()).toEqual(anaAccounts.map((a) => a.id).sort());
    expect(row.debtorAccounts![0]!.accountId).toBe(row.accountId);
    const sum = summariseDebtorAccounts(row.debtorAccounts!);
    expect(sum.count).toBe(3);
    expect(sum.totals).toEqual([
      { currency: 'COP', balanceMinor: 350_000 },
      { currency: 'USD', balanceMinor: 5_000 },
    ]);
    expect(sum.maxDpd).toBe(Math.max(...row.debtorAccounts!.map((a) => a.dpd)));
  });

  it('pages and sorts debtors in every order without repeating one', () => {
    const s = open();
    seed(s);
    for (const sort of ['priority', 'balance', 'dpd', 'name'] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const first = s.listQueue({ groupBy: 'debtor', sort, dir, limit: 1, contactableOnly: false });
        const second = s.listQueue({ groupBy: 'debtor', sort, dir, limit: 1, offset: 1, contactableOnly: false });
        expect(first.total).toBe(2);
        expect(new Set([first.rows[0]!.debtorId, second.rows[0]!.debtorId]).size).toBe(2);
      }
    }
    // a filter picks the debtor's matching account to stand for them
    const usd = s.listQueue({ groupBy: 'debtor', search: 'A-3', contactableOnly: false });
    expect(usd.rows.map((r) => r.externalRef)).toEqual(['A-3']);
    expect(usd.rows[0]!.debtorAccounts).toHaveLength(3);
  });

  it('defaults to debtors where the organisation country counts contacts per debtor (the rules say so), accounts elsewhere', () => {
    const s = open();
    seed(s);
    expect(s.listQueue({ contactableOnly: false }).groupBy).toBe('account');
    orgRules(s, 'CO');
    expect(s.listQueue({ contactableOnly: false })).toMatchObject({ groupBy: 'debtor', total: 2 });
    orgRules(s, 'CL');
    expect(s.listQueue({ contactableOnly: false }).groupBy).toBe('debtor');
    orgRules(s, 'MX');
    expect(s.listQueue({ contactableOnly: false })).toMatchObject({ groupBy: 'account', total: 4 });
    // the agent's own choice wins
    expect(s.listQueue({ contactableOnly: false, groupBy: 'debtor' }).total).toBe(2);
  });

  it("one call covers the debtor: under Ley 2300 every account of theirs leaves today's queue", () => {
    const s = open();
    const { anaAccounts, luisAccount } = seed(s);
    orgRules(s, 'CO');
    expect(s.listQueue({ contactableOnly: true, groupBy: 'account' }).total).toBe(4);
    s.write([
      {
        name: 'activity.log',
        args: {
          id: randomUUID(),
          accountId: anaAccounts[1]!.id,
          channel: 'call',
          disposition: 'no_answer',
          note: null,
          startedAt: '2026-11-25T14:55:00.000Z',
        },
      },
    ]);
    const left = s.listQueue({ contactableOnly: true, groupBy: 'account' });
    expect(left.rows.map((r) => r.accountId)).toEqual([luisAccount.id]);
    expect(s.listQueue({ contactableOnly: true, groupBy: 'debtor' }).total).toBe(1);
  });
});

describe('queue search in any formatting', () => {
  it.each([
    ['26627098', 'A'],
    ['26.627.098-k', 'A'],
    ['1020304050', 'L'],
    ['1.020.304.050', 'L'],
    ['300 123 4567', 'A'],
    ['+57 310 987 6543', 'L'],
    ['(310) 987-6543', 'L'],
  ])('%s finds the debtor', (typed, ref) => {
    const s = open();
    seed(s);
    const found = s.listQueue({ search: typed, contactableOnly: false, groupBy: 'account' });
    expect(found.total).toBeGreaterThan(0);
    expect(found.rows.every((r) => r.externalRef.startsWith(`${ref}-`))).toBe(true);
  });

  it('an inbound caller with country code finds the account stored without it', () => {
    const s = open();
    const { luisAccount } = seed(s);
    expect(s.findAccountByPhone('+573109876543')?.accountId).toBe(luisAccount.id);
  });
});
