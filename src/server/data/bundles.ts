import type { Db } from '../db';
import type { Patch } from '../../shared/sync/protocol';
import {
  ACCOUNT_COLUMNS,
  ACTIVITY_COLUMNS,
  CONTACT_POINT_COLUMNS,
  DEBTOR_COLUMNS,
  NOTE_COLUMNS,
  PAYMENT_COLUMNS,
  PROMISE_COLUMNS,
  SCORE_COLUMNS,
  toAccount,
  toActivity,
  toContactPoint,
  toDebtor,
  toNote,
  toPayment,
  toPromise,
  toScore,
  type AccountRow,
  type ActivityRow,
  type ContactPointRow,
  type DebtorRow,
  type NoteRow,
  type PaymentRow,
  type PromiseRow,
  type ScoreRow,
} from './rows';

export type Bundle = Omit<Patch, 'removedAccountIds'>;

export function emptyBundle(): Bundle {
  return { debtors: [], accounts: [], contactPoints: [], activities: [], notes: [], payments: [], promises: [] };
}

/**
 * Everything a client keeps about these accounts (already read by the caller): their debtors
 * and contact points, activities, notes, payments and promises. A fixed number of set-based
 * queries whatever the number of accounts, by id list, so the bundle matches the accounts even
 * if one is reassigned meanwhile. Outside a transaction they run in parallel on the pool.
 * When the accounts come sorted by debtor, the debtor-id bounds let the planner read debtors
 * and contact points as an index range.
 */
export async function loadBundles(db: Db, accounts: AccountRow[], sortedByDebtor = false): Promise<Bundle> {
  if (accounts.length === 0) return emptyBundle();
  const accountIds = accounts.map((a) => a.id);
  const debtorIds = [...new Set(accounts.map((a) => a.debtorId))];
  const range = sortedByDebtor ? ' AND {col} BETWEEN $2::uuid AND $3::uuid' : '';
  const debtorParams = sortedByDebtor ? [debtorIds, debtorIds[0], debtorIds.at(-1)] : [debtorIds];
  const [debtors, contactPoints, facts] = await Promise.all([
    db.query<DebtorRow>(
      `SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = ANY($1::uuid[])${range.replace('{col}', 'd.id')}`,
      debtorParams,
    ),
    db.query<ContactPointRow>(
      `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.debtor_id = ANY($1::uuid[])${range.replace('{col}', 'c.debtor_id')}`,
      debtorParams,
    ),
    loadFactRows(db, accountIds),
  ]);
  return bundleFromRows({ accounts, debtors, contactPoints, ...facts });
}

type FactRows = Pick<BundleRows, 'activities' | 'notes' | 'payments' | 'promises' | 'scores'>;

async function loadFactRows(db: Db, accountIds: string[]): Promise<FactRows> {
  const [activities, notes, payments, promises, scores] = await Promise.all([
    db.query<ActivityRow>(`SELECT ${ACTIVITY_COLUMNS} FROM activities t WHERE t.account_id = ANY($1::uuid[]) ORDER BY t.started_at, t.id`, [
      accountIds,
    ]),
    db.query<NoteRow>(`SELECT ${NOTE_COLUMNS} FROM notes n WHERE n.account_id = ANY($1::uuid[]) ORDER BY n.created_at, n.id`, [accountIds]),
    db.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.account_id = ANY($1::uuid[]) ORDER BY p.paid_at, p.id`, [
      accountIds,
    ]),
    db.query<PromiseRow>(`SELECT ${PROMISE_COLUMNS} FROM promises pr WHERE pr.account_id = ANY($1::uuid[]) ORDER BY pr.created_at, pr.id`, [
      accountIds,
    ]),
    db.query<ScoreRow>(`SELECT ${SCORE_COLUMNS} FROM account_scores sc WHERE sc.account_id = ANY($1::uuid[])`, [accountIds]),
  ]);
  return { activities, notes, payments, promises, scores };
}

/** Activities, notes, payments and promises of these accounts (the rest of the bundle left empty). */
export async function loadFacts(db: Db, accountIds: string[]): Promise<Bundle> {
  if (accountIds.length === 0) return emptyBundle();
  return bundleFromRows({ accounts: [], debtors: [], contactPoints: [], ...(await loadFactRows(db, accountIds)) });
}

export interface BundleRows {
  accounts: AccountRow[];
  debtors: DebtorRow[];
  contactPoints: ContactPointRow[];
  activities: ActivityRow[];
  notes: NoteRow[];
  payments: PaymentRow[];
  promises: PromiseRow[];
  /** risk scores (docs/risk.md): absent where the caller reads none */
  scores?: ScoreRow[];
}

/** Database rows to their wire form: the one place a bundle or a delta is shaped for a client. */
export function bundleFromRows(r: BundleRows): Bundle {
  return {
    accounts: r.accounts.map(toAccount),
    debtors: r.debtors.map(toDebtor),
    contactPoints: r.contactPoints.map(toContactPoint),
    activities: r.activities.map(toActivity),
    notes: r.notes.map(toNote),
    payments: r.payments.map(toPayment),
    promises: r.promises.map(toPromise),
    ...(r.scores?.length ? { scores: r.scores.map(toScore) } : {}),
  };
}

export async function loadAccountRows(db: Db, where: string, params: unknown[]): Promise<AccountRow[]> {
  return db.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${where}`, params);
}
