import type Database from 'better-sqlite3';
import { STATUS_FROM_DISPOSITION, type Disposition } from '../../shared/domain/enums';
import type { ParsedMutation } from '../../shared/sync/mutations';

/**
 * The optimistic local effect of each mutation: what the agent sees before the server answers.
 * Run for new local writes and again on top of every pulled page (rebase), so each effect is
 * idempotent: facts are INSERT OR IGNORE (the server's copy wins once it arrives), mutable
 * fields are plain overwrites, and a set-once outcome only fills an empty disposition.
 * Returns the account ids whose queue position may have changed.
 */
export interface MutationContext {
  agentId: string;
}

export function createMutationApplier(db: Database.Database) {
  const stmts = {
    insertActivity: db.prepare(`INSERT OR IGNORE INTO activities (id, account_id, agent_id, channel, direction,
      contact_point_id, address, disposition, note, started_at, answered_at, ended_at, duration_sec, sip_status,
      hangup_by, promise_id, manual_dial, recorded_at, version)
      VALUES (@id, @accountId, @agentId, @channel, @direction, @contactPointId, @address, @disposition, @note,
      @startedAt, @answeredAt, @endedAt, @durationSec, @sipStatus, @hangupBy, @promiseId, @manualDial, NULL, '0')`),
    touchLastContact: db.prepare(`UPDATE accounts SET last_contact_at = @at
      WHERE id = @id AND (last_contact_at IS NULL OR last_contact_at < @at)`),
    setOutcome: db.prepare(`UPDATE activities SET disposition = @disposition, note = COALESCE(@note, note),
      promise_id = COALESCE(@promiseId, promise_id) WHERE id = @activityId AND disposition IS NULL`),
    activityAccount: db.prepare('SELECT account_id FROM activities WHERE id = ?').pluck(),
    insertNote: db.prepare(`INSERT OR IGNORE INTO notes (id, account_id, author_id, body, created_at, recorded_at, version)
      VALUES (@id, @accountId, @authorId, @body, @createdAt, NULL, '0')`),
    accountCurrency: db.prepare('SELECT currency FROM accounts WHERE id = ?').pluck(),
    insertPromise: db.prepare(`INSERT OR IGNORE INTO promises (id, account_id, agent_id, channel, currency, created_at,
      status, installments, plan_id, version) VALUES (@id, @accountId, @agentId, @channel, @currency, @createdAt,
      'pending', @installments, @planId, '0')`),
    flagContactPoint: db.prepare(`UPDATE contact_points SET
      invalid = COALESCE(@invalid, invalid), verified = COALESCE(@verified, verified),
      do_not_contact = COALESCE(@doNotContact, do_not_contact) WHERE id = @contactPointId`),
    accountsOfContactPoint: db.prepare(`SELECT a.id FROM accounts a JOIN contact_points c ON c.debtor_id = a.debtor_id
      WHERE c.id = ?`).pluck(),
    setCallback: db.prepare('UPDATE accounts SET callback_at = @callbackAt, callback_note = @note WHERE id = @accountId'),
    setStatus: db.prepare('UPDATE accounts SET status = @status WHERE id = @accountId'),
    setPrefs: db.prepare('UPDATE debtors SET contact_prefs = @prefs WHERE id = @debtorId'),
    accountsOfDebtor: db.prepare('SELECT id FROM accounts WHERE debtor_id = ?').pluck(),
  };

  const bit = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);
  // the same status the server derives from an outcome (its implied-status applier), so the
  // client never queues a separate status change that could outlive a losing set-once outcome
  const impliedStatus = (accountId: string, disposition: Disposition | null) => {
    const status = disposition ? STATUS_FROM_DISPOSITION[disposition] : undefined;
    if (status) stmts.setStatus.run({ accountId, status });
  };

  return function applyMutation(m: ParsedMutation, ctx: MutationContext): string[] {
    switch (m.name) {
      case 'activity.log': {
        const a = m.args;
        // an activity for an account no longer in this store (reassigned away) stays in the outbox only
        if (stmts.accountCurrency.get(a.accountId) === undefined) return [];
        stmts.insertActivity.run({ ...a, agentId: ctx.agentId, manualDial: a.manualDial ? 1 : 0, loggedOnline: undefined });
        stmts.touchLastContact.run({ id: a.accountId, at: a.startedAt });
        impliedStatus(a.accountId, a.disposition);
        return [a.accountId];
      }
      case 'activity.setOutcome': {
        const changed = stmts.setOutcome.run(m.args).changes > 0;
        const acc = stmts.activityAccount.get(m.args.activityId) as string | undefined;
        if (acc && changed) impliedStatus(acc, m.args.disposition);
        return acc ? [acc] : [];
      }
      case 'note.add': {
        if (stmts.accountCurrency.get(m.args.accountId) === undefined) return [];
        stmts.insertNote.run({ ...m.args, authorId: ctx.agentId });
        return [m.args.accountId];
      }
      case 'promise.create': {
        const p = m.args;
        const currency = stmts.accountCurrency.get(p.accountId) as string | undefined;
        if (currency === undefined) return [];
        const installments = p.installments.map((i, n) => ({
          seq: n + 1, dueDate: i.dueDate, amountMinor: i.amountMinor, paidMinor: 0, status: 'pending',
        }));
        stmts.insertPromise.run({
          id: p.id, accountId: p.accountId, agentId: ctx.agentId, channel: p.channel, currency,
          createdAt: p.createdAt, installments: JSON.stringify(installments), planId: p.planId,
        });
        return [p.accountId];
      }
      case 'contactPoint.flag': {
        const f = m.args;
        stmts.flagContactPoint.run({
          contactPointId: f.contactPointId, invalid: bit(f.invalid), verified: bit(f.verified), doNotContact: bit(f.doNotContact),
        });
        return stmts.accountsOfContactPoint.all(f.contactPointId) as string[];
      }
      case 'account.setCallback':
        stmts.setCallback.run(m.args);
        return [m.args.accountId];
      case 'account.setStatus':
        stmts.setStatus.run(m.args);
        return [m.args.accountId];
      case 'debtor.setPreferences':
        stmts.setPrefs.run({ debtorId: m.args.debtorId, prefs: JSON.stringify(m.args.contactPrefs) });
        return stmts.accountsOfDebtor.all(m.args.debtorId) as string[];
      case 'message.send': {
        const a = m.args;
        if (stmts.accountCurrency.get(a.accountId) === undefined) return [];
        // counts as a contact at once, so a second contact offline is judged with it
        stmts.insertActivity.run({
          id: a.id, accountId: a.accountId, agentId: ctx.agentId, channel: a.channel, direction: 'outbound',
          contactPointId: a.contactPointId, address: null, disposition: 'message_sent', note: a.body, startedAt: a.createdAt,
          answeredAt: null, endedAt: null, durationSec: null, sipStatus: null, hangupBy: null, promiseId: null, manualDial: 0,
        });
        stmts.touchLastContact.run({ id: a.accountId, at: a.createdAt });
        return [a.accountId];
      }
      default:
        // a mutation with no local effect of its own (the server's answer arrives with the next pull)
        return [];
    }
  };
}
