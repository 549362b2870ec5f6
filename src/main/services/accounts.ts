import type { WorkstationHandlers } from '../../shared/api/contract';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';
import type { WorkstationCore } from './core';
import { notFound } from './errors';
import { cachedPolicies } from './collections';
import { selectPromisePolicy } from '../../shared/rules/promises';

/** Reading the agent's portfolio from the local store: the queue, one account, their own day. */
export function createAccountHandlers(
  core: WorkstationCore,
): Pick<WorkstationHandlers, 'getMyDay' | 'listQueue' | 'getAccount' | 'findAccountByPhone'> {
  return {
    async getMyDay() {
      const c = core.need();
      // the workstation's calendar day: the agent's own working day, wherever the debtors are
      const now = core.now();
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const since = zonedTimeToUtc(localDate(now, zone), '00:00', zone).toISOString();
      return { since, ...c.store.myDay(c.session.user.id, since) };
    },

    async listQueue(query) {
      // the agent's queue offers only debtors who can still be contacted today unless asked otherwise;
      // a search looks for a specific debtor (an inbound call, a payment) and finds them all
      return core.need().store.listQueue({ ...query, contactableOnly: query.contactableOnly ?? !query.search?.trim() });
    },

    async getAccount({ accountId }) {
      const c = core.need();
      const d = c.store.getAccount(accountId);
      if (!d) throw notFound('account', 'accountId');
      // the form shows the policy's minimum before the agent types, and checks it as they submit
      return { ...d, promisePolicy: selectPromisePolicy(cachedPolicies(c)?.promisePolicies ?? [], d.account.product) };
    },

    async findAccountByPhone({ phone }) {
      return core.need().store.findAccountByPhone(phone);
    },
  };
}
