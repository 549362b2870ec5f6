import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Disposition } from '../../src/shared/domain/enums';
import type { Db } from '../../src/server/db';
import { FAULT_KINDS, type FaultKind, type FaultWeights, DEFAULT_WEIGHTS } from '../helpers/fault-proxy';
import { startTestServer, type Backend } from '../helpers/server';
import { SimAgent } from './agents';
import { promiseWithinPolicy } from './promise-plan';

/**
 * Torture: several real workstations behind misbehaving networks against the real server,
 * through offline/online cycles and restarts, then proof that nothing was lost or duplicated.
 *
 * Each cycle, every agent (concurrently) is either offline or online behind its fault proxy,
 * makes 0–4 random writes through the same handlers the UI calls, syncs when online, and
 * sometimes restarts (workstation closed and reopened on the same data dir). At the end all
 * networks heal, everyone syncs until quiet, and the checks run:
 *   - every write the handlers acknowledged is on the server exactly once (by client id);
 *   - the server processed exactly the mutation ids each client allocated (lastMutationId),
 *     none was refused, and no outbox has anything left;
 *   - every client store and the server agree on the agent's visible accounts, their
 *     activities / notes / promises, callbacks, statuses and contact-point flags.
 */
export interface TortureOptions {
  seed: number;
  cycles: number;
  agents: number;
  backend: Backend;
  /** Demo portfolio size (accounts, dealt to agente1..3). */
  accounts?: number;
  weights?: FaultWeights;
  /** Chance an agent is offline in a cycle. */
  offlineRate?: number;
  restartRate?: number;
  maxOpsPerCycle?: number;
  /** Client clocks skewed by up to ± this many ms (default 2 h). */
  maxSkewMs?: number;
  log?: (line: string) => void;
}

export type OpKind = 'outcome' | 'promise' | 'note' | 'flag' | 'callback' | 'callAttempt';

export interface TortureStats {
  seed: number;
  backend: Backend;
  cycles: number;
  agents: number;
  /** Handler calls that returned (acknowledged locally), by kind. */
  writes: Record<OpKind, number>;
  /** Cash receipts issued by the collectors (offline or not). */
  receipts: number;
  /** Mutations the clients allocated in all (outbox ids). */
  mutations: number;
  restarts: number;
  offlineCycles: number;
  requests: number;
  faults: Record<FaultKind, number>;
  totalFaults: number;
  server: { activities: number; notes: number; promises: number };
  durationMs: number;
}

export class TortureFailure extends Error {
  constructor(
    readonly seed: number,
    message: string,
  ) {
    super(`torture failed (reproduce with SEED=${seed}): ${message}`);
    this.name = 'TortureFailure';
  }
}

const OUTCOMES: Disposition[] = [
  'no_answer',
  'busy',
  'voicemail',
  'rpc',
  'refused',
  'callback_requested',
  'wrong_number',
  'third_party',
  'message_sent',
];
/** Workstations 0–2 are the three agents, the 4th the team lead (sees all their accounts), then agents again on second machines. */
const USERS = [
  { username: 'agente1', password: 'agente123' },
  { username: 'agente2', password: 'agente123' },
  { username: 'agente3', password: 'agente123' },
  { username: 'lider', password: 'lider123' },
] as const;

const opArb = fc.record({
  kind: fc.constantFrom<OpKind>('outcome', 'outcome', 'promise', 'note', 'flag', 'callback', 'callAttempt'),
  account: fc.nat(),
  pick: fc.nat(),
  flag: fc.constantFrom('invalid', 'verified', 'both'),
  value: fc.boolean(),
  text: fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.trim() || 'nota'),
  minutes: fc.integer({ min: 5, max: 60 * 24 * 10 }),
  amount: fc.integer({ min: 1000, max: 50_000_000 }),
});
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

function cycleArb(o: Required<Pick<TortureOptions, 'offlineRate' | 'restartRate' | 'maxOpsPerCycle'>>) {
  // noBias: one sample per agent and cycle, drawn from the plain distribution (fast-check biases
  // early samples towards edge values). Rates as integers: fc.double is uniform over float bit
  // patterns, not over [0, 1).
  return fc.noBias(
    fc.record({
      offline: fc.integer({ min: 0, max: 999 }).map((x) => x < o.offlineRate * 1000),
      restart: fc.integer({ min: 0, max: 999 }).map((x) => x < o.restartRate * 1000),
      ops: fc.array(opArb, { maxLength: o.maxOpsPerCycle }),
      // drawn last, so the ops of a seed are those it drew before receipts existed
      receipt: fc.record({
        issue: fc.integer({ min: 0, max: 9 }).map((x) => x < 3),
        account: fc.nat(),
        amount: fc.integer({ min: 1, max: 500 }),
      }),
    }),
  );
}

interface Expected {
  activities: Map<string, { disposition: Disposition | null }>;
  notes: Map<string, string>;
  promises: Set<string>;
  /** Cash receipts issued (docs/field-collection.md), by id: number and amount. */
  receipts: Map<string, { number: number; amountMinor: number }>;
}

export async function runTorture(opts: TortureOptions): Promise<TortureStats> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const o = { offlineRate: opts.offlineRate ?? 0.3, restartRate: opts.restartRate ?? 0.12, maxOpsPerCycle: opts.maxOpsPerCycle ?? 4 };
  const skewRng = fc.sample(fc.integer({ min: -(opts.maxSkewMs ?? 7_200_000), max: opts.maxSkewMs ?? 7_200_000 }), {
    seed: opts.seed,
    numRuns: opts.agents,
  });
  const server = await startTestServer({ backend: opts.backend, seed: { accounts: opts.accounts ?? 60, seed: opts.seed } });
  const agents: SimAgent[] = [];
  const expected: Expected = { activities: new Map(), notes: new Map(), promises: new Set(), receipts: new Map() };
  const writes: Record<OpKind, number> = { outcome: 0, promise: 0, note: 0, flag: 0, callback: 0, callAttempt: 0 };
  let offlineCycles = 0;
  const [baseline] = await server.db.query<Counts>(COUNTS_SQL);
  try {
    for (let i = 0; i < opts.agents; i++) {
      const a = await SimAgent.start({
        name: `a${i}`,
        serverUrl: server.url,
        ...USERS[i % USERS.length]!,
        skewMs: skewRng[i] ?? 0,
        proxy: { seed: opts.seed * 7919 + i, weights: opts.weights ?? DEFAULT_WEIGHTS, maxDelayMs: 80, maxHoldMs: 150, mode: 'pass' },
      });
      agents.push(a);
      await a.login();
      const s = await a.settle();
      if (s.lastError) throw new TortureFailure(opts.seed, `${a.o.name}: first sync failed: ${s.lastError}`);
    }

    for (let cycle = 0; cycle < opts.cycles; cycle++) {
      await Promise.all(
        agents.map(async (agent, i) => {
          const plan = fc.sample(cycleArb(o), { seed: opts.seed + cycle * 1009 + i * 31, numRuns: 1 })[0]!;
          if (plan.offline) offlineCycles++;
          agent.proxy.setMode(plan.offline ? 'offline' : 'faulty');
          const accounts = await agent.visibleAccountIds();
          for (const op of plan.ops) {
            if (accounts.length === 0) break;
            const accountId = accounts[op.account % accounts.length]!;
            await perform(agent, op, accountId, expected, writes);
          }
          if (plan.receipt.issue && accounts.length > 0) {
            await issueReceipt(agent, accounts[plan.receipt.account % accounts.length]!, plan.receipt.amount * 100, expected);
          }
          if (!plan.offline) {
            await agent.sync();
            if (op2(plan.ops.length)) await agent.sync();
          }
          if (plan.restart) await agent.restart();
        }),
      );
      if ((cycle + 1) % 100 === 0) log(`cycle ${cycle + 1}/${opts.cycles}: ${formatProgress(agents, writes)}`);
    }

    // Heal every network, let late copies land, and sync until everyone is quiet — twice, so
    // each agent also pulls what the others pushed last.
    for (const a of agents) a.proxy.setMode('pass');
    for (let round = 0; round < 2; round++) {
      for (const a of agents) {
        const s = await a.settle();
        if (s.pending > 0 || s.lastError)
          throw new TortureFailure(opts.seed, `${a.o.name}: did not settle: pending=${s.pending} error=${s.lastError}`);
      }
      await Promise.all(agents.map((a) => a.proxy.idle()));
    }

    await verify(server.db, agents, expected, baseline!, opts.seed);
    const totals = await server.db.query<Counts>(COUNTS_SQL);
    const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
    let requests = 0;
    for (const a of agents) {
      const s = a.proxy.stats();
      requests += s.requests;
      for (const k of FAULT_KINDS) faults[k] += s.faults[k];
    }
    return {
      seed: opts.seed,
      backend: opts.backend,
      cycles: opts.cycles,
      agents: opts.agents,
      writes,
      receipts: expected.receipts.size,
      mutations: agents.reduce((n, a) => n + a.highestMutationId(), 0),
      restarts: agents.reduce((n, a) => n + a.restarts, 0),
      offlineCycles,
      requests,
      faults,
      totalFaults: Object.values(faults).reduce((x, y) => x + y, 0),
      server: totals[0]!,
      durationMs: Date.now() - t0,
    };
  } catch (e) {
    if (e instanceof TortureFailure) throw e;
    throw new TortureFailure(opts.seed, (e as Error)?.stack ?? String(e));
  } finally {
    for (const a of agents) await a.close().catch(() => undefined);
    await server.close();
  }
}

/** A collector takes cash (offline or not): a numbered receipt, unless the device has no numbers yet. */
async function issueReceipt(agent: SimAgent, accountId: string, amountMinor: number, expected: Expected): Promise<void> {
  try {
    const r = await agent.api.issueReceipt({ accountId, method: 'cash', amountMinor });
    expected.receipts.set(r.id, { number: r.number, amountMinor });
  } catch (e) {
    // a device that never synced since it started holds no numbers: refused, nothing issued
    if ((e as { code?: string }).code !== 'receipt.no_numbers') throw e;
  }
}

/** A second sync in the same cycle now and then: back-to-back cycles are where races live. */
const op2 = (n: number) => n % 2 === 1;

function formatProgress(agents: SimAgent[], writes: Record<OpKind, number>): string {
  const faults = agents.reduce((n, a) => n + a.proxy.stats().totalFaults, 0);
  const total = Object.values(writes).reduce((x, y) => x + y, 0);
  return `writes=${total} faults=${faults} restarts=${agents.reduce((n, a) => n + a.restarts, 0)}`;
}

function isoInMinutes(min: number): string {
  return new Date(Date.now() + min * 60_000).toISOString();
}

function dateInDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

async function perform(agent: SimAgent, op: Op, accountId: string, expected: Expected, writes: Record<OpKind, number>): Promise<void> {
  const h = agent.api;
  switch (op.kind) {
    case 'outcome': {
      const disposition = OUTCOMES[op.pick % OUTCOMES.length]!;
      const r = await h.logOutcome({
        accountId,
        channel: 'call',
        disposition,
        note: op.text,
        direction: 'inbound', // inbound: logged outbound contacts are checked like placing them (refused at night, or twice a day); this test is about sync
        callbackAt: disposition === 'callback_requested' ? isoInMinutes(op.minutes) : null,
      });
      expected.activities.set(r.activityId, { disposition });
      break;
    }
    case 'promise': {
      const { account } = await h.getAccount({ accountId });
      if (account.balanceMinor <= 0) return;
      const { installments } = promiseWithinPolicy(account.balanceMinor, {
        installments: 1 + (op.pick % 3),
        percent: 10 + (op.amount % 50),
      });
      const r = await h.logOutcome({
        accountId,
        channel: 'call',
        direction: 'inbound',
        disposition: 'promise_to_pay',
        note: op.text,
        promise: { installments },
      });
      expected.activities.set(r.activityId, { disposition: 'promise_to_pay' });
      if (r.promiseId) expected.promises.add(r.promiseId);
      break;
    }
    case 'note': {
      const body = `${op.text} #${randomUUID().slice(0, 8)}`;
      const r = await h.addNote({ accountId, body });
      expected.notes.set(r.noteId, body);
      break;
    }
    case 'flag': {
      const detail = await h.getAccount({ accountId });
      const cp = detail.contactPoints[op.pick % Math.max(1, detail.contactPoints.length)];
      if (!cp) return;
      await h.flagContactPoint({
        contactPointId: cp.id,
        ...(op.flag !== 'verified' ? { invalid: op.value } : {}),
        ...(op.flag !== 'invalid' ? { verified: !op.value } : {}),
      });
      break;
    }
    case 'callback':
      await h.setCallback({ accountId, callbackAt: op.value ? isoInMinutes(op.minutes) : null, note: op.value ? op.text : null });
      break;
    case 'callAttempt': {
      const id = randomUUID();
      const started = new Date(Date.now() - 60_000).toISOString();
      await h.logCallAttempt({
        id,
        accountId,
        contactPointId: null,
        address: '+573001234567',
        direction: 'outbound',
        startedAt: started,
        answeredAt: null,
        endedAt: new Date().toISOString(),
        durationSec: 0,
        sipStatus: 486,
        hangupBy: 'remote',
      });
      expected.activities.set(id, { disposition: null });
      break;
    }
  }
  writes[op.kind]++;
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

function diff(what: string, client: string[], server: string[]): string | null {
  const c = new Set(client);
  const s = new Set(server);
  const missingOnServer = client.filter((x) => !s.has(x));
  const missingOnClient = server.filter((x) => !c.has(x));
  if (missingOnServer.length === 0 && missingOnClient.length === 0 && client.length === server.length) return null;
  return `${what}: client has ${client.length}, server ${server.length}; not on server [${missingOnServer.slice(0, 5).join(', ')}], not on client [${missingOnClient.slice(0, 5).join(', ')}]`;
}

/** What a user sees, restated independently of the server's code: own accounts, plus the team's for a lead. */
const VISIBLE_SQL = `SELECT a.id::text FROM accounts a JOIN users me ON me.id = $1
  WHERE a.org_id = me.org_id AND (a.assigned_agent_id = me.id OR (me.role = 'team_lead' AND a.assigned_agent_id IN (
    SELECT u.id FROM users u WHERE u.team_id = me.team_id OR u.team_id IN (SELECT t.id FROM teams t WHERE t.lead_id = me.id))))`;

interface Counts {
  activities: number;
  notes: number;
  promises: number;
}
const COUNTS_SQL = `SELECT (SELECT count(*)::int FROM activities) AS activities, (SELECT count(*)::int FROM notes) AS notes,
  (SELECT count(*)::int FROM promises) AS promises`;

async function verify(db: Db, agents: SimAgent[], expected: Expected, baseline: Counts, seed: number): Promise<void> {
  const problems: string[] = [];

  // 1. Exactly once, by client-generated id, with the content the agent entered.
  const actIds = [...expected.activities.keys()];
  const acts = await db.query<{ id: string; n: number; disposition: string | null }>(
    `SELECT id::text, count(*)::int AS n, min(disposition) AS disposition FROM activities WHERE id = ANY($1::uuid[]) GROUP BY id`,
    [actIds],
  );
  const actMap = new Map(acts.map((r) => [r.id, r]));
  for (const [id, e] of expected.activities) {
    const r = actMap.get(id);
    if (!r) problems.push(`activity ${id} lost (never reached the server)`);
    else if (r.n !== 1) problems.push(`activity ${id} stored ${r.n} times`);
    else if (r.disposition !== e.disposition) problems.push(`activity ${id}: disposition ${r.disposition}, agent chose ${e.disposition}`);
  }
  const notes = await db.query<{ id: string; n: number; body: string }>(
    `SELECT id::text, count(*)::int AS n, min(body) AS body FROM notes WHERE id = ANY($1::uuid[]) GROUP BY id`,
    [[...expected.notes.keys()]],
  );
  const noteMap = new Map(notes.map((r) => [r.id, r]));
  for (const [id, body] of expected.notes) {
    const r = noteMap.get(id);
    if (!r) problems.push(`note ${id} lost`);
    else if (r.n !== 1) problems.push(`note ${id} stored ${r.n} times`);
    else if (r.body !== body) problems.push(`note ${id}: body differs`);
  }
  const proms = await db.query<{ id: string; n: number }>(
    `SELECT id::text, count(*)::int AS n FROM promises WHERE id = ANY($1::uuid[]) GROUP BY id`,
    [[...expected.promises]],
  );
  const promMap = new Map(proms.map((r) => [r.id, r.n]));
  for (const id of expected.promises) {
    const n = promMap.get(id);
    if (n === undefined) problems.push(`promise ${id} lost`);
    else if (n !== 1) problems.push(`promise ${id} stored ${n} times`);
  }
  // Nothing on the server the agents did not make (a replay under a new id would show here).
  const [now] = await db.query<Counts>(COUNTS_SQL);
  const made = { activities: expected.activities.size, notes: expected.notes.size, promises: expected.promises.size };
  for (const k of ['activities', 'notes', 'promises'] as const) {
    if (now![k] !== baseline[k] + made[k]) problems.push(`server has ${now![k] - baseline[k]} new ${k}, the agents made ${made[k]}`);
  }

  // Receipts: each once, with its number and amount; no number twice; a payment RC-<number> for each.
  const receipts = await db.query<{ id: string; number: number; amount: number; payments: number }>(
    `SELECT r.id::text, r.number::float8 AS number, r.amount_minor::float8 AS amount,
            (SELECT count(*)::int FROM payments p WHERE p.reference = 'RC-' || r.number) AS payments
     FROM cash_receipts r WHERE r.id = ANY($1::uuid[])`,
    [[...expected.receipts.keys()]],
  );
  const receiptMap = new Map(receipts.map((r) => [r.id, r]));
  const numbers = new Set<number>();
  for (const [id, e] of expected.receipts) {
    const r = receiptMap.get(id);
    if (!r) problems.push(`receipt ${e.number} (${id}) lost`);
    else if (r.number !== e.number || r.amount !== e.amountMinor) problems.push(`receipt ${id}: stored as ${r.number}/${r.amount}`);
    else if (r.payments !== 1) problems.push(`receipt ${e.number}: ${r.payments} payments`);
    if (numbers.has(e.number)) problems.push(`receipt number ${e.number} issued twice`);
    numbers.add(e.number);
  }
  const [allReceipts] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM cash_receipts');
  if (allReceipts!.n !== expected.receipts.size)
    problems.push(`server has ${allReceipts!.n} receipts, the agents issued ${expected.receipts.size}`);

  // 2. The server processed every mutation id each client allocated, and refused none.
  for (const a of agents) {
    const [row] = await db.query<{ last: number }>('SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1', [a.clientId]);
    const allocated = a.highestMutationId();
    if ((row?.last ?? 0) !== allocated)
      problems.push(`${a.o.name}: client allocated mutations 1..${allocated}, server processed up to ${row?.last ?? 0}`);
    const state = await a.api.getSyncState();
    if (state.pending !== 0) problems.push(`${a.o.name}: ${state.pending} mutations still pending`);
    if (state.rejected.length)
      problems.push(
        `${a.o.name}: server refused ${state.rejected.map((r) => `#${r.mutationId} ${r.name} ${r.code}: ${r.message}`).join('; ')}`,
      );
  }
  const rejections = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sync_rejections');
  if ((rejections[0]?.n ?? 0) > 0) problems.push(`server recorded ${rejections[0]!.n} rejections`);

  // 3. Every store agrees with the server on what its agent sees.
  for (const a of agents) {
    const clientAccounts = sorted(await a.visibleAccountIds());
    const serverAccounts = sorted((await db.query<{ id: string }>(VISIBLE_SQL, [a.userId])).map((r) => r.id));
    const d = diff(`${a.o.name} accounts`, clientAccounts, serverAccounts);
    if (d) {
      problems.push(d);
      continue;
    }
    const facts = async (table: string) => {
      const rows = await db.query<{ account: string; id: string }>(
        `SELECT account_id::text AS account, id::text FROM ${table} WHERE account_id = ANY($1::uuid[])`,
        [serverAccounts],
      );
      const m = new Map<string, string[]>();
      for (const r of rows) m.set(r.account, [...(m.get(r.account) ?? []), r.id]);
      return m;
    };
    const [sActs, sNotes, sProms] = [await facts('activities'), await facts('notes'), await facts('promises')];
    const accountRows = new Map(
      (
        await db.query<{ id: string; callbackAt: Date | null; status: string }>(
          'SELECT id::text, callback_at AS "callbackAt", status FROM accounts WHERE id = ANY($1::uuid[])',
          [serverAccounts],
        )
      ).map((r) => [r.id, r]),
    );
    const cpRows = new Map(
      (
        await db.query<{ id: string; invalid: boolean; verified: boolean; dnc: boolean }>(
          `SELECT c.id::text, c.invalid, c.verified, c.do_not_contact AS dnc FROM contact_points c
       WHERE c.debtor_id IN (SELECT debtor_id FROM accounts WHERE id = ANY($1::uuid[]))`,
          [serverAccounts],
        )
      ).map((r) => [r.id, r]),
    );
    for (const id of serverAccounts) {
      const detail = await a.api.getAccount({ accountId: id });
      for (const [what, local, remote] of [
        ['activities', detail.activities.map((x) => x.id), sActs.get(id) ?? []],
        ['notes', detail.notes.map((x) => x.id), sNotes.get(id) ?? []],
        ['promises', detail.promises.map((x) => x.id), sProms.get(id) ?? []],
      ] as const) {
        const dd = diff(`${a.o.name} account ${id} ${what}`, sorted(local), sorted(remote));
        if (dd) problems.push(dd);
      }
      const srow = accountRows.get(id)!;
      const sCallback = srow.callbackAt ? srow.callbackAt.toISOString() : null;
      const cCallback = detail.account.callbackAt ? new Date(detail.account.callbackAt).toISOString() : null;
      if (sCallback !== cCallback) problems.push(`${a.o.name} account ${id}: callback client ${cCallback} server ${sCallback}`);
      if (srow.status !== detail.account.status)
        problems.push(`${a.o.name} account ${id}: status client ${detail.account.status} server ${srow.status}`);
      for (const cp of detail.contactPoints) {
        const s = cpRows.get(cp.id);
        if (!s) {
          problems.push(`${a.o.name}: contact point ${cp.id} unknown to the server`);
          continue;
        }
        if (s.invalid !== cp.invalid || s.verified !== cp.verified || s.dnc !== cp.doNotContact) {
          problems.push(
            `${a.o.name} contact point ${cp.id}: client ${JSON.stringify([cp.invalid, cp.verified, cp.doNotContact])} server ${JSON.stringify([s.invalid, s.verified, s.dnc])}`,
          );
        }
      }
    }
  }
  if (problems.length) throw new TortureFailure(seed, `${problems.length} problem(s):\n  ${problems.slice(0, 30).join('\n  ')}`);
}
