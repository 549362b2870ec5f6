import { hourOfWeek } from '../../shared/rules/contact-habits';
import { RECENT_CONTACT_HOURS } from '../../shared/rules/priority';
import type { StoreCore } from './core';
import { createContactabilityRefresher } from './derived';

/** Queue columns that move with time alone: dpd and priority as days change, verdicts as hours close. */
export function createUpkeep(core: StoreCore, judgedAtPull: Set<string>) {
  const { db, meta } = core;
  const contactability = createContactabilityRefresher(db);
  const s = {
    allAccountIds: db.prepare('SELECT id FROM accounts').pluck(),
    accountIdsInZone: db.prepare('SELECT id FROM accounts WHERE time_zone = ?').pluck(),
    zones: db.prepare('SELECT DISTINCT time_zone FROM accounts').pluck(),
    dueCallbacks: db
      .prepare(
        `SELECT id FROM accounts WHERE callback_at IS NOT NULL AND callback_at <= ?
      AND priority_reason NOT LIKE '{"code":"callback_due"%'`,
      )
      .pluck(),
    // "recently contacted" sinks an account for a while (see rules/priority); lift it when that ends
    // the best hour (contact_habits) starts or ends as the debtor's wall clock turns the hour
    bestHourTurned: db
      .prepare(
        `SELECT a.id FROM accounts a JOIN contact_habits h ON h.debtor_id = a.debtor_id
      WHERE a.time_zone = @zone AND (a.priority_reason LIKE '{"code":"best_hour"%')
        <> EXISTS (SELECT 1 FROM json_each(h.best_hours) WHERE value = @how)`,
      )
      .pluck(),
    contactAged: db
      .prepare(
        `SELECT id FROM accounts WHERE priority_reason LIKE '{"code":"recently_contacted"%'
      AND last_contact_at <= ?`,
      )
      .pluck(),
  };

  return {
    /**
     * Recomputes dpd and priority where time moved them: every account whose debtor's calendar
     * day changed since the last refresh, and every account whose callback has fallen due.
     */
    refreshForTime(): string[] {
      const now = core.now();
      const seen = meta.json<Record<string, string>>('zoneDates', {});
      const next: Record<string, string> = {};
      const touched = new Set<string>();
      core.changed();
      return db.transaction(() => {
        for (const tz of s.zones.all() as string[]) {
          let today: string;
          try {
            today = new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(now);
          } catch {
            continue;
          }
          next[tz] = today;
          if (seen[tz] !== today) for (const id of s.accountIdsInZone.all(tz) as string[]) touched.add(id);
          for (const id of s.bestHourTurned.all({ zone: tz, how: hourOfWeek(now.getTime(), tz) }) as string[]) touched.add(id);
        }
        for (const id of s.dueCallbacks.all(now.toISOString()) as string[]) touched.add(id);
        const aged = new Date(now.getTime() - RECENT_CONTACT_HOURS * 3_600_000).toISOString();
        for (const id of s.contactAged.all(aged) as string[]) touched.add(id);
        core.refreshDerived(touched, now);
        meta.set('zoneDates', JSON.stringify(next));
        return [...touched];
      })();
    },

    /**
     * Judges "contactable today" (the queue's compliance filter) for accounts not judged in this
     * quarter hour: new accounts after a pull, and every account as hours close and days change.
     * Returns the accounts whose verdict changed.
     */
    refreshContactability(): string[] {
      const changed = contactability(core.now());
      if (changed.length) core.changed();
      if (judgedAtPull.size === 0) return changed;
      const all = [...new Set([...judgedAtPull, ...changed])];
      judgedAtPull.clear();
      return all;
    },

    recomputeAll(): number {
      core.changed();
      return db.transaction(() => core.refreshDerived(s.allAccountIds.all() as string[], core.now()))();
    },
  };
}
