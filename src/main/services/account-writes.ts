import { randomUUID } from 'node:crypto';
import { WorkstationError, type WorkstationHandlers } from '../../shared/api/contract';
import type { LocalWrite } from '../store/store';
import { checkPromisePolicy } from './collections';
import type { WorkstationCore } from './core';
import { refuseForbiddenContact } from './contact-compliance';
import { notFound } from './errors';

type AccountWriteMethods = 'logOutcome' | 'logCallAttempt' | 'addNote' | 'flagContactPoint' | 'setCallback' | 'setDebtorPreferences';

/** What the agent records on an account: outcomes, call attempts, notes, flags, callbacks, preferences. Local first, queued. */
export function createAccountWriteHandlers(core: WorkstationCore): Pick<WorkstationHandlers, AccountWriteMethods> {
  return {
    async logOutcome(input) {
      const c = core.need();
      const account = c.store.getAccountRow(input.accountId);
      if (!account) throw notFound('account', 'accountId');
      if (input.disposition === 'promise_to_pay' && !input.promise) {
        throw new WorkstationError('validation', 'a promise to pay needs at least one installment', 'promise');
      }
      // an outcome logged by hand is the contact itself: checked like placing it (a softphone call was checked before dialling)
      const direction = input.direction ?? 'outbound';
      if (!input.callActivityId)
        refuseForbiddenContact(input.channel, direction, () => {
          const cp = input.contactPointId ? c.store.getContactPoint(input.contactPointId) : null;
          return core.complianceFor(c, account, c.store.getDebtor(account.debtorId)!, cp, input.channel, core.now());
        });
      if (input.promise) checkPromisePolicy(c, account, input.promise.installments, core.now());
      const now = core.now().toISOString();
      const writes: LocalWrite[] = [];
      const promiseId = input.promise ? randomUUID() : null;
      if (input.promise && promiseId) {
        writes.push({
          name: 'promise.create',
          args: {
            id: promiseId,
            accountId: input.accountId,
            channel: input.channel,
            createdAt: now,
            installments: input.promise.installments,
          },
        });
      }
      let activityId: string;
      if (input.callActivityId) {
        const call = c.store.getActivity(input.callActivityId);
        if (!call || call.accountId !== input.accountId) throw notFound('call', 'callActivityId');
        activityId = call.id;
        writes.push({ name: 'activity.setOutcome', args: { activityId, disposition: input.disposition, note: input.note, promiseId } });
      } else {
        activityId = randomUUID();
        const cp = input.contactPointId ? c.store.getContactPoint(input.contactPointId) : null;
        if (input.contactPointId && !cp) throw notFound('contact point', 'contactPointId');
        writes.push({
          name: 'activity.log',
          args: {
            id: activityId,
            accountId: input.accountId,
            channel: input.channel,
            contactPointId: input.contactPointId,
            address: cp?.value ?? null,
            disposition: input.disposition,
            note: input.note,
            startedAt: now,
            promiseId,
            direction,
            manualDial: input.channel === 'call' && direction === 'outbound',
            loggedOnline: c.engine.getState().online,
          },
        });
      }
      if (input.callbackAt) {
        writes.push({ name: 'account.setCallback', args: { accountId: input.accountId, callbackAt: input.callbackAt, note: input.note } });
      }
      // the status an outcome implies (dispute, do-not-contact …) is derived from the outcome
      // itself, locally and on the server, never queued apart (docs/sync.md, set-once outcomes)
      core.write(c, writes);
      // the outcome closes the wrap-up on the live board
      c.presence.outcomeLogged();
      return { activityId, promiseId };
    },

    async logCallAttempt(input) {
      const c = core.need();
      if (c.store.getActivity(input.id)) return { activityId: input.id }; // a retry of the same attempt
      if (!c.store.getAccountRow(input.accountId)) throw notFound('account', 'accountId');
      core.write(c, [
        {
          name: 'activity.log',
          args: {
            id: input.id,
            accountId: input.accountId,
            channel: 'call',
            direction: input.direction,
            contactPointId: input.contactPointId,
            address: input.address,
            disposition: null,
            startedAt: input.startedAt,
            answeredAt: input.answeredAt,
            endedAt: input.endedAt,
            durationSec: input.durationSec,
            sipStatus: input.sipStatus,
            hangupBy: input.hangupBy,
          },
        },
      ]);
      return { activityId: input.id };
    },

    async addNote({ accountId, body }) {
      const c = core.need();
      if (!c.store.getAccountRow(accountId)) throw notFound('account', 'accountId');
      const id = randomUUID();
      core.write(c, [{ name: 'note.add', args: { id, accountId, body, createdAt: core.now().toISOString() } }]);
      return { noteId: id };
    },

    async flagContactPoint(input) {
      const c = core.need();
      if (!c.store.getContactPoint(input.contactPointId)) throw notFound('contact point', 'contactPointId');
      core.write(c, [{ name: 'contactPoint.flag', args: input }]);
      return null;
    },

    async setCallback(input) {
      const c = core.need();
      if (!c.store.getAccountRow(input.accountId)) throw notFound('account', 'accountId');
      core.write(c, [{ name: 'account.setCallback', args: input }]);
      return null;
    },

    async setDebtorPreferences(input) {
      const c = core.need();
      if (!c.store.getDebtor(input.debtorId)) throw notFound('debtor', 'debtorId');
      core.write(c, [{ name: 'debtor.setPreferences', args: input }]);
      return null;
    },
  };
}
