import { emptyPatch, type OrgDataVersions, type Patch, type PullRequest, type PullResponse } from '../../shared/sync/protocol';
import { scopeFor, SqlParams, visibleAccount, type Scope } from '../access/visibility';
import type { AuthUser } from '../auth/sessions';
import { bundleFromRows, emptyBundle, loadAccountRows, loadBundles, type Bundle } from '../data/bundles';
import {
  ACCOUNT_COLUMNS,
  ACTIVITY_COLUMNS,
  CONTACT_POINT_COLUMNS,
  DEBTOR_COLUMNS,
  NOTE_COLUMNS,
  PAYMENT_COLUMNS,
  PROMISE_COLUMNS,
  SCORE_COLUMNS,
  type AccountRow,
  type ActivityRow,
  type ContactPointRow,
  type DebtorRow,
  type NoteRow,
  type PaymentRow,
  type PromiseRow,
  type ScoreRow,
} from '../data/rows';
import type { Db } from '../db';
import { HeadBehind, versionedRead } from '../db/write';
import { HttpError } from '../http/errors';
import { loadSnapshotPage, type SnapshotPage } from '../data/snapshot';
import { scopeChangesSince } from '../users/scope-changes';
import { habitsChanged, habitsOfPage } from '../habits/pull';
import { decodeCursor, encodeCursor, type FullCursor } from './cursor';

export const DEFAULT_PULL_LIMIT = 5000;
/** Accounts in the first page of a tuple full pull. */
const FIRST_TUPLE_PAGE = 1000;

/**
 * An answer already in its wire form: a page whose bulk rows PostgreSQL wrote as JSON text
 * (tuples, see data/snapshot.ts) is sent as built, never parsed and re-serialised here.
 */
export class SerializedPull {
  constructor(readonly json: string) {}
}

/**
 * Everything visible to the user that changed since the cursor, in server order. The head (the
 * change version up to which everything is committed) is the visible change horizon, read
 * without waiting for writers (0006-change-horizon.sql); the rows are then read outside any transaction, in parallel. Such reads see every row up to
 * the head and maybe a few newer ones, which the next pull sends again — harmless, rows are
 * applied by id — so the cursor never runs ahead of a row the client has not been sent.
 * First pull: pages of `limit` accounts with all their rows. Later pulls: rows with a newer
 * version, full bundles for accounts that became visible, ids of accounts that left.
 */
export async function pull(db: Db, user: AuthUser, req: PullRequest & { tuples?: false }): Promise<PullResponse>;
export async function pull(db: Db, user: AuthUser, req: PullRequest): Promise<PullResponse | SerializedPull>;
export async function pull(db: Db, user: AuthUser, req: PullRequest): Promise<PullResponse | SerializedPull> {
  const limit = req.limit ?? DEFAULT_PULL_LIMIT;
  const cursor = decodeCursor(req.cursor, user.id);
  const serverTime = new Date().toISOString();
  let head: number;
  let lastMutationId: number;
  let orgData: OrgDataVersions | undefined;
  if (cursor?.k === 'full') {
    // Later pages of a full pull take no lock at all: whatever they miss or see half-done was
    // committed after the starting head, and the incremental pull after the last page sends it.
    await clientLastMutation(db, req.clientId, user.id);
    head = cursor.h;
    // As of the head: the client may trim its outbox only of mutations whose effects it has.
    lastMutationId = cursor.m;
  } else {
    ({ head, lastMutationId, orgData } = await versionedRead(db, user.orgId, async (tx, h) => ({
      head: h,
      ...(await clientAndOrgData(tx, req.clientId, user, h)),
    })));
    if (cursor?.k === 'inc' && head <= cursor.v) {
      // The common case: nothing changed anywhere since the last pull.
      return { cursor: req.cursor!, hasMore: false, reset: false, lastMutationId, serverTime, patch: emptyPatch(), orgData };
    }
  }
  const scope = await scopeFor(db, user);
  const tuples = req.tuples === true;
  const prepared = cursor?.k === 'full' && tuples ? await takeAhead(user.id, limit, req.cursor!) : null;
  const page =
    prepared ??
    (cursor?.k === 'inc'
      ? await incremental(db, scope, user.id, cursor.v, head, lastMutationId, limit, tuples)
      : await fullPage(db, scope, cursor ?? (await startFull(db, scope, user.id, head, lastMutationId)), limit, tuples));
  if (tuples && page.hasMore) {
    const next = decodeCursor(page.cursor, user.id);
    if (next?.k === 'full') startAhead(user.id, limit, page.cursor, fullPage(db, scope, next, limit, true));
  }
  const { snapshotJson, ...rest } = page;
  const response: PullResponse = { ...rest, lastMutationId, serverTime, ...(orgData ? { orgData } : {}) };
  if (!snapshotJson) return response;
  const envelope = JSON.stringify(response);
  return new SerializedPull(
    `${envelope.slice(0, -1)},"snapshot":{"debtors":${snapshotJson.debtors},"accounts":${snapshotJson.accounts},"contactPoints":${snapshotJson.contactPoints}}}`,
  );
}

/**
 * The next page of a full pull, started as soon as a page is answered. The client applies a page
 * (~0.4 s of its CPU for 10,000 accounts) before its request for the next one can even leave
 * its event loop, so a page computed only on request leaves PostgreSQL idle while the client
 * works and the client idle while PostgreSQL does. Keyed by user, page size and cursor, taken
 * once, bounded in number and age; the request still authenticates and checks its client first.
 * A server restarted or another instance behind a balancer simply computes the page itself.
 */
const AHEAD_TTL_MS = 60_000;
const AHEAD_MAX = 16;
const ahead = new Map<string, { at: number; page: Promise<Page> }>();

function startAhead(userId: string, limit: number, cursor: string, page: Promise<Page>): void {
  const now = Date.now();
  for (const [k, v] of ahead) if (now - v.at > AHEAD_TTL_MS) ahead.delete(k);
  while (ahead.size >= AHEAD_MAX) ahead.delete(ahead.keys().next().value!);
  // a failure is the taker's to see (it then computes the page itself), never unhandled
  page.catch(() => {});
  const key = `${userId}|${limit}|${cursor}`;
  const entry = { at: now, page };
  ahead.set(key, entry);
  // a page nobody comes for (the client quit) is let go, not held until the next full pull
  setTimeout(() => {
    if (ahead.get(key) === entry) ahead.delete(key);
  }, AHEAD_TTL_MS).unref();
}

async function takeAhead(userId: string, limit: number, cursor: string): Promise<Page | null> {
  const key = `${userId}|${limit}|${cursor}`;
  const entry = ahead.get(key);
  if (!entry) return null;
  ahead.delete(key);
  if (Date.now() - entry.at > AHEAD_TTL_MS) return null;
  return entry.page.catch(() => null);
}

async function clientLastMutation(db: Db, clientId: string, userId: string, head?: number): Promise<number> {
  const [client] = await db.query<{ userId: string; last: number; ack: number }>(
    'SELECT user_id AS "userId", last_mutation_id AS last, ack_version AS ack FROM sync_clients WHERE client_id = $1',
    [clientId],
  );
  if (client && client.userId !== userId)
    throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');
  // The client drops from its outbox what this id covers: only once the head covers its effects.
  if (client && head !== undefined && client.ack > head) throw new HeadBehind(client.ack, head);
  return client?.last ?? 0;
}

/**
 * clientLastMutation and, in the same statement (every lookup by index), the tokens of the
 * organisation data and of the caller's approval requests: the idle pull stays at one statement
 * beyond authentication and the head, and the workstation learns whether anything it caches
 * beside its store changed without asking for it.
 */
async function clientAndOrgData(
  db: Db,
  clientId: string,
  user: AuthUser,
  head: number,
): Promise<{ lastMutationId: number; orgData: OrgDataVersions }> {
  const [row] = await db.query<{ userId: string | null; last: number | null; ack: number | null } & OrgDataVersions>(
    `SELECT c.user_id AS "userId", c.last_mutation_id AS last, c.ack_version AS ack,
            (SELECT md5(o.settings::text) FROM organizations o WHERE o.id = $2) AS policies,
            (SELECT count(*) || ':' || coalesce(max(t.updated_at)::text, '') FROM message_templates t WHERE t.org_id = $2) AS templates,
            (SELECT coalesce(max(k.revision), 0)::text FROM org_compliance k WHERE k.org_id = $2) AS compliance,
            (SELECT coalesce(max(r.version), 0)::text FROM approval_requests r WHERE r.agent_id = $3) AS approvals
     FROM (SELECT 1) AS one LEFT JOIN sync_clients c ON c.client_id = $1`,
    [clientId, user.orgId, user.id],
  );
  if (row?.userId && row.userId !== user.id)
    throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');
  if (row?.userId && row.ack !== null && row.ack > head) throw new HeadBehind(row.ack, head);
  const orgData = {
    policies: row?.policies ?? '',
    templates: row?.templates ?? '',
    compliance: row?.compliance ?? '',
    approvals: row?.approvals ?? '',
  };
  return { lastMutationId: row?.last ?? 0, orgData };
}

type Page = Omit<PullResponse, 'lastMutationId' | 'serverTime' | 'snapshot'> & { snapshotJson?: SnapshotPage['json'] };

async function startFull(tx: Db, scope: Scope, userId: string, head: number, lastMutationId: number): Promise<FullCursor> {
  const p = new SqlParams();
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM accounts a WHERE ${visibleAccount(scope, 'a', p)}`, p.values);
  return { k: 'full', u: userId, h: head, m: lastMutationId, after: null, done: 0, total: row?.n ?? 0 };
}

async function fullPage(tx: Db, scope: Scope, c: FullCursor, limit: number, tuples: boolean): Promise<Page> {
  const p = new SqlParams();
  const visible = visibleAccount(scope, 'a', p);
  if (tuples) {
    // a short first page: the client starts applying it at once while the next, full-size one
    // is computed ahead (see startAhead), instead of waiting for a whole page at the start
    const s = await loadSnapshotPage(tx, visible, p.values, c.after, c.after === null ? Math.min(limit, FIRST_TUPLE_PAGE) : limit);
    const done = c.done + s.count;
    const contactHabits = await habitsOfPage(tx, scope, c.after, s.last);
    return {
      cursor: s.hasMore ? encodeCursor({ ...c, after: s.last, done }) : encodeCursor({ k: 'inc', u: c.u, v: c.h }),
      hasMore: s.hasMore,
      reset: c.after === null,
      progress: { done, total: Math.max(c.total, done) },
      patch: { ...s.facts, ...(contactHabits.length ? { contactHabits } : {}), removedAccountIds: [] },
      snapshotJson: s.json,
    };
  }
  const after = c.after ? ` AND (a.debtor_id, a.id) > (${p.add(c.after[0])}::uuid, ${p.add(c.after[1])}::uuid)` : '';
  const rows = await loadAccountRows(tx, `${visible}${after} ORDER BY a.debtor_id, a.id LIMIT ${p.add(limit + 1)}`, p.values);
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  const [bundle, contactHabits] = await Promise.all([
    loadBundles(tx, pageRows, true),
    habitsOfPage(tx, scope, c.after, last ? [last.debtorId, last.id] : null),
  ]);
  const done = c.done + pageRows.length;
  const next = hasMore ? encodeCursor({ ...c, after: [last!.debtorId, last!.id], done }) : encodeCursor({ k: 'inc', u: c.u, v: c.h });
  return {
    cursor: next,
    hasMore,
    reset: c.after === null,
    progress: { done, total: Math.max(c.total, done) },
    patch: { ...bundle, ...(contactHabits.length ? { contactHabits } : {}), removedAccountIds: [] },
  };
}

async function incremental(
  tx: Db,
  scope: Scope,
  userId: string,
  since: number,
  head: number,
  lastMutationId: number,
  limit: number,
  tuples: boolean,
): Promise<Page> {
  // Scope changes are rare: looked up beside the reassignments, not before them.
  const [changes, byAssignment] = await Promise.all([
    scopeChangesSince(tx, scope.orgId, userId, since, head),
    reassigned(tx, scope, since, head, []),
  ]);
  // This user's own scope changed shape (role, led teams): what the store holds cannot be
  // patched from here without knowing the old scope, so it is replaced by a fresh full pull.
  if (changes.reshaped) return fullPage(tx, scope, await startFull(tx, scope, userId, head, lastMutationId), limit, tuples);
  // An agent's scope is their own accounts whatever team they are in: team moves concern leads.
  const movedUsers = scope.role === 'agent' ? [] : changes.moved;
  const moved = movedUsers.length ? await reassigned(tx, scope, since, head, movedUsers) : byAssignment;
  if (moved.arrived.length > limit) {
    // Too many accounts arrived at once for one answer: start a fresh paged full pull.
    return fullPage(tx, scope, await startFull(tx, scope, userId, head, lastMutationId), limit, tuples);
  }
  const [arrived, changed, contactHabits] = await Promise.all([
    moved.arrived.length
      ? loadAccountRows(tx, 'a.id = ANY($1::uuid[])', [moved.arrived]).then((rows) => loadBundles(tx, rows))
      : emptyBundle(),
    changedSince(tx, scope, since, head),
    habitsChanged(tx, scope, since, head, moved.arrived),
  ]);
  return {
    cursor: encodeCursor({ k: 'inc', u: userId, v: head }),
    hasMore: false,
    reset: false,
    patch: { ...merge(arrived, changed), ...(contactHabits.length ? { contactHabits } : {}), removedAccountIds: moved.removed },
  };
}

/**
 * Accounts that entered or left the scope in (since, head]: from the assignment log (accounts
 * moved between agents), and — for `movedUsers`, whose team or team lead changed in that range
 * (scope_changes) — every account assigned to them now or moved to or from them since. Each is
 * judged against the scope now: visible ones are sent whole (maybe again), the others removed
 * (a no-op on a store that never had them). Judging against the scope now, not replaying the
 * moves, is what keeps a client that was offline through several moves right.
 */
async function reassigned(
  tx: Db,
  scope: Scope,
  since: number,
  head: number,
  movedUsers: readonly string[],
): Promise<{ arrived: string[]; removed: string[] }> {
  if (scope.agentIds === null) return { arrived: [], removed: [] };
  const logged = movedUsers.length ? [...new Set([...scope.agentIds, ...movedUsers])] : scope.agentIds;
  const current = movedUsers.length
    ? ' UNION SELECT c.id AS account_id FROM accounts c WHERE c.org_id = $3 AND c.assigned_agent_id = ANY($6::uuid[])'
    : '';
  const rows = await tx.query<{ id: string; visible: boolean }>(
    `SELECT m.account_id AS id, (a.org_id = $3 AND a.assigned_agent_id = ANY($2::uuid[])) AS visible
     FROM (SELECT DISTINCT l.account_id FROM assignment_log l
           WHERE l.seq > $1 AND l.seq <= $4 AND (l.to_agent_id = ANY(${movedUsers.length ? '$5' : '$2'}::uuid[]) OR l.from_agent_id = ANY(${movedUsers.length ? '$5' : '$2'}::uuid[]))${current}) m
     JOIN accounts a ON a.id = m.account_id`,
    movedUsers.length ? [since, scope.agentIds, scope.orgId, head, logged, movedUsers] : [since, scope.agentIds, scope.orgId, head],
  );
  return { arrived: rows.filter((r) => r.visible).map((r) => r.id), removed: rows.filter((r) => !r.visible).map((r) => r.id) };
}

/**
 * Rows with a version in (since, head] on accounts visible now: each an index range scan on
 * version. The upper bound keeps the answer consistent although its queries run in parallel
 * outside a transaction: a row changed after the head (say, an account reassigned to this user)
 * waits for the next pull, which brings it with everything it needs (its debtor, its history).
 */
async function changedSince(tx: Db, scope: Scope, since: number, head: number): Promise<Bundle> {
  const q = <R>(sql: (vis: string, changed: (alias: string) => string) => string): Promise<R[]> => {
    const p = new SqlParams();
    const from = p.add(since);
    const to = p.add(head);
    const changed = (alias: string) => `${alias}.version > ${from} AND ${alias}.version <= ${to}`;
    return tx.query<R>(sql(visibleAccount(scope, 'a', p), changed), p.values);
  };
  const [accounts, debtors, contactPoints, activities, notes, payments, promises, scores] = await Promise.all([
    q<AccountRow>((vis, changed) => `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${changed('a')} AND ${vis} ORDER BY a.version`),
    q<DebtorRow>(
      (vis, changed) => `SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE ${changed('d')}
      AND EXISTS (SELECT 1 FROM accounts a WHERE a.debtor_id = d.id AND ${vis})`,
    ),
    q<ContactPointRow>(
      (vis, changed) => `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE ${changed('c')}
      AND EXISTS (SELECT 1 FROM accounts a WHERE a.debtor_id = c.debtor_id AND ${vis})`,
    ),
    q<ActivityRow>(
      (vis, changed) => `SELECT ${ACTIVITY_COLUMNS} FROM activities t JOIN accounts a ON a.id = t.account_id
      WHERE ${changed('t')} AND ${vis} ORDER BY t.version`,
    ),
    q<NoteRow>(
      (vis, changed) => `SELECT ${NOTE_COLUMNS} FROM notes n JOIN accounts a ON a.id = n.account_id
      WHERE ${changed('n')} AND ${vis} ORDER BY n.version`,
    ),
    q<PaymentRow>(
      (vis, changed) => `SELECT ${PAYMENT_COLUMNS} FROM payments p JOIN accounts a ON a.id = p.account_id
      WHERE ${changed('p')} AND ${vis} ORDER BY p.version`,
    ),
    q<PromiseRow>(
      (vis, changed) => `SELECT ${PROMISE_COLUMNS} FROM promises pr JOIN accounts a ON a.id = pr.account_id
      WHERE ${changed('pr')} AND ${vis} ORDER BY pr.version`,
    ),
    q<ScoreRow>(
      (vis, changed) => `SELECT ${SCORE_COLUMNS} FROM account_scores sc JOIN accounts a ON a.id = sc.account_id
      WHERE ${changed('sc')} AND ${vis} ORDER BY sc.version`,
    ),
  ]);
  return bundleFromRows({ accounts, debtors, contactPoints, activities, notes, payments, promises, scores });
}

function byId<T extends { id: string }>(...lists: T[][]): T[] {
  const m = new Map<string, T>();
  for (const list of lists) for (const x of list) m.set(x.id, x);
  return [...m.values()];
}

function byAccount<T extends { accountId: string }>(...lists: T[][]): T[] {
  const m = new Map<string, T>();
  for (const list of lists) for (const x of list) m.set(x.accountId, x);
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
    ...(a.scores || b.scores ? { scores: byAccount(a.scores ?? [], b.scores ?? []) } : {}),
  };
}
