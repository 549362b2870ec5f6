import type { Db } from '../db';
import type { Patch } from '../../shared/sync/protocol';
import {
  ACCOUNT_COLUMNS, ACTIVITY_COLUMNS, CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS, NOTE_COLUMNS, PAYMENT_COLUMNS, PROMISE_COLUMNS,
  toAccount, toActivity, toContactPoint, toDebtor, toNote, toPayment, toPromise,
  type AccountRow, type ActivityRow, type ContactPointRow, type DebtorRow, type NoteRow, type PaymentRow, type PromiseRow,
} from './rows';

export type Bundle = Omit<Patch, 'removedAccountIds'>;

/** A condition on `accounts a`, with its parameters. */
export interface AccountFilter {
  sql: string;
  params: unknown[];
  /** Bounds of the accounts' debtor ids, when known: lets debtors and contact points be read as an index range. */
  debtorRange?: { lo: string; hi: string };
}

/**
 * Everything a client keeps about the accounts matching `filter`: the accounts, their debtors and
 * contact points, and their activities, notes, payments and promises. A fixed number of
 * set-based queries whatever the number of accounts; each joins back to `accounts a` through
 * the filter, so a page given as an id range costs index range scans, not a long id list.
 * Queries run one after another: inside a transaction they share one connection.
 * `accounts`, when given, are the filter's account rows already read by the caller.
 */
export async function loadBundles(db: Db, filter: AccountFilter, accounts?: AccountRow[]): Promise<Bundle> {
  const { sql: where } = filter;
  const params = [...filter.params];
  let inDebtorRange = '';
  if (filter.debtorRange) {
    params.push(filter.debtorRange.lo, filter.debtorRange.hi);
    inDebtorRange = ` BETWEEN $${params.length - 1}::uuid AND $${params.length}::uuid`;
  }
  const accountRows = accounts ?? await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${where} ORDER BY a.id`, params);
  if (accountRows.length === 0) {
    return { debtors: [], accounts: [], contactPoints: [], activities: [], notes: [], payments: [], promises: [] };
  }
  const debtorIds = `SELECT a.debtor_id FROM accounts a WHERE ${where}`;
  const debtors = await db.query<DebtorRow>(
    `SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE ${inDebtorRange ? `d.id${inDebtorRange} AND ` : ''}d.id IN (${debtorIds})`, params,
  );
  const contactPoints = await db.query<ContactPointRow>(
    `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c
     WHERE ${inDebtorRange ? `c.debtor_id${inDebtorRange} AND ` : ''}c.debtor_id IN (${debtorIds})`, params,
  );
  // Account-level rows use only the filter's parameters.
  const ap = filter.params;
  const activities = await db.query<ActivityRow>(
    `SELECT ${ACTIVITY_COLUMNS} FROM activities t JOIN accounts a ON a.id = t.account_id WHERE ${where} ORDER BY t.started_at, t.id`, ap,
  );
  const notes = await db.query<NoteRow>(
    `SELECT ${NOTE_COLUMNS} FROM notes n JOIN accounts a ON a.id = n.account_id WHERE ${where} ORDER BY n.created_at, n.id`, ap,
  );
  const payments = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE ${where} ORDER BY p.paid_at, p.id`, ap,
  );
  const promises = await db.query<PromiseRow>(
    `SELECT ${PROMISE_COLUMNS} FROM promises pr JOIN accounts a ON a.id = pr.account_id WHERE ${where} ORDER BY pr.created_at, pr.id`, ap,
  );
  return {
    accounts: accountRows.map(toAccount),
    debtors: debtors.map(toDebtor),
    contactPoints: contactPoints.map(toContactPoint),
    activities: activities.map(toActivity),
    notes: notes.map(toNote),
    payments: payments.map(toPayment),
    promises: promises.map(toPromise),
  };
}

export async function loadAccountRows(db: Db, where: string, params: unknown[]): Promise<AccountRow[]> {
  return db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${where}`, params);
}
