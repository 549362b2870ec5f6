import type Database from 'better-sqlite3-multiple-ciphers';
import { STATUS_FROM_DISPOSITION, type Disposition } from '../../shared/domain/enums';
import type { MutationArgs, MutationName, ParsedMutation } from '../../shared/sync/mutations';

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

type LocalApplier<N extends MutationName> = (args: MutationArgs<N>, ctx: MutationContext) => string[];
export type MutationApplier = (m: ParsedMutation, ctx: MutationContext) => string[];

export function createMutationApplier(db: Database.Database): MutationApplier {
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
    accountsOfContactPoint: db
      .prepare(
        `SELECT a.id FROM accounts a JOIN contact_points c ON c.debtor_id = a.debtor_id
      WHERE c.id = ?`,
      )
      .pluck(),
    setCallback: db.prepare('UPDATE accounts SET callback_at = @callbackAt, callback_note = @note WHERE id = @accountId'),
    setStatus: db.prepare('UPDATE accounts SET status = @status WHERE id = @accountId'),
    // the debtor's refusals of channels stay as the server sent them: an agent's edit never lifts
    // one (the server keeps them too, src/server/sync/appliers/debtor-set-preferences.ts)
    setPrefs: db.prepare(
      `UPDATE debtors SET contact_prefs = json_patch(@prefs, json_object(
         'refusedChannels', json(coalesce(json_extract(contact_prefs, '$.refusedChannels'), 'null')),
         'refusedByReply', json(coalesce(json_extract(contact_prefs, '$.refusedByReply'), 'null'))))
       WHERE id = @debtorId`,
    ),
    accountsOfDebtor: db.prepare('SELECT id FROM accounts WHERE debtor_id = ?').pluck(),
    // a contact counts for every account of the debtor where the rules count per debtor, so all
    // of them are judged again (their "contactable today" may change with it)
    sameDebtor: db.prepare('SELECT b.id FROM accounts a JOIN accounts b ON b.debtor_id = a.debtor_id WHERE a.id = ?').pluck(),
    // the device's own receipts (store migration 0011): kept whatever the pull says
    insertReceipt: db.prepare(`INSERT OR IGNORE INTO receipts (id, number, block_id, account_id, method, transfer_reference,
      amount_minor, currency, issued_at, day, code) VALUES (@id, @number, @blockId, @accountId, @method, @transferReference,
      @amountMinor, @currency, @issuedAt, @day, @code)`),
    voidReceipt: db.prepare('UPDATE receipts SET voided_at = @voidedAt, void_reason = @reason WHERE id = @receiptId AND voided_at IS NULL'),
    receiptAccount: db.prepare('SELECT account_id FROM receipts WHERE id = ?').pluck(),
  };

  const bit = (v: boolean | undefined) => (v === undefined ? null : v ? 1 : 0);
  // the same status the server derives from an outcome (its implied-status applier), so the
  // client never queues a separate status change that could outlive a losing set-once outcome
  const impliedStatus = (accountId: string, disposition: Disposition | null) => {
    const status = disposition ? STATUS_FROM_DISPOSITION[disposition] : undefined;
    if (status) stmts.setStatus.run({ accountId, status });
  };

  /**
   * One local effect per mutation name, as the server's appliers/index.ts: the type makes a new
   * mutation without a client applier a compile error instead of a silent no-op.
   */
  const appliers: { [N in MutationName]: LocalApplier<N> } = {
    'activity.log': (a, ctx) => {
      // an activity for an account no longer in this store (reassigned away) stays in the outbox only
      if (stmts.accountCurrency.get(a.accountId) === undefined) return [];
      stmts.insertActivity.run({ ...a, agentId: ctx.agentId, manualDial: a.manualDial ? 1 : 0, loggedOnline: undefined });
      stmts.touchLastContact.run({ id: a.accountId, at: a.startedAt });
      impliedStatus(a.accountId, a.disposition);
      return stmts.sameDebtor.all(a.accountId) as string[];
    },
    'activity.setOutcome': (a) => {
      const changed = stmts.setOutcome.run(a).changes > 0;
      const acc = stmts.activityAccount.get(a.activityId) as string | undefined;
      if (acc && changed) impliedStatus(acc, a.disposition);
      return acc ? [acc] : [];
    },
    'note.add': (a, ctx) => {
      if (stmts.accountCurrency.get(a.accountId) === undefined) return [];
      stmts.insertNote.run({ ...a, authorId: ctx.agentId });
      return [a.accountId];
    },
    'promise.create': (p, ctx) => {
      const currency = stmts.accountCurrency.get(p.accountId) as string | undefined;
      if (currency === undefined) return [];
      const installments = p.installments.map((i, n) => ({
        seq: n + 1,
        dueDate: i.dueDate,
        amountMinor: i.amountMinor,
        paidMinor: 0,
        status: 'pending',
      }));
      stmts.insertPromise.run({
        id: p.id,
        accountId: p.accountId,
        agentId: ctx.agentId,
        channel: p.channel,
        currency,
        createdAt: p.createdAt,
        installments: JSON.stringify(installments),
        planId: p.planId,
      });
      return [p.accountId];
    },
    'contactPoint.flag': (f) => {
      stmts.flagContactPoint.run({
        contactPointId: f.contactPointId,
        invalid: bit(f.invalid),
        verified: bit(f.verified),
        doNotContact: bit(f.doNotContact),
      });
      return stmts.accountsOfContactPoint.all(f.contactPointId) as string[];
    },
    'account.setCallback': (a) => {
      stmts.setCallback.run(a);
      return [a.accountId];
    },
    'account.setStatus': (a) => {
      stmts.setStatus.run(a);
      return [a.accountId];
    },
    'debtor.setPreferences': (a) => {
      stmts.setPrefs.run({ debtorId: a.debtorId, prefs: JSON.stringify(a.contactPrefs) });
      return stmts.accountsOfDebtor.all(a.debtorId) as string[];
    },
    // no local effect of its own: the server's answer arrives with the next pull
    'approval.request': () => [],
    'message.send': (a, ctx) => {
      if (stmts.accountCurrency.get(a.accountId) === undefined) return [];
      // counts as a contact at once, so a second contact offline is judged with it
      stmts.insertActivity.run({
        id: a.id,
        accountId: a.accountId,
        agentId: ctx.agentId,
        channel: a.channel,
        direction: 'outbound',
        contactPointId: a.contactPointId,
        address: null,
        disposition: 'message_sent',
        note: a.body,
        startedAt: a.createdAt,
        answeredAt: null,
        endedAt: null,
        durationSec: null,
        sipStatus: null,
        hangupBy: null,
        promiseId: null,
        manualDial: 0,
      });
      stmts.touchLastContact.run({ id: a.accountId, at: a.createdAt });
      return stmts.sameDebtor.all(a.accountId) as string[];
    },
    // the payment itself arrives with the pull once the server recorded it (balance, promises)
    'receipt.issue': (a) => {
      stmts.insertReceipt.run(a);
      return [a.accountId];
    },
    'receipt.void': (a) => {
      stmts.voidReceipt.run(a);
      const acc = stmts.receiptAccount.get(a.receiptId) as string | undefined;
      return acc ? [acc] : [];
    },
  };

  return function applyMutation(m, ctx) {
    return (appliers[m.name] as LocalApplier<typeof m.name>)(m.args as never, ctx);
  };
}
