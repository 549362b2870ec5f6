import type { ContactHabits } from '../../shared/rules/contact-habits';
import { SqlParams, visibleAccount, type Scope } from '../access/visibility';
import type { Db } from '../db';

/** contact_habits as the workstation reads it (src/shared/rules/contact-habits.ts ContactHabits). */
const COLUMNS = `h.debtor_id AS "debtorId", h.best_hours AS "bestHours", h.best_rate AS "bestRate", h.attempts, h.rpc,
  h.segment, h.channel, h.computed_at AS "computedAt", h.version::text AS version`;

type Row = Omit<ContactHabits, 'computedAt'> & { computedAt: Date };
const wire = (rows: Row[]): ContactHabits[] => rows.map((r) => ({ ...r, computedAt: r.computedAt.toISOString() }));

/**
 * The habits of the debtors of a full-pull page: accounts visible to the user in the key range
 * (after, last] of (debtor_id, account_id), the order the pages walk.
 */
export async function habitsOfPage(
  db: Db,
  scope: Scope,
  after: [string, string] | null,
  last: [string, string] | null,
): Promise<ContactHabits[]> {
  if (!last) return [];
  const p = new SqlParams();
  const vis = visibleAccount(scope, 'a', p);
  const from = after ? ` AND (a.debtor_id, a.id) > (${p.add(after[0])}::uuid, ${p.add(after[1])}::uuid)` : '';
  const to = ` AND (a.debtor_id, a.id) <= (${p.add(last[0])}::uuid, ${p.add(last[1])}::uuid)`;
  return wire(
    await db.query<Row>(
      `SELECT ${COLUMNS} FROM contact_habits h WHERE h.debtor_id IN (SELECT a.debtor_id FROM accounts a WHERE ${vis}${from}${to})`,
      p.values,
    ),
  );
}

/** Habits changed in (since, head] of debtors with a visible account, and those of accounts that arrived. */
export async function habitsChanged(
  db: Db,
  scope: Scope,
  since: number,
  head: number,
  arrived: readonly string[],
): Promise<ContactHabits[]> {
  const p = new SqlParams();
  const vis = visibleAccount(scope, 'a', p);
  const range = `h.version > ${p.add(since)} AND h.version <= ${p.add(head)}`;
  const arrivedSql = arrived.length ? ` OR h.debtor_id IN (SELECT debtor_id FROM accounts WHERE id = ANY(${p.add(arrived)}::uuid[]))` : '';
  return wire(
    await db.query<Row>(
      `SELECT ${COLUMNS} FROM contact_habits h
       WHERE (${range} AND EXISTS (SELECT 1 FROM accounts a WHERE a.debtor_id = h.debtor_id AND ${vis}))${arrivedSql}`,
      p.values,
    ),
  );
}
