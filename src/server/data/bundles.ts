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
  const { sql: where, params } = filter;
  const accountRows = accounts ?? await db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${where} ORDER BY a.id`, params);
  if (accountRows.length === 0) {
    return { debtors: [], accounts: [], contactPoints: [], activities: [], notes: [], payments: [], promises: [] };
  }
  const debtorIds = `SELECT a.debtor_id FROM accounts a WHERE ${where}`;
  const debtors = await db.query<DebtorRow>(`SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id IN (${debtorIds})`, params);
  const contactPoints = await db.query<ContactPointRow>(
    `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.debtor_id IN (${debtorIds})`, params,
  );
  const activities = await db.query<ActivityRow>(
    `SELECT ${ACTIVITY_COLUMNS} FROM activities t JOIN accounts a ON a.id = t.account_id WHERE ${where} ORDER BY t.started_at, t.id`, params,
  );
  const notes = await db.query<NoteRow>(
    `SELECT ${NOTE_COLUMNS} FROM notes n JOIN accounts a ON a.id = n.account_id WHERE ${where} ORDER BY n.created_at, n.id`, params,
  );
  const payments = await db.query<PaymentRow>(
    `SELECT ${PAYMENT_COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id WHERE ${where} ORDER BY p.paid_at, p.id`, params,
  );
  const promises = await db.query<PromiseRow>(
    `SELECT ${PROMISE_COLUMNS} FROM promises pr JOIN accounts a ON a.id = pr.account_id WHERE ${where} ORDER BY pr.created_at, pr.id`, params,
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
