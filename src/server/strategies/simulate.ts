import type { Simulation, StrategyDef } from '../../shared/domain/strategy';
import { addDays } from '../../shared/domain/time';
import { ACTION_CHANNEL } from '../../shared/rules/strategy';
import { loadOrgCompliance } from '../compliance/rules-store';
import type { Db } from '../db';
import { planAccount, runKey } from './decide';
import { loadFacts } from './facts';

/** The instant each simulated day is judged at: 15:00 UTC is mid-morning on a working day from Mexico to Chile. */
const SIM_HOUR_UTC = 15;
const SIM_ID = '00000000-0000-4000-8000-000000000000';

/**
 * What a strategy would do over the next `days` against today's portfolio, before it is switched
 * on: per day and action, the steps that would go, wait for a later moment, or be held back (a
 * stop or compliance), with the reasons counted. Each simulated contact joins the debtor's history,
 * so the caps between the strategy's own steps count; payments and promises stay as they are today.
 */
export async function simulateStrategy(
  db: Db,
  orgId: string,
  def: StrategyDef,
  now: Date,
  days: number,
  strategyId = SIM_ID,
): Promise<Simulation> {
  const org = await loadOrgCompliance(db, orgId);
  const strategy = { ...def, id: strategyId, active: true, revision: 0, updatedAt: now.toISOString() };
  const today = now.toISOString().slice(0, 10);
  const dueSteps = [...def.steps, ...(def.challenger?.steps ?? [])].filter((s) => s.anchor === 'due_date');
  const promiseAnchors = dueSteps.length < def.steps.length + (def.challenger?.steps.length ?? 0);
  const lo = dueSteps.map((s) => addDays(today, -s.day - s.validDays - 1));
  const hi = dueSteps.map((s) => addDays(today, days - s.day + 1));
  const cells = new Map<string, Simulation['cells'][number]>();
  const held = new Map<string, Simulation['heldReasons'][number]>();
  const done = new Set<string>();
  let accounts = 0;
  let cursor = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const ids = await db.query<{ id: string }>(
      `SELECT a.id FROM accounts a
       WHERE a.org_id = $1 AND a.id > $2::uuid AND (
         (a.due_date IS NOT NULL AND EXISTS (SELECT 1 FROM unnest($3::date[], $4::date[]) r(lo, hi) WHERE a.due_date BETWEEN r.lo AND r.hi))
         OR ($5::boolean AND EXISTS (SELECT 1 FROM promises p WHERE p.account_id = a.id AND p.status IN ('pending', 'partially_kept', 'broken'))))
       ORDER BY a.id LIMIT 2000`,
      [orgId, cursor, lo, hi, promiseAnchors],
    );
    if (ids.length === 0) break;
    cursor = ids[ids.length - 1]!.id;
    const facts = await loadFacts(
      db,
      orgId,
      ids.map((r) => r.id),
      now,
    );
    for (let d = 0; d < days; d++) {
      const date = addDays(today, d);
      const at = new Date(`${date}T${String(SIM_HOUR_UTC).padStart(2, '0')}:00:00Z`);
      for (const f of facts.values()) {
        for (const p of planAccount(f, [strategy], org, at, done)) {
          const key = `${date}|${p.step.action}`;
          const cell = cells.get(key) ?? { date, action: p.step.action, sent: 0, waited: 0, held: 0 };
          cells.set(key, cell);
          const k = runKey(f.account.id, strategyId, p.step.key, p.occurrence.key);
          if (p.decision.kind === 'send') {
            cell.sent++;
            done.add(k);
            const channel = ACTION_CHANNEL[p.step.action];
            // a contact the step makes counts for the caps of the days after (a call task is not a contact yet)
            if (channel && p.step.action !== 'call_task')
              f.history.push({ accountId: f.account.id, debtorId: f.debtor.id, channel, at: at.toISOString(), conversation: false });
          } else if (p.decision.kind === 'wait') {
            cell.waited++;
          } else if (p.decision.kind === 'skip') {
            cell.held++;
            done.add(k);
            const r = p.decision.reason;
            const h = held.get(r.code) ?? { ...r, count: 0 };
            h.count++;
            held.set(r.code, h);
          }
        }
      }
    }
    accounts += ids.length;
  }
  return {
    strategyId,
    from: today,
    days,
    accounts,
    cells: [...cells.values()].sort((a, b) => a.date.localeCompare(b.date) || a.action.localeCompare(b.action)),
    heldReasons: [...held.values()].sort((a, b) => b.count - a.count),
  };
}
