import type Database from 'better-sqlite3-multiple-ciphers';
import { dpdBucket } from '../../shared/domain/enums';
import type { PromiseInstallment } from '../../shared/domain/entities';
import { daysPastDue, localDate } from '../../shared/domain/time';
import { prioritize, type PriorityInput } from '../../shared/rules/priority';
import { createContactability } from './contactability';
import { createScores } from './scores';
import { searchText } from './rows';

/**
 * The queue columns of an account (debtor name, search text, dpd, bucket, priority), derived
 * from the account, its debtor and its promises. Kept in step on every write and pulled page,
 * and for all accounts when a debtor's calendar day changes or a callback falls due.
 */
export interface DerivedSource {
  dueDate: string | null;
  balanceMinor: number;
  currency: PriorityInput['currency'];
  status: PriorityInput['status'];
  callbackAt: string | null;
  lastContactAt: string | null;
  externalRef: string;
  debtorName: string;
  nationalId: string;
  segment: PriorityInput['segment'];
  timeZone: string;
  /** To read the debtor's contact habits (best hours, rule segment); absent: none are read. */
  debtorId?: string;
}
export interface DerivedColumns {
  debtor_name: string;
  search_text: string;
  segment: string;
  time_zone: string;
  dpd: number;
  bucket: string;
  priority: number;
  priority_reason: string;
}

type PromiseRow = { status: PriorityInput['promises'][number]['status']; installments: string };

/** Per-batch context: "today" per time zone is computed once, not once per account. */
export function createDeriver(db: Database.Database) {
  const promisesOf = db.prepare('SELECT status, installments FROM promises WHERE account_id = ?');
  const anyPromise = db.prepare('SELECT EXISTS (SELECT 1 FROM promises)').pluck();
  const habitsOf = db.prepare('SELECT best_hours AS bestHours, segment FROM contact_habits WHERE debtor_id = ?');
  const anyHabits = db.prepare('SELECT EXISTS (SELECT 1 FROM contact_habits)').pluck();
  const scores = createScores(db);
  return function deriverAt(now: Date) {
    // a first pull of accounts without promises (or scores) skips a query per account
    const noPromises = anyPromise.get() === 0;
    const noHabits = anyHabits.get() === 0;
    const noScores = !scores.any();
    const today = new Map<string, string>();
    const todayIn = (tz: string) => {
      let d = today.get(tz);
      if (d === undefined) {
        try {
          d = localDate(now, tz);
        } catch {
          d = localDate(now, 'UTC');
        }
        today.set(tz, d);
      }
      return d;
    };
    return function derive(accountId: string, s: DerivedSource): DerivedColumns {
      const dpd = daysPastDue(s.dueDate, todayIn(s.timeZone));
      const promises = noPromises
        ? []
        : (promisesOf.all(accountId) as PromiseRow[]).map((p) => ({
            status: p.status,
            installments: JSON.parse(p.installments) as PromiseInstallment[],
          }));
      // the segment the organisation's rules gave the debtor replaces the file's (docs/contact-habits.md)
      const habits =
        noHabits || !s.debtorId
          ? undefined
          : (habitsOf.get(s.debtorId) as { bestHours: string; segment: PriorityInput['segment'] } | undefined);
      const segment = habits?.segment ?? s.segment;
      const pr = prioritize(
        {
          dpd,
          balanceMinor: s.balanceMinor,
          currency: s.currency,
          segment,
          ...(habits ? { bestHours: JSON.parse(habits.bestHours) as number[] } : {}),
          status: s.status,
          callbackAt: s.callbackAt,
          lastContactAt: s.lastContactAt,
          timeZone: s.timeZone,
          promises,
          propensity: noScores ? null : scores.payProbability(accountId),
        },
        now,
      );
      return {
        debtor_name: s.debtorName,
        search_text: searchText(s.debtorName, s.nationalId, s.externalRef),
        segment,
        time_zone: s.timeZone,
        dpd,
        bucket: dpdBucket(dpd),
        priority: pr.score,
        priority_reason: JSON.stringify(pr.reason),
      };
    };
  };
}

/** Recomputes the derived columns of accounts already in the store. */
export function createDerivedRefresher(db: Database.Database) {
  const deriver = createDeriver(db);
  const select = db.prepare(`SELECT a.due_date AS dueDate, a.balance_minor AS balanceMinor, a.currency, a.status,
      a.callback_at AS callbackAt, a.last_contact_at AS lastContactAt, a.external_ref AS externalRef,
      d.name AS debtorName, d.national_id AS nationalId, d.segment, d.time_zone AS timeZone, a.debtor_id AS debtorId
    FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = ?`);
  // one UPDATE for the queue columns and the verdict: each rewrite of the row also rewrites its
  // index entries (the verdict reads the account's status and debtor, which these columns are not)
  const update = db.prepare(`UPDATE accounts SET debtor_name = ?, search_text = ?, segment = ?, time_zone = ?, dpd = ?,
      bucket = ?, priority = ?, priority_reason = ?, contactable_today = ?, not_contactable_reason = ?, contactable_judged = ?
    WHERE id = ?`);
  const contactability = createContactability(db);

  return function refresh(accountIds: Iterable<string>, now: Date): number {
    const derive = deriver(now);
    const judge = contactability(now);
    const q = quarterOf(now);
    let n = 0;
    for (const id of accountIds) {
      const r = select.get(id) as DerivedSource | undefined;
      if (!r) continue;
      const d = derive(id, r);
      const v = judge(id);
      update.run(
        d.debtor_name,
        d.search_text,
        d.segment,
        d.time_zone,
        d.dpd,
        d.bucket,
        d.priority,
        d.priority_reason,
        v.contactable_today,
        v.not_contactable_reason,
        q,
        id,
      );
      n++;
    }
    return n;
  };
}

/** The quarter hour an instant falls in: contactability is re-judged at most once per quarter. */
export const quarterOf = (now: Date) => Math.floor(now.getTime() / 900_000);

/**
 * Judges contactability for every account not yet judged in this quarter hour (new accounts from
 * a pull, and all of them as time passes: hours close, days change). Returns the accounts whose
 * verdict changed.
 */
export function createContactabilityRefresher(db: Database.Database) {
  const contactability = createContactability(db);
  const stale = db.prepare(`SELECT id, contactable_today AS c, not_contactable_reason AS r FROM accounts
    WHERE contactable_judged IS NULL OR contactable_judged <> ?`);
  const update = db.prepare(`UPDATE accounts SET contactable_today = @contactable_today,
      not_contactable_reason = @not_contactable_reason, contactable_judged = @q WHERE id = @id`);
  return function refresh(now: Date): string[] {
    const q = quarterOf(now);
    const judge = contactability(now);
    const changed: string[] = [];
    return db.transaction(() => {
      for (const row of stale.all(q) as Array<{ id: string; c: number; r: string | null }>) {
        const v = judge(row.id);
        update.run({ id: row.id, q, ...v });
        if (v.contactable_today !== row.c || v.not_contactable_reason !== row.r) changed.push(row.id);
      }
      return changed;
    })();
  };
}
