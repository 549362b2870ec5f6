import { emptyPatch, type Patch, type PullRequest, type PullResponse } from '../../shared/sync/protocol';
import { scopeFor, SqlParams, visibleAccount, type Scope } from '../access/visibility';
import type { AuthUser } from '../auth/sessions';
import { loadAccountRows, loadBundles, type Bundle } from '../data/bundles';
import {
  ACCOUNT_COLUMNS, ACTIVITY_COLUMNS, CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS, NOTE_COLUMNS, PAYMENT_COLUMNS, PROMISE_COLUMNS,
  toAccount, toActivity, toContactPoint, toDebtor, toNote, toPayment, toPromise,
  type AccountRow, type ActivityRow, type ContactPointRow, type DebtorRow, type NoteRow, type PaymentRow, type PromiseRow,
} from '../data/rows';
import type { Db } from '../db';
import { versionedRead } from '../db/write';
import { HttpError } from '../http/errors';
import { decodeCursor, encodeCursor, type FullCursor } from './cursor';

export const DEFAULT_PULL_LIMIT = 5000;

/**
 * Everything visible to the user that changed since the cursor, in server order. Runs under the
 * shared change lock (versionedRead), so the cursor handed out never runs ahead of a row not yet
 * committed. First pull: pages of `limit` accounts with all their rows. Later pulls: rows with a
 * newer version, full bundles for accounts that became visible, ids of accounts that left.
 */
export async function pull(db: Db, user: AuthUser, req: PullRequest): Promise<PullResponse> {
  const limit = req.limit ?? DEFAULT_PULL_LIMIT;
  const cursor = decodeCursor(req.cursor, user.id);
  // Later pages of a full pull need no change lock: whatever they miss or see half-done was
  // committed after the full pull's starting version, and the incremental pull that follows
  // the last page sends it. Writers are not held up by a long first sync.
  const read = <T>(fn: (tx: Db, head: number) => Promise<T>): Promise<T> =>
    cursor?.k === 'full' ? db.transaction((tx) => fn(tx, cursor.h)) : versionedRead(db, fn);
  return read(async (tx, head) => {
    const [client] = await tx.query<{ userId: string; last: number }>(
      'SELECT user_id AS "userId", last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [req.clientId],
    );
    if (client && client.userId !== user.id) throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');
    const lastMutationId = client?.last ?? 0;
    const serverTime = new Date().toISOString();

    if (cursor?.k === 'inc' && head <= cursor.v) {
      // The common case: nothing changed anywhere since the last pull.
      return { cursor: req.cursor ?? encodeCursor(cursor), hasMore: false, reset: false, lastMutationId, serverTime, patch: emptyPatch() };
    }
    const scope = await scopeFor(tx, user);
    const page = cursor?.k === 'inc'
      ? await incremental(tx, scope, user.id, cursor.v, head, limit)
      : await fullPage(tx, scope, cursor ?? await startFull(tx, scope, user.id, head), limit);
    return { ...page, lastMutationId, serverTime };
  });
}

type Page = Omit<PullResponse, 'lastMutationId' | 'serverTime'>;

async function startFull(tx: Db, scope: Scope, userId: string, head: number): Promise<FullCursor> {
  const p = new SqlParams();
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts a WHERE ${visibleAccount(scope, 'a', p)}`, p.values);
  return { k: 'full', u: userId, h: head, after: null, done: 0, total: row?.n ?? 0 };
}

async function fullPage(tx: Db, scope: Scope, c: FullCursor, limit: number): Promise<Page> {
  const p = new SqlParams();
  const visible = visibleAccount(scope, 'a', p);
  const after = c.after ? ` AND (a.debtor_id, a.id) > (${p.add(c.after[0])}::uuid, ${p.add(c.after[1])}::uuid)` : '';
  const rows = await loadAccountRows(tx, `${visible}${after} ORDER BY a.debtor_id, a.id LIMIT ${p.add(limit + 1)}`, p.values);
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const first = pageRows[0];
  const last = pageRows.at(-1);
  let bundle: Bundle = { debtors: [], accounts: [], contactPoints: [], activities: [], notes: [], payments: [], promises: [] };
  if (first && last) {
    // The page again as a (debtor, account) range of visible accounts: the same rows, and its
    // debtors and contact points fall in one debtor-id range, all read by index range scans.
    const f = new SqlParams();
    const range = `${visibleAccount(scope, 'a', f)}
      AND (a.debtor_id, a.id) >= (${f.add(first.debtorId)}::uuid, ${f.add(first.id)}::uuid)
      AND (a.debtor_id, a.id) <= (${f.add(last.debtorId)}::uuid, ${f.add(last.id)}::uuid)`;
    bundle = await loadBundles(tx, { sql: range, params: f.values, debtorRange: { lo: first.debtorId, hi: last.debtorId } }, pageRows);
  }
  const done = c.done + pageRows.length;
  const next = hasMore
    ? encodeCursor({ ...c, after: [last!.debtorId, last!.id], done })
    : encodeCursor({ k: 'inc', u: c.u, v: c.h });
  return {
    cursor: next, hasMore, reset: c.after === null,
    progress: { done, total: Math.max(c.total, done) },
    patch: { ...bundle, removedAccountIds: [] },
  };
}

async function incremental(tx: Db, scope: Scope, userId: string, since: number, head: number, limit: number): Promise<Page> {
  const moved = await reassigned(tx, scope, since);
  if (moved.arrived.length > limit) {
    // Too many accounts arrived at once for one answer: start a fresh paged full pull.
    return fullPage(tx, scope, await startFull(tx, scope, userId, head), limit);
  }
  const arrived = await loadBundles(tx, { sql: 'a.id = ANY($1::uuid[])', params: [moved.arrived] });
  const changed = await changedSince(tx, scope, since);
  return {
    cursor: encodeCursor({ k: 'inc', u: userId, v: head }), hasMore: false, reset: false,
    patch: { ...merge(arrived, changed), removedAccountIds: moved.removed },
  };
}

/** Accounts that entered or left the scope since `since`, from the assignment log. */
async function reassigned(tx: Db, scope: Scope, since: number): Promise<{ arrived: string[]; removed: string[] }> {
  if (scope.agentIds === null) return { arrived: [], removed: [] };
  const rows = await tx.query<{ id: string; visible: boolean }>(
    `SELECT m.account_id AS id, (a.org_id = $3 AND a.assigned_agent_id = ANY($2::uuid[])) AS visible
     FROM (SELECT DISTINCT l.account_id FROM assignment_log l
           WHERE l.seq > $1 AND (l.to_agent_id = ANY($2::uuid[]) OR l.from_agent_id = ANY($2::uuid[]))) m
     JOIN accounts a ON a.id = m.account_id`,
    [since, scope.agentIds, scope.orgId],
  );
  return { arrived: rows.filter((r) => r.visible).map((r) => r.id), removed: rows.filter((r) => !r.visible).map((r) => r.id) };
}

/** Rows with a version above `since` on accounts visible now: each an index range scan on version. */
async function changedSince(tx: Db, scope: Scope, since: number): Promise<Bundle> {
  const q = <R>(sql: (vis: string, v: string) => string): Promise<R[]> => {
    const p = new SqlParams();
    const v = p.add(since);
    return tx.query<R>(sql(visibleAccount(scope, 'a', p), v), p.values);
  };
  // One after another: inside the transaction they share one connection.
  const accounts = await q<AccountRow>((vis, v) => `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.version > ${v} AND ${vis} ORDER BY a.version`);
  const debtors = await q<DebtorRow>((vis, v) => `SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.version > ${v}
    AND EXISTS (SELECT 1 FROM accounts a WHERE a.debtor_id = d.id AND ${vis})`);
  const contactPoints = await q<ContactPointRow>((vis, v) => `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.version > ${v}
    AND EXISTS (SELECT 1 FROM accounts a WHERE a.debtor_id = c.debtor_id AND ${vis})`);
  const activities = await q<ActivityRow>((vis, v) => `SELECT ${ACTIVITY_COLUMNS} FROM activities t JOIN accounts a ON a.id = t.account_id
    WHERE t.version > ${v} AND ${vis} ORDER BY t.version`);
  const notes = await q<NoteRow>((vis, v) => `SELECT ${NOTE_COLUMNS} FROM notes n JOIN accounts a ON a.id = n.account_id
    WHERE n.version > ${v} AND ${vis} ORDER BY n.version`);
  const payments = await q<PaymentRow>((vis, v) => `SELECT ${PAYMENT_COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id
    WHERE p.version > ${v} AND ${vis} ORDER BY p.version`);
  const promises = await q<PromiseRow>((vis, v) => `SELECT ${PROMISE_COLUMNS} FROM promises pr JOIN accounts a ON a.id = pr.account_id
    WHERE pr.version > ${v} AND ${vis} ORDER BY pr.version`);
  return {
    accounts: accounts.map(toAccount),
    debtors: debtors.map(toDebtor),
    contactPoints: contactPoints.map(toContactPoint),
    activities: activities.map(toActivity),
    notes: notes.map(toNote),
    payments: payments.map(toPayment),
    promises: promises.map(toPromise),
  };
}

function byId<T extends { id: string }>(...lists: T[][]): T[] {
  const m = new Map<string, T>();
  for (const list of lists) for (const x of list) m.set(x.id, x);
  return [...m.values()];
}

function merge(a: Bundle, b: Bundle): Omit<Patch, 'removedAccountIds'> {
  return {
    debtors: byId(a.debtors, b.debtors),
    accounts: byId(a.accounts, b.accounts),
    contactPoints: byId(a.contactPoints, b.contactPoints),
    activities: byId(a.activities, b.activities),
    notes: byId(a.notes, b.notes),
    payments: byId(a.payments, b.payments),
    promises: byId(a.promises, b.promises),
  };
}
