import type { Strategy } from '../../shared/domain/strategy';
import { addDays } from '../../shared/domain/time';
import { loadOrgCompliance } from '../compliance/rules-store';
import type { Db } from '../db';
import { planAccount, preferredSendAt, runKey, type StepPlan } from './decide';
import { loadFacts } from './facts';
import { listStrategies } from './store';

export interface PlannedRun {
  id: string;
  dueAt: Date;
}

export interface PlanResult {
  /** Accounts the set-based selection returned (due a step by date, or holding a promise). */
  candidates: number;
  /** New runs waiting to go (now or later). */
  waiting: PlannedRun[];
  skipped: number;
}

/** Accounts per batch: one set of queries and one insert each. */
export const PLAN_BATCH = 2000;

/**
 * Plans the day for one organisation: selects, set-based, the accounts that may be due a step
 * (their due date in some step's window, or a promise that anchors steps), decides each step with
 * the shared rule, and records a run per step occurrence (ON CONFLICT DO NOTHING on the ledger's
 * unique key, so two planners, or a planner run twice, create each run once). Only runs this call
 * created are returned for enqueueing.
 */
export async function planDay(db: Db, orgId: string, now: Date, opts: { batch?: number } = {}): Promise<PlanResult> {
  const strategies = await listStrategies(db, orgId, { activeOnly: true });
  const result: PlanResult = { candidates: 0, waiting: [], skipped: 0 };
  if (strategies.length === 0) return result;
  const org = await loadOrgCompliance(db, orgId);
  const { lo, hi, promiseAnchors } = dueRanges(strategies, now);
  let cursor = '00000000-0000-0000-0000-000000000000';
  const batch = opts.batch ?? PLAN_BATCH;
  for (;;) {
    const ids = await db.query<{ id: string }>(
      `SELECT a.id FROM accounts a
       WHERE a.org_id = $1 AND a.id > $2::uuid AND (
         (a.due_date IS NOT NULL AND EXISTS (SELECT 1 FROM unnest($3::date[], $4::date[]) r(lo, hi) WHERE a.due_date BETWEEN r.lo AND r.hi))
         OR ($5::boolean AND EXISTS (SELECT 1 FROM promises p WHERE p.account_id = a.id AND p.status IN ('pending', 'partially_kept', 'broken'))))
       ORDER BY a.id LIMIT $6`,
      [orgId, cursor, lo, hi, promiseAnchors, batch],
    );
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1]!.id;
    result.candidates += ids.length;
    const accountIds = ids.map((r) => r.id);
    const [facts, doneRows] = await Promise.all([
      loadFacts(db, orgId, accountIds, now),
      db.query<{ accountId: string; strategyId: string; stepKey: string; occurrence: string }>(
        `SELECT account_id AS "accountId", strategy_id AS "strategyId", step_key AS "stepKey", occurrence
         FROM strategy_runs WHERE account_id = ANY($1::uuid[])`,
        [accountIds],
      ),
    ]);
    const done = new Set(doneRows.map((r) => runKey(r.accountId, r.strategyId, r.stepKey, r.occurrence)));
    const plans: Array<StepPlan & { accountId: string; sendAt: string }> = [];
    for (const f of facts.values())
      for (const p of planAccount(f, strategies, org, now, done))
        plans.push({ ...p, accountId: f.account.id, sendAt: preferredSendAt(f, p, now) });
    if (plans.length === 0) continue;
    const inserted = await insertRuns(db, orgId, plans, now);
    for (const r of inserted) {
      if (r.status === 'waiting') result.waiting.push({ id: r.id, dueAt: r.dueAt });
      else result.skipped++;
    }
  }
  return result;
}

/**
 * The due-date windows of every step, as ranges of due dates, widened by a day each side because
 * a debtor's calendar day may differ from the server's (the rule decides exactly).
 */
function dueRanges(strategies: readonly Strategy[], now: Date) {
  const today = now.toISOString().slice(0, 10);
  const lo: string[] = [];
  const hi: string[] = [];
  let promiseAnchors = false;
  for (const s of strategies) {
    for (const step of [...s.steps, ...(s.challenger?.steps ?? [])]) {
      if (step.anchor !== 'due_date') {
        promiseAnchors = true;
        continue;
      }
      lo.push(addDays(today, -step.day - step.validDays - 1));
      hi.push(addDays(today, -step.day + 1));
    }
  }
  return { lo, hi, promiseAnchors };
}

async function insertRuns(db: Db, orgId: string, plans: ReadonlyArray<StepPlan & { accountId: string; sendAt: string }>, now: Date) {
  const col = <T>(f: (p: StepPlan & { accountId: string; sendAt: string }) => T) => plans.map(f);
  return db.query<{ id: string; status: string; dueAt: Date }>(
    `INSERT INTO strategy_runs (org_id, strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at,
       reason_code, reasons, done_at)
     SELECT $1, r.strategy_id, r.account_id, r.step_key, r.occurrence, r.anchor_date, r.variant, r.action, r.status, r.due_at,
       r.reason_code, r.reasons, CASE WHEN r.status = 'skipped' THEN $2::timestamptz END
     FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::date[], $8::text[], $9::text[], $10::text[], $11::timestamptz[],
       $12::text[], $13::jsonb[])
       AS r(strategy_id, account_id, step_key, occurrence, anchor_date, variant, action, status, due_at, reason_code, reasons)
     ON CONFLICT (strategy_id, account_id, step_key, occurrence) DO NOTHING
     RETURNING id, status, due_at AS "dueAt"`,
    [
      orgId,
      now.toISOString(),
      col((p) => p.strategy.id),
      col((p) => p.accountId),
      col((p) => p.step.key),
      col((p) => p.occurrence.key),
      col((p) => p.occurrence.anchorDate),
      col((p) => p.variant),
      col((p) => p.step.action),
      col((p) => (p.decision.kind === 'skip' ? 'skipped' : 'waiting')),
      col((p) => p.sendAt),
      col((p) => (p.decision.kind === 'skip' ? p.decision.reason.code : null)),
      col((p) => (p.decision.kind === 'skip' ? JSON.stringify(p.decision.reasons) : null)),
    ],
  );
}
