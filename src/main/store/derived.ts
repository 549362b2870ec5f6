import type Database from 'better-sqlite3';
import { dpdBucket } from '../../shared/domain/enums';
import { PromiseInstallment } from '../../shared/domain/entities';
import { daysPastDue, localDate } from '../../shared/domain/time';
import { prioritize, type PriorityInput } from '../../shared/rules/priority';
import { searchText } from './rows';

/**
 * Keeps the queue columns of accounts (debtor name, search text, dpd, bucket, priority) in step
 * with the rows they derive from. Called for every account a write or a pulled page touched,
 * and for all accounts when a debtor's calendar day changes or a callback falls due.
 */
export function createDerivedRefresher(db: Database.Database) {
  const select = db.prepare(`SELECT a.id, a.due_date, a.balance_minor, a.currency, a.status, a.callback_at,
      a.last_contact_at, a.external_ref, d.name, d.national_id, d.segment, d.time_zone
    FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = ?`);
  const promisesOf = db.prepare('SELECT status, installments FROM promises WHERE account_id = ?');
  const update = db.prepare(`UPDATE accounts SET debtor_name = @name, search_text = @searchText, segment = @segment,
      time_zone = @timeZone, dpd = @dpd, bucket = @bucket, priority = @priority, priority_reason = @reason
    WHERE id = @id`);

  interface Joined {
    id: string; due_date: string | null; balance_minor: number; currency: PriorityInput['currency'];
    status: PriorityInput['status']; callback_at: string | null; last_contact_at: string | null;
    external_ref: string; name: string; national_id: string; segment: PriorityInput['segment']; time_zone: string;
  }

  return function refresh(accountIds: Iterable<string>, now: Date): number {
    const today = new Map<string, string>();
    const todayIn = (tz: string) => {
      let d = today.get(tz);
      if (d === undefined) {
        try { d = localDate(now, tz); } catch { d = localDate(now, 'UTC'); }
        today.set(tz, d);
      }
      return d;
    };
    let n = 0;
    for (const id of accountIds) {
      const r = select.get(id) as Joined | undefined;
      if (!r) continue;
      const dpd = daysPastDue(r.due_date, todayIn(r.time_zone));
      const promises = (promisesOf.all(id) as Array<{ status: PriorityInput['promises'][number]['status']; installments: string }>)
        .map((p) => ({ status: p.status, installments: PromiseInstallment.array().parse(JSON.parse(p.installments)) }));
      const pr = prioritize({
        dpd, balanceMinor: r.balance_minor, currency: r.currency, segment: r.segment, status: r.status,
        callbackAt: r.callback_at, lastContactAt: r.last_contact_at, timeZone: r.time_zone, promises,
      }, now);
      update.run({
        id, name: r.name, searchText: searchText(r.name, r.national_id, r.external_ref), segment: r.segment,
        timeZone: r.time_zone, dpd, bucket: dpdBucket(dpd), priority: pr.score, reason: JSON.stringify(pr.reason),
      });
      n++;
    }
    return n;
  };
}
