import type { z } from 'zod';
import { createScores } from './scores';
import type { AccountDetail, QueuePage } from '../../shared/api/contract';
import type { ContactHabits } from '../../shared/rules/contact-habits';
import { QueueQuery } from '../../shared/api/contract';
import type { ContactPoint, Debtor, Account } from '../../shared/domain/entities';
import { RIGHT_PARTY_DISPOSITIONS, type Channel, type Disposition } from '../../shared/domain/enums';
import type { MyDay } from '../../shared/reports/activity';
import type { ContactAttempt } from '../../shared/rules/compliance';
import type { StoreCore } from './core';
import type { Outbox } from './outbox';
import { createQueueReader } from './queue';
import { accountFromRow, activityFromRow, contactPointFromRow, debtorFromRow, noteFromRow, paymentFromRow, promiseFromRow } from './rows';
import { reverseDigits } from './text';
import { phoneTails } from '../../shared/domain/search';
import { MESSAGE_CHANNELS, sqlList } from '../../shared/domain/channels';

/** The message channels as an SQL list (constants, never input). */
const MESSAGE_SQL = sqlList(MESSAGE_CHANNELS);

type Row = Record<string, unknown>;

/** What the screens read from the store. */
export function createReads(core: StoreCore, outbox: Outbox, generation: () => number) {
  const { db } = core;
  const queue = createQueueReader(db, generation);
  const scores = createScores(db);
  const s = {
    account: db.prepare('SELECT * FROM accounts WHERE id = ?'),
    debtor: db.prepare('SELECT * FROM debtors WHERE id = ?'),
    contactPoints: db.prepare('SELECT * FROM contact_points WHERE debtor_id = ? ORDER BY kind, id'),
    contactPoint: db.prepare('SELECT * FROM contact_points WHERE id = ?'),
    activities: db.prepare('SELECT * FROM activities WHERE account_id = ? ORDER BY started_at DESC, id'),
    activity: db.prepare('SELECT * FROM activities WHERE id = ?'),
    notes: db.prepare('SELECT * FROM notes WHERE account_id = ? ORDER BY created_at DESC, id'),
    payments: db.prepare('SELECT * FROM payments WHERE account_id = ? ORDER BY paid_at DESC, id'),
    promises: db.prepare('SELECT * FROM promises WHERE account_id = ? ORDER BY created_at DESC, id'),
    siblings: db.prepare('SELECT id FROM accounts WHERE debtor_id = ? AND id <> ? ORDER BY id').pluck(),
    habits: db.prepare(`SELECT debtor_id AS debtorId, best_hours AS bestHours, best_rate AS bestRate, attempts, rpc, segment, channel,
      computed_at AS computedAt, version FROM contact_habits WHERE debtor_id = ?`),
    byPhone: db.prepare(`SELECT a.id, a.debtor_name FROM contact_points c JOIN accounts a ON a.debtor_id = c.debtor_id
      WHERE c.digits_rev >= ? AND c.digits_rev < ? ORDER BY a.priority DESC, a.id LIMIT 1`),
    debtorAttempts: db.prepare(`SELECT t.account_id, t.agent_id, t.channel, t.direction, t.started_at, t.disposition FROM activities t
      JOIN accounts a ON a.id = t.account_id WHERE a.debtor_id = ?
        -- a message the server refused to send (recorded without disposition) never reached the debtor
        AND NOT (t.channel IN (${MESSAGE_SQL}) AND t.disposition IS NULL AND t.recorded_at IS NOT NULL)
      ORDER BY t.started_at`),
    callbacksDue: db.prepare(`SELECT id AS accountId, debtor_name AS debtorName, callback_at AS callbackAt FROM accounts
      WHERE callback_at IS NOT NULL AND callback_at > ? AND callback_at <= ? ORDER BY callback_at`),
    // rowid grows with every row a pull inserts: "replies that arrived since" without a clock
    repliesAfter: db.prepare(`SELECT t.rowid AS seq, t.account_id AS accountId, a.debtor_name AS debtorName, t.channel FROM activities t
      JOIN accounts a ON a.id = t.account_id
      WHERE t.rowid > ? AND t.direction = 'inbound' AND t.channel IN (${MESSAGE_SQL}) AND t.agent_id = ? ORDER BY t.rowid`),
    lastActivitySeq: db.prepare('SELECT coalesce(max(rowid), 0) FROM activities').pluck(),
  };

  return {
    /** The agent's own attempts and promises since `since` (ISO instant), local writes included. */
    myDay(agentId: string, since: string): Omit<MyDay, 'since'> {
      const rpc = [...RIGHT_PARTY_DISPOSITIONS];
      const a = db
        .prepare(
          `SELECT
          count(*) FILTER (WHERE channel = 'call') AS calls,
          count(*) FILTER (WHERE channel IN (${MESSAGE_SQL}) AND disposition IS NOT NULL) AS messages,
          count(*) FILTER (WHERE channel = 'visit') AS visits,
          count(*) FILTER (WHERE disposition IN (${rpc.map(() => '?').join(', ')})) AS rpc
        FROM activities WHERE agent_id = ? AND started_at >= ?`,
        )
        .get(...rpc, agentId, since) as { calls: number; messages: number; visits: number; rpc: number };
      const promised = db
        .prepare(
          `SELECT p.currency, sum(json_extract(i.value, '$.amountMinor')) AS amount, count(DISTINCT p.id) AS n
        FROM promises p, json_each(p.installments) i
        WHERE p.agent_id = ? AND p.created_at >= ? AND p.status <> 'cancelled' GROUP BY p.currency ORDER BY p.currency`,
        )
        .all(agentId, since) as Array<{ currency: string; amount: number; n: number }>;
      return {
        calls: a.calls,
        messages: a.messages,
        visits: a.visits,
        rightPartyContacts: a.rpc,
        promisesMade: promised.reduce((n, r) => n + r.n, 0),
        promised: promised.map((r) => ({ currency: r.currency, amountMinor: r.amount })),
      };
    },

    listQueue(query: z.input<typeof QueueQuery>): QueuePage {
      return queue(QueueQuery.parse(query));
    },

    getAccount(accountId: string): AccountDetail | null {
      const habitsOf = (debtorId: string): ContactHabits | null => {
        const h = s.habits.get(debtorId) as
          (Omit<ContactHabits, 'bestHours' | 'channel'> & { bestHours: string; channel: string | null }) | undefined;
        return h ? { ...h, bestHours: JSON.parse(h.bestHours) as number[], channel: h.channel ? JSON.parse(h.channel) : null } : null;
      };
      const row = s.account.get(accountId) as Row | undefined;
      if (!row) return null;
      const account = accountFromRow(row);
      const debtorRow = s.debtor.get(account.debtorId) as Row | undefined;
      if (!debtorRow) return null;
      const activities = (s.activities.all(accountId) as Row[]).map(activityFromRow);
      const notes = (s.notes.all(accountId) as Row[]).map(noteFromRow);
      const pendingIds = new Set(outbox.pendingWrittenIds());
      return {
        account,
        debtor: debtorFromRow(debtorRow),
        contactPoints: (s.contactPoints.all(account.debtorId) as Row[]).map(contactPointFromRow),
        activities,
        notes,
        payments: (s.payments.all(accountId) as Row[]).map(paymentFromRow),
        promises: (s.promises.all(accountId) as Row[]).map(promiseFromRow),
        siblingAccountIds: s.siblings.all(account.debtorId, accountId) as string[],
        dpd: Number(row.dpd),
        pendingActivityIds: [...activities.map((a) => a.id), ...notes.map((n) => n.id)].filter((id) => pendingIds.has(id)),
        habits: habitsOf(account.debtorId),
        score: scores.get(accountId),
      };
    },

    getAccountRow(accountId: string): Account | null {
      const row = s.account.get(accountId) as Row | undefined;
      return row ? accountFromRow(row) : null;
    },
    getDebtor(debtorId: string): Debtor | null {
      const row = s.debtor.get(debtorId) as Row | undefined;
      return row ? debtorFromRow(row) : null;
    },
    getContactPoint(id: string): ContactPoint | null {
      const row = s.contactPoint.get(id) as Row | undefined;
      return row ? contactPointFromRow(row) : null;
    },
    getActivity(id: string) {
      const row = s.activity.get(id) as Row | undefined;
      return row ? activityFromRow(row) : null;
    },

    /**
     * The account a caller's number belongs to: the last 7+ digits are enough, with or without
     * country code (the shared phoneTails, as the queue's search reads a typed number).
     */
    findAccountByPhone(phone: string): { accountId: string; debtorName: string } | null {
      for (const tail of phoneTails(phone)) {
        const rev = reverseDigits(tail).slice(0, 10);
        const r = s.byPhone.get(rev, `${rev}:`) as { id: string; debtor_name: string } | undefined;
        if (r) return { accountId: r.id, debtorName: r.debtor_name };
      }
      return null;
    },

    /** Every attempt on a debtor this store knows of, unsynced ones included, for the compliance check. */
    attemptsOnDebtor(debtorId: string): ContactAttempt[] {
      return (
        s.debtorAttempts.all(debtorId) as Array<{
          account_id: string;
          agent_id: string | null;
          channel: Channel;
          direction: 'outbound' | 'inbound';
          started_at: string;
          disposition: Disposition | null;
        }>
      ).map((r) => ({
        accountId: r.account_id,
        agentId: r.agent_id,
        debtorId,
        channel: r.channel,
        direction: r.direction,
        at: r.started_at,
        conversation: r.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(r.disposition),
      }));
    },

    /** Debtors' replies (inbound messages) to this agent that the store received after `seq`. */
    repliesAfter(seq: number, agentId: string): Array<{ seq: number; accountId: string; debtorName: string; channel: string }> {
      return s.repliesAfter.all(seq, agentId) as Array<{ seq: number; accountId: string; debtorName: string; channel: string }>;
    },
    lastActivitySeq(): number {
      return Number(s.lastActivitySeq.get());
    },

    /** Callbacks whose time fell in (from, to]: what a desktop notification announces. */
    callbacksDueBetween(from: string, to: string): Array<{ accountId: string; debtorName: string; callbackAt: string }> {
      return s.callbacksDue.all(from, to) as Array<{ accountId: string; debtorName: string; callbackAt: string }>;
    },
  };
}
