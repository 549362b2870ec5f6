import { parseMutation, type MutationArgs, type MutationEnvelope, type ParsedMutation } from '../../shared/sync/mutations';
import type { MutationResult, PushRequest, PushResponse } from '../../shared/sync/protocol';
import { scopeFor, SqlParams, visibleAccount, type AccountRef, type Scope } from '../access/visibility';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { DEBTOR_LOCK_CLASS, orgChangeLock, pushTransaction } from '../db/write';
import { HttpError } from '../http/errors';
import { APPLIERS, MutationRejected } from './appliers';
import { activityLogRun, RUN_READ_COLUMNS, type RunRead } from './appliers/activity-log-batch';
import type { ApplyContext } from './appliers/types';

/** Mutations applied under one savepoint when all goes well; a chunk with a refusal is replayed one by one. */
const CHUNK = 32;

/**
 * Applies a client's mutations exactly once, in its order. The whole batch is one transaction:
 * the client's last_mutation_id is committed with the data it covers, so a lost answer and a
 * resend can never apply anything twice. A mutation that is refused is rolled back alone,
 * recorded, acknowledged, and the queue moves on. Most batches have no refusal: they are first
 * applied with no savepoint at all; if anything in one fails, that transaction is rolled back and
 * the batch runs again carefully — in chunks under one savepoint each, a failing chunk replayed
 * with a savepoint per mutation. Pushes run beside each other; two touching the same debtor take
 * turns (see pushTransaction).
 */
export async function push(db: Db, user: AuthUser, req: PushRequest): Promise<PushResponse> {
  const release = await slotsOf(db).take();
  try {
    return await pushTransaction(db, (tx) => applyBatch(tx, user, req, 'optimistic'));
  } catch (e) {
    if (!(e instanceof OptimismFailed)) throw e;
    return await pushTransaction(db, (tx) => applyBatch(tx, user, req, 'careful'));
  } finally {
    release();
  }
}

/**
 * Pushes in a transaction at once, per database. When many clients come back online together,
 * the others wait here in arrival order, holding no connection: a push keeps its connection for
 * its whole transaction, and without this a burst of them took every connection of the pool, so
 * each of a pull's short reads queued behind whole pushes. Two cores run no faster with more pushes
 * side by side. A push holding a slot never waits for one that waits for a slot.
 */
const PUSH_SLOTS = 4;

class Slots {
  private free = PUSH_SLOTS;
  private readonly waiting: Array<() => void> = [];
  async take(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

const slotsByDb = new WeakMap<Db, Slots>();
function slotsOf(db: Db): Slots {
  let slots = slotsByDb.get(db);
  if (!slots) slotsByDb.set(db, (slots = new Slots()));
  return slots;
}

class OptimismFailed extends Error {}

async function applyBatch(tx: Db, user: AuthUser, req: PushRequest, mode: 'optimistic' | 'careful'): Promise<PushResponse> {
  const all = req.mutations.map((m) => ({ m, parsed: parseMutation(m) }));
  const client = await openClient(
    tx,
    req.clientId,
    user,
    all.flatMap((f) => (f.parsed.ok ? [f.parsed.mutation] : [])),
  );
  if (client.userId !== user.id) throw new HttpError(403, 'client_not_yours', 'this client id belongs to another user', 'clientId');

  let expected = client.last + 1;
  for (const m of req.mutations) {
    if (m.id <= client.last) continue;
    if (m.id !== expected) {
      throw new HttpError(409, 'mutation_gap', `mutation ${m.id} received but ${expected} expected next`, 'mutations', {
        lastMutationId: client.last,
      });
    }
    expected++;
  }

  const fresh = all.filter((f) => f.m.id > client.last);
  const parsed = fresh.flatMap((f) => (f.parsed.ok ? [f.parsed.mutation] : []));
  const scope = await scopeFor(tx, user);
  // The usual offline outbox — nothing but outcomes — is read for in the same statement as the accounts.
  const onlyLogs =
    mode === 'optimistic' && parsed.length > 1 && parsed.length === fresh.length && parsed.every((p) => p.name === 'activity.log')
      ? parsed.map((p) => p.args as MutationArgs<'activity.log'>)
      : null;
  const read = await readForBatch(tx, scope, parsed, onlyLogs);
  const ctx: ApplyContext = { tx, user, scope, factsAccounts: read.factsAccounts };
  const outcome = new Map<number, Refusal | null>();
  /** The client's row was already brought to expected - 1 with the batch's last write (activityLogRun). */
  let finished = false;
  if (mode === 'optimistic') {
    try {
      for (let i = 0; i < fresh.length;) {
        const f = fresh[i]!;
        if (!f.parsed.ok) {
          outcome.set(f.m.id, parseRefusal(f.parsed));
          i++;
          continue;
        }
        // consecutive activity.log mutations (an offline outbox is mostly these) go as one run
        let end = i;
        const logs: Array<MutationArgs<'activity.log'>> = [];
        for (let p = fresh[end]?.parsed; p?.ok && p.mutation.name === 'activity.log'; p = fresh[++end]?.parsed) logs.push(p.mutation.args);
        if (logs.length > 1) {
          const whole = logs.length === onlyLogs?.length;
          finished = await activityLogRun(
            ctx,
            logs,
            whole ? read.runRead : undefined,
            whole ? { clientId: req.clientId, lastMutationId: expected - 1 } : undefined,
          );
          for (; i < end; i++) outcome.set(fresh[i]!.m.id, null);
          continue;
        }
        await run(ctx, f.parsed.mutation);
        outcome.set(f.m.id, null);
        i++;
      }
    } catch {
      throw new OptimismFailed();
    }
  } else {
    for (let i = 0; i < fresh.length; i += CHUNK) {
      const chunk = fresh.slice(i, i + CHUNK);
      const refusals = (await applyChunk(ctx, chunk)) ?? (await applyOneByOne(ctx, chunk));
      chunk.forEach((f, k) => outcome.set(f.m.id, refusals[k] ?? null));
    }
  }

  const results: MutationResult[] = [];
  let last = client.last;
  for (const m of req.mutations) {
    if (m.id <= client.last) {
      results.push({ id: m.id, status: 'duplicate' });
      continue;
    }
    const refusal = outcome.get(m.id) ?? null;
    if (refusal) {
      await tx.query(
        `INSERT INTO sync_rejections (client_id, mutation_id, name, code, message, field, args)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT DO NOTHING`,
        [req.clientId, m.id, m.name, refusal.code, refusal.message, refusal.field ?? null, JSON.stringify(m.args ?? null)],
      );
      results.push({ id: m.id, status: 'rejected', error: refusal });
    } else {
      results.push({ id: m.id, status: 'applied' });
    }
    last = m.id;
  }
  // ack_version is drawn last, so it is above every version this push wrote: a pull reports
  // last_mutation_id only once its head reaches it (src/server/sync/pull.ts). A run that was the
  // whole batch drew it already, in the statement that wrote it.
  if (finished) {
    if (last !== expected - 1) throw new Error('a finished run acknowledges the whole batch');
    return { lastMutationId: last, results };
  }
  await tx.query(
    'UPDATE sync_clients SET last_mutation_id = $2, last_seen_at = now(), ack_version = next_change_version() WHERE client_id = $1',
    [req.clientId, last],
  );
  return { lastMutationId: last, results };
}

type Refusal = { code: string; message: string; field?: string };
type Fresh = { m: MutationEnvelope; parsed: ReturnType<typeof parseMutation> };

/**
 * The push's first statement, one round trip: the shared change lock (pushTransaction), then the
 * client's row — created or locked like FOR UPDATE and returned as committed, so two pushes of the
 * same client (a retry racing the original) wait for each other here — then every debtor the batch
 * may touch, through whichever id each mutation names, in one global order (by lock key), so two
 * pushes can never deadlock on them. The order is forced by data: the client row is written from
 * the lock's row, and the debtor locks are gated on the client row's having been written.
 * Duplicates of already applied mutations are locked for too: harmless, and rare (a resend).
 */
async function openClient(
  tx: Db,
  clientId: string,
  user: AuthUser,
  mutations: ParsedMutation[],
): Promise<{ userId: string; last: number }> {
  const ids = { account: new Set<string>(), activity: new Set<string>(), contactPoint: new Set<string>(), debtor: new Set<string>() };
  for (const { args } of mutations) {
    const a = args as { accountId?: unknown; activityId?: unknown; contactPointId?: unknown; debtorId?: unknown };
    if (typeof a.accountId === 'string') ids.account.add(a.accountId);
    if (typeof a.activityId === 'string') ids.activity.add(a.activityId);
    if (typeof a.contactPointId === 'string') ids.contactPoint.add(a.contactPointId);
    if (typeof a.debtorId === 'string') ids.debtor.add(a.debtorId);
  }
  // only the kinds of id the batch names: a handful of statement texts, each prepared once
  const p = new SqlParams();
  const sources = [
    ids.account.size ? `SELECT debtor_id AS id FROM accounts WHERE id = ANY(${p.add([...ids.account])}::uuid[])` : null,
    ids.activity.size
      ? `SELECT a.debtor_id AS id FROM activities t JOIN accounts a ON a.id = t.account_id WHERE t.id = ANY(${p.add([...ids.activity])}::uuid[])`
      : null,
    ids.contactPoint.size ? `SELECT debtor_id AS id FROM contact_points WHERE id = ANY(${p.add([...ids.contactPoint])}::uuid[])` : null,
    ids.debtor.size ? `SELECT id FROM debtors WHERE id = ANY(${p.add([...ids.debtor])}::uuid[])` : null,
  ].filter((x) => x !== null);
  const client = `client AS (
       INSERT INTO sync_clients (client_id, user_id) SELECT ${p.add(clientId)}::uuid, ${p.add(user.id)}::uuid FROM change
       ON CONFLICT (client_id) DO UPDATE SET last_seen_at = now()
       RETURNING user_id, last_mutation_id)`;
  const debtors =
    sources.length === 0
      ? ''
      : `,
     debtors AS MATERIALIZED (
       SELECT count(pg_advisory_xact_lock(${p.add(DEBTOR_LOCK_CLASS)}, k)) AS n FROM (
         SELECT DISTINCT hashtext(d.id::text) AS k FROM (${sources.join(' UNION ')}) d
         WHERE EXISTS (SELECT FROM client)
         ORDER BY 1) s)`;
  const [row] = await tx.query<{ userId: string; last: number }>(
    `WITH change AS MATERIALIZED (SELECT ${orgChangeLock(`${p.add(user.orgId)}::uuid`, 'shared')}),
     ${client}${debtors}
     SELECT client.user_id AS "userId", client.last_mutation_id AS last FROM client${debtors ? ', debtors' : ''}`,
    p.values,
  );
  if (!row) throw new Error('sync client row vanished');
  return row;
}

const FACT_MUTATIONS: ReadonlySet<string> = new Set(['activity.log', 'note.add', 'promise.create']);

/**
 * After the locks, one statement: findAccountForFacts (src/server/access/visibility.ts) for every
 * account the batch's facts name — visible now, or ever assigned to this user; exclusive writers
 * (reassignments) cannot run while the push holds the change lock, so the answer holds for the
 * whole batch — and, when the batch is one run of outcomes, what activityLogRun reads to judge them.
 */
async function readForBatch(
  tx: Db,
  scope: Scope,
  mutations: ParsedMutation[],
  run: Array<MutationArgs<'activity.log'>> | null,
): Promise<{
  factsAccounts: Map<string, AccountRef | null>;
  runRead?: RunRead;
}> {
  const ids = [...new Set(mutations.filter((m) => FACT_MUTATIONS.has(m.name)).map((m) => (m.args as { accountId: string }).accountId))];
  const factsAccounts = new Map<string, AccountRef | null>(ids.map((id) => [id, null]));
  if (ids.length === 0) return { factsAccounts };
  const p = new SqlParams();
  const facts = `SELECT a.id, a.org_id AS "orgId", a.debtor_id AS "debtorId", a.assigned_agent_id AS "assignedAgentId", a.currency, a.status
     FROM accounts a
     WHERE a.id = ANY(${p.add(ids)}::uuid[])
       AND ((${visibleAccount(scope, 'a', p)})
         OR (a.org_id = ${p.add(scope.orgId)}
             AND EXISTS (SELECT 1 FROM assignment_log l WHERE l.account_id = a.id AND l.to_agent_id = ${p.add(scope.userId)})))`;
  const [row] = await tx.query<{ facts: AccountRef[] | null } & Partial<RunRead>>(
    `WITH facts AS MATERIALIZED (${facts})
     SELECT (SELECT json_agg(f) FROM facts f) AS facts${run ? `, ${RUN_READ_COLUMNS(p, run, scope.orgId)}` : ''}`,
    p.values,
  );
  for (const r of row?.facts ?? []) factsAccounts.set(r.id, r);
  if (!run || !row) return { factsAccounts };
  return {
    factsAccounts,
    runRead: {
      cps: row.cps ?? null,
      debtors: row.debtors ?? null,
      history: row.history ?? null,
      existing: row.existing ?? null,
      org: row.org ?? null,
    },
  };
}

/** The fast path: the whole chunk under one savepoint. null when anything in it failed (rolled back). */
async function applyChunk(ctx: ApplyContext, chunk: Fresh[]): Promise<Array<Refusal | null> | null> {
  try {
    return await ctx.tx.transaction(async (sp) => {
      const refusals: Array<Refusal | null> = [];
      for (const { parsed } of chunk) {
        if (!parsed.ok) {
          refusals.push(parseRefusal(parsed));
          continue;
        }
        await run({ ...ctx, tx: sp }, parsed.mutation);
        refusals.push(null);
      }
      return refusals;
    });
  } catch {
    // rolled back to the chunk's savepoint; the replay tells a refusal from a server fault
    return null;
  }
}

async function applyOneByOne(ctx: ApplyContext, chunk: Fresh[]): Promise<Array<Refusal | null>> {
  const refusals: Array<Refusal | null> = [];
  for (const f of chunk) refusals.push(await applyOne(ctx, f));
  return refusals;
}

function parseRefusal(parsed: Extract<ReturnType<typeof parseMutation>, { ok: false }>): Refusal {
  return { code: parsed.code, message: parsed.message, ...(parsed.field ? { field: parsed.field } : {}) };
}

/** null when applied; the refusal otherwise. Unexpected errors (database down …) propagate: 5xx, retry. */
async function applyOne(ctx: ApplyContext, { m, parsed }: Fresh): Promise<Refusal | null> {
  if (!parsed.ok) return parseRefusal(parsed);
  try {
    await ctx.tx.transaction((sp) => run({ ...ctx, tx: sp }, parsed.mutation));
    return null;
  } catch (e) {
    if (e instanceof MutationRejected) return { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) };
    const code = (e as { code?: unknown }).code;
    // Integrity (23…) and data (22…) errors are the mutation's fault, not the server's.
    if (typeof code === 'string' && (code.startsWith('23') || code.startsWith('22'))) {
      return { code: 'invalid_args', message: `${m.name}: ${(e as Error).message}` };
    }
    throw e;
  }
}

function run(ctx: ApplyContext, m: ParsedMutation): Promise<void> {
  // The union is correlated by name; TypeScript cannot follow that through an indexed lookup.
  const apply = APPLIERS[m.name] as (c: ApplyContext, a: typeof m.args) => Promise<void>;
  return apply(ctx, m.args);
}
