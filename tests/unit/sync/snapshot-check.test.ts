import { describe, expect, it } from 'vitest';
import { checkSnapshot } from '../../../src/main/sync/snapshot-check';
import { A, C, D, Snapshot } from '../../../src/shared/sync/snapshot';
import { asTuples, page, portfolio } from '../store/fixtures';

/**
 * The compiled check of a full pull's tuples must say what the zod schema says: the same
 * pages pass, and every kind of damage zod refuses is refused too, at the same place.
 */
const good = () => asTuples(page(portfolio(4, 4)[0]!)).snapshot!;

type Damage = [name: string, harm: (s: Snapshot) => void];
const damages: Damage[] = [
  [
    'balance as text',
    (s) => {
      s.accounts[1]![A.balanceMinor] = '500000';
    },
  ],
  [
    'negative balance',
    (s) => {
      s.accounts[0]![A.balanceMinor] = -1;
    },
  ],
  [
    'fractional installments',
    (s) => {
      s.accounts[2]![A.installmentsPaid] = 1.5;
    },
  ],
  [
    'unknown currency',
    (s) => {
      s.accounts[0]![A.currency] = 'EUR';
    },
  ],
  [
    'unknown status',
    (s) => {
      s.accounts[3]![A.status] = 'promise';
    },
  ],
  [
    'id not a uuid',
    (s) => {
      s.accounts[0]![A.id] = 'acc-1';
    },
  ],
  [
    'due date not a date',
    (s) => {
      s.accounts[0]![A.dueDate] = '01/10/2026';
    },
  ],
  [
    'due date a day that does not exist',
    (s) => {
      s.accounts[0]![A.dueDate] = '2026-02-30';
    },
  ],
  [
    'due date in month 13',
    (s) => {
      s.accounts[0]![A.dueDate] = '2026-13-01';
    },
  ],
  [
    'callback not an instant',
    (s) => {
      s.accounts[0]![A.callbackAt] = '2026-11-25 15:00';
    },
  ],
  [
    'version not decimal',
    (s) => {
      s.accounts[0]![A.version] = 'v1';
    },
  ],
  [
    'empty debtor name',
    (s) => {
      s.debtors[0]![D.name] = '';
    },
  ],
  [
    'lower-case country',
    (s) => {
      s.debtors[0]![D.country] = 'co';
    },
  ],
  [
    'preferences not text',
    (s) => {
      s.debtors[0]![D.contactPrefs] = { authorizedChannels: [] };
    },
  ],
  [
    'flag as boolean',
    (s) => {
      s.contactPoints[0]![C.invalid] = true;
    },
  ],
  [
    'unknown contact kind',
    (s) => {
      s.contactPoints[0]![C.kind] = 'fax';
    },
  ],
  [
    'a column missing',
    (s) => {
      s.debtors[1]!.pop();
    },
  ],
  [
    'a column too many',
    (s) => {
      s.contactPoints[1]!.push(null);
    },
  ],
  [
    'a row not an array',
    (s) => {
      (s.accounts as unknown[])[0] = { id: 'x' };
    },
  ],
  [
    'a table missing',
    (s) => {
      delete (s as Partial<Snapshot>).contactPoints;
    },
  ],
];

describe('compiled snapshot check', () => {
  it('passes what zod passes, as it is', () => {
    const s = good();
    expect(Snapshot.safeParse(s).success).toBe(true);
    const r = checkSnapshot(s);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toEqual(s);
    expect(checkSnapshot({ debtors: [], accounts: [], contactPoints: [] }).ok).toBe(true);
  });

  it.each(damages)('refuses what zod refuses: %s, naming the place', (_, harm) => {
    const s = good();
    harm(s);
    const z = Snapshot.safeParse(s);
    expect(z.success).toBe(false);
    const r = checkSnapshot(s);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      // the row (and column, where zod names one) zod points at
      const where = ['snapshot', ...z.error!.issues[0]!.path.slice(0, 3)].join('.');
      expect(r.path.startsWith(where) || where.startsWith(r.path)).toBe(true);
    }
  });
});
