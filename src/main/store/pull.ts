import type { Account, ContactPoint, Debtor } from '../../shared/domain/entities';
import type { PullResponse } from '../../shared/sync/protocol';
import { A, C, D, DEBTOR_COLUMNS as WIRE_DEBTOR_COLUMNS, type Snapshot } from '../../shared/sync/snapshot';
import { ACCOUNT_COLS, ACTIVITY_COLS, CONTACT_POINT_COLS, DEBTOR_COLS, NOTE_COLS, PAYMENT_COLS, PROMISE_COLS } from './columns';
import { createContactability, createContactPointsOfDebtors, UNJUDGED, type JudgedAccount } from './contactability';
import type { StoreCore } from './core';
import { createDeriver, quarterOf, type DerivedSource } from './derived';
import type { DeferredIndexes } from './indexes';
import type { Outbox } from './outbox';
import {
  accountParams,
  activityParams,
  contactPointParams,
  debtorParams,
  inColumnOrder,
  noteParams,
  paymentParams,
  promiseParams,
  upsertSql,
} from './rows';
import { createScores } from './scores';
import { reverseDigits } from './text';

interface PullDeps {
  outbox: Outbox;
  indexes: DeferredIndexes;
  afterPull: () => void;
  /** Accounts a pull judged not contactable (reported by the next refreshContactability). */
  judgedAtPull: Set<string>;
}

/**
 * Applies pulled pages: the server's rows overwrite local ones, the still-pending outbox is
 * re-applied on top (rebase), and accounts get their queue columns and verdict as they arrive.
 */
export function createPullApplier(core: StoreCore, deps: PullDeps) {
  const { db, meta } = core;
  const { outbox, indexes } = deps;
  const deriver = createDeriver(db);
  const judge = createContactability(db);
  const contactPointsOf = createContactPointsOfDebtors(db);
  const scores = createScores(db);
  const s = {
    upsertDebtor: db.prepare(upsertSql('debtors', DEBTOR_COLS)),
    upsertAccount: db.prepare(upsertSql('accounts', ACCOUNT_COLS)),
    debtorById: db.prepare(`SELECT name AS debtorName, national_id AS nationalId, segment, time_zone AS timeZone,
      country, contact_prefs AS prefs FROM debtors WHERE id = ?`),
    accountsOfDebtors: db.prepare('SELECT id FROM accounts WHERE debtor_id IN (SELECT value FROM json_each(?))').pluck(),
    upsertContactPoint: db.prepare(upsertSql('contact_points', CONTACT_POINT_COLS)),
    upsertActivity: db.prepare(upsertSql('activities', ACTIVITY_COLS)),
    upsertNote: db.prepare(upsertSql('notes', NOTE_COLS)),
    upsertPayment: db.prepare(upsertSql('payments', PAYMENT_COLS)),
    upsertPromise: db.prepare(upsertSql('promises', PROMISE_COLS)),
    debtorsWithAttempts: db
      .prepare(
        `SELECT DISTINCT a.debtor_id FROM accounts a JOIN activities t ON t.account_id = a.id
      WHERE a.debtor_id IN (SELECT value FROM json_each(?))`,
      )
      .pluck(),
    setContactable: db.prepare('UPDATE accounts SET contactable_today = ?, not_contactable_reason = ? WHERE id = ?'),
    removeAccount: db.prepare('DELETE FROM accounts WHERE id = ? RETURNING debtor_id').pluck(),
    removeFacts: ['activities', 'notes', 'payments', 'promises'].map((t) => db.prepare(`DELETE FROM ${t} WHERE account_id = ?`)),
    orphanDebtor: db.prepare(`DELETE FROM debtors WHERE id = ? AND NOT EXISTS (SELECT 1 FROM accounts WHERE debtor_id = ?)`),
    orphanContactPoints: db.prepare(`DELETE FROM contact_points WHERE debtor_id = ? AND NOT EXISTS (SELECT 1 FROM debtors WHERE id = ?)`),
    upsertHabits:
      db.prepare(`INSERT INTO contact_habits (debtor_id, best_hours, best_rate, attempts, rpc, segment, channel, computed_at, version)
      VALUES (@debtorId, @bestHours, @bestRate, @attempts, @rpc, @segment, @channel, @computedAt, @version)
      ON CONFLICT (debtor_id) DO UPDATE SET best_hours = excluded.best_hours, best_rate = excluded.best_rate, attempts = excluded.attempts,
        rpc = excluded.rpc, segment = excluded.segment, channel = excluded.channel, computed_at = excluded.computed_at, version = excluded.version`),
    orphanHabits: db.prepare(`DELETE FROM contact_habits WHERE debtor_id = ? AND NOT EXISTS (SELECT 1 FROM debtors WHERE id = ?)`),
    clearTables: ['debtors', 'accounts', 'contact_points', 'activities', 'notes', 'payments', 'promises', 'contact_habits'].map((t) =>
      db.prepare(`DELETE FROM ${t}`),
    ),
  };

  /** A debtor already in the store, in tuple form (an account whose debtor came in an earlier page). */
  function debtorTuple(debtorId: string): unknown[] | null {
    const r = s.debtorById.get(debtorId) as
      { debtorName: string; nationalId: string; segment: string; timeZone: string; country: string; prefs: string } | undefined;
    if (!r) return null;
    const t = new Array<unknown>(WIRE_DEBTOR_COLUMNS.length);
    t[D.id] = debtorId;
    t[D.name] = r.debtorName;
    t[D.nationalId] = r.nationalId;
    t[D.segment] = r.segment;
    t[D.timeZone] = r.timeZone;
    t[D.country] = r.country;
    t[D.contactPrefs] = r.prefs;
    return t;
  }

  /**
   * "Contactable today" for the accounts a page brought (those the rebase touched were judged by
   * refreshDerived): the same shared rules as refreshContactability, reading the page's account
   * and debtor fields as just stored, and the attempts query only for debtors that have any.
   */
  function judgePulled(accounts: JudgedAccount[], now: Date): string[] {
    const notVisible: string[] = [];
    if (accounts.length === 0) return notVisible;
    const debtorIds = [...new Set(accounts.map((a) => a.debtorId))];
    const withAttempts = new Set(s.debtorsWithAttempts.all(JSON.stringify(debtorIds)) as string[]);
    const cps = contactPointsOf(debtorIds);
    const judgeNow = judge(now);
    for (const a of accounts) {
      const v = judgeNow.known(a, withAttempts.has(a.debtorId), cps.get(a.debtorId));
      if (v.contactable_today !== UNJUDGED.contactable_today || v.not_contactable_reason !== UNJUDGED.not_contactable_reason) {
        s.setContactable.run(v.contactable_today, v.not_contactable_reason, a.id);
        notVisible.push(a.id);
      }
    }
    return notVisible;
  }

  /**
   * The tuples of a full-pull page (src/shared/sync/snapshot.ts), inserted as they arrive: a
   * debtor or contact point tuple is already a row of its table, an account tuple gets its queue
   * columns and its verdict appended. Judging needs the debtor's contact points (all in this
   * page) and past attempts: a debtor with none — nearly all at a first pull — is judged here,
   * before the insert, so the row is written once; the others after, by judgePulled.
   */
  function applySnapshot(
    snap: Snapshot,
    pageActivities: readonly { accountId: string }[],
    now: Date,
    out: { fresh: Set<string>; judged: JudgedAccount[]; touched: Set<string>; judgedOut: string[] },
  ): void {
    const debtors = new Map<string, unknown[]>();
    for (const d of snap.debtors) {
      s.upsertDebtor.run(d);
      debtors.set(d[D.id] as string, d);
    }
    const cps = new Map<
      string,
      Array<{ kind: ContactPoint['kind']; value: string; invalid: boolean; doNotContact: boolean; verified: boolean }>
    >();
    for (const c of snap.contactPoints) {
      const kind = c[C.kind] as ContactPoint['kind'];
      const value = c[C.value] as string;
      c.push(kind === 'phone' || kind === 'whatsapp' ? reverseDigits(value) : null);
      s.upsertContactPoint.run(c);
      const debtorId = c[C.debtorId] as string;
      let list = cps.get(debtorId);
      if (!list) cps.set(debtorId, (list = []));
      list.push({ kind, value, invalid: c[C.invalid] === 1, doNotContact: c[C.doNotContact] === 1, verified: c[C.verified] === 1 });
    }
    const debtorIds = [...debtors.keys()];
    // accounts of earlier pages whose debtor this page sends again: their queue columns follow it
    if (debtorIds.length) for (const id of s.accountsOfDebtors.all(JSON.stringify(debtorIds)) as string[]) out.touched.add(id);
    // debtors with attempts: on accounts of earlier pages, or on this page's (its activities)
    const withAttempts = new Set(debtorIds.length ? (s.debtorsWithAttempts.all(JSON.stringify(debtorIds)) as string[]) : []);
    if (pageActivities.length) {
      const attempted = new Set(pageActivities.map((t) => t.accountId));
      for (const a of snap.accounts) if (attempted.has(a[A.id] as string)) withAttempts.add(a[A.debtorId] as string);
    }
    const derive = deriver(now);
    const judgeNow = judge(now);
    const q = quarterOf(now);
    for (const a of snap.accounts) {
      const id = a[A.id] as string;
      const debtorId = a[A.debtorId] as string;
      const d = debtors.get(debtorId);
      const debtor = d ?? debtorTuple(debtorId);
      const dv = debtor
        ? {
            debtorName: debtor[D.name] as string,
            nationalId: debtor[D.nationalId] as string,
            segment: debtor[D.segment] as Debtor['segment'],
            timeZone: debtor[D.timeZone] as string,
          }
        : { debtorName: '', nationalId: '', segment: 'medium' as const, timeZone: 'UTC' };
      const dc = derive(id, {
        dueDate: a[A.dueDate] as string | null,
        balanceMinor: a[A.balanceMinor] as number,
        currency: a[A.currency] as Account['currency'],
        status: a[A.status] as Account['status'],
        callbackAt: a[A.callbackAt] as string | null,
        lastContactAt: a[A.lastContactAt] as string | null,
        externalRef: a[A.externalRef] as string,
        debtorId,
        ...dv,
      });
      let verdict = UNJUDGED;
      if (debtor) {
        const ja: JudgedAccount = {
          id,
          status: a[A.status] as Account['status'],
          debtorId,
          country: debtor[D.country] as string,
          timeZone: dv.timeZone,
          prefs: debtor[D.contactPrefs] as string,
        };
        if (withAttempts.has(debtorId) || !d) out.judged.push(ja);
        else {
          verdict = judgeNow.known(ja, false, cps.get(debtorId) ?? []);
          if (
            verdict.contactable_today !== UNJUDGED.contactable_today ||
            verdict.not_contactable_reason !== UNJUDGED.not_contactable_reason
          )
            out.judgedOut.push(id);
        }
      }
      a.push(
        dc.debtor_name,
        dc.search_text,
        dc.segment,
        dc.time_zone,
        dc.dpd,
        dc.bucket,
        dc.priority,
        dc.priority_reason,
        verdict.contactable_today,
        verdict.not_contactable_reason,
        q,
      );
      s.upsertAccount.run(a);
      out.fresh.add(id);
      out.touched.delete(id);
    }
  }

  function applyPullTx(page: PullResponse, judgedOut: string[]): string[] {
    const p = page.patch;
    const now = core.now();
    // accounts of this page get their queue columns in the same INSERT; others the page
    // affects (through their debtor, promises, payments, activities) are refreshed after
    const touched = new Set<string>();
    if (page.reset) {
      // indexes and search triggers off first: the clear then maintains none of them
      if (page.hasMore) indexes.defer();
      for (const st of s.clearTables) st.run();
      scores.clear();
    }
    const debtors = new Map<string, { d: Debtor; prefs: string }>();
    for (const d of p.debtors) {
      const row = debtorParams(d);
      s.upsertDebtor.run(inColumnOrder(DEBTOR_COLS, row));
      debtors.set(d.id, { d, prefs: row.contact_prefs });
    }
    if (debtors.size) for (const id of s.accountsOfDebtors.all(JSON.stringify([...debtors.keys()])) as string[]) touched.add(id);
    for (const c of p.contactPoints) s.upsertContactPoint.run(inColumnOrder(CONTACT_POINT_COLS, contactPointParams(c)));
    // before the accounts: their priority and segment read the debtor's habits
    const habitDebtors: string[] = [];
    for (const h of p.contactHabits ?? []) {
      s.upsertHabits.run({ ...h, bestHours: JSON.stringify(h.bestHours), channel: h.channel ? JSON.stringify(h.channel) : null });
      habitDebtors.push(h.debtorId);
    }
    if (habitDebtors.length) for (const id of s.accountsOfDebtors.all(JSON.stringify(habitDebtors)) as string[]) touched.add(id);
    for (const a of p.activities) {
      s.upsertActivity.run(inColumnOrder(ACTIVITY_COLS, activityParams(a)));
      touched.add(a.accountId);
    }
    for (const n of p.notes) s.upsertNote.run(inColumnOrder(NOTE_COLS, noteParams(n)));
    for (const x of p.payments) {
      s.upsertPayment.run(inColumnOrder(PAYMENT_COLS, paymentParams(x)));
      touched.add(x.accountId);
    }
    for (const x of p.promises) {
      s.upsertPromise.run(inColumnOrder(PROMISE_COLS, promiseParams(x)));
      touched.add(x.accountId);
    }
    // a new score moves the account in the queue (the priority reads the propensity)
    for (const x of p.scores ?? []) {
      scores.upsert(x);
      touched.add(x.accountId);
    }
    const derive = deriver(now);
    const q = quarterOf(now);
    const judged: JudgedAccount[] = [];
    const fresh = new Set<string>();
    if (page.snapshot) applySnapshot(page.snapshot, p.activities, now, { fresh, judged, touched, judgedOut });
    for (const a of p.accounts) {
      const inPage = debtors.get(a.debtorId);
      const known = inPage
        ? {
            debtorName: inPage.d.name,
            nationalId: inPage.d.nationalId,
            segment: inPage.d.segment,
            timeZone: inPage.d.timeZone,
            country: inPage.d.country,
            prefs: inPage.prefs,
          }
        : (s.debtorById.get(a.debtorId) as
            (Pick<DerivedSource, 'debtorName' | 'nationalId' | 'segment' | 'timeZone'> & { country: string; prefs: string }) | undefined);
      const dv = known ?? { debtorName: '', nationalId: '', segment: 'medium' as const, timeZone: 'UTC', country: '', prefs: '{}' };
      // stored as visible and judged now; the verdict is written below, once the page is in
      s.upsertAccount.run(
        inColumnOrder(ACCOUNT_COLS, {
          ...accountParams(a),
          ...derive(a.id, { ...a, ...dv }),
          ...UNJUDGED,
          contactable_judged: q,
        }),
      );
      // an account whose debtor the store lacks stays visible, as refreshContactability leaves it
      if (known)
        judged.push({ id: a.id, status: a.status, debtorId: a.debtorId, country: dv.country, timeZone: dv.timeZone, prefs: dv.prefs });
      touched.delete(a.id);
    }
    for (const a of p.accounts) fresh.add(a.id);
    for (const id of p.removedAccountIds) {
      const debtorId = s.removeAccount.get(id) as string | undefined;
      for (const st of s.removeFacts) st.run(id);
      scores.remove(id);
      touched.delete(id);
      fresh.delete(id);
      if (debtorId) {
        s.orphanDebtor.run(debtorId, debtorId);
        s.orphanContactPoints.run(debtorId, debtorId);
        s.orphanHabits.run(debtorId, debtorId);
      }
    }
    outbox.trim(page.lastMutationId);
    for (const id of outbox.rebase()) touched.add(id);
    core.refreshDerived(touched, now);
    judgedOut.push(
      ...judgePulled(
        judged.filter((a) => fresh.has(a.id) && !touched.has(a.id)),
        now,
      ),
    );
    if (!page.hasMore) indexes.restore(true);
    meta.set('cursor', page.cursor);
    for (const id of fresh) touched.add(id);
    return [...touched];
  }

  /**
   * Applies one pulled page in one transaction: the server's rows overwrite local ones, then the
   * still-pending outbox is re-applied on top (rebase) so the agent keeps seeing their unsent
   * edits, the outbox is trimmed by the server's lastMutationId, and the cursor advances with
   * the data it describes. Returns the account ids touched.
   */
  return function applyPull(page: PullResponse): string[] {
    core.changed();
    const judged: string[] = [];
    const fullPullEnds = !page.hasMore && indexes.deferred();
    const touched = db.transaction(() => applyPullTx(page, judged))();
    // building the indexes filled the page cache with every page of the tables: hand it back
    // (the queue reads a small part of it) to keep the main process's resident memory down
    if (fullPullEnds) db.pragma('shrink_memory');
    // reported by the next refreshContactability, like the verdicts it reaches itself
    for (const id of judged) deps.judgedAtPull.add(id);
    deps.afterPull();
    return touched;
  };
}
