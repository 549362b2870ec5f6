import { randomUUID } from 'node:crypto';
import { markOrgDataFetched, orgDataStale } from '../sync/org-versions';
import { z } from 'zod';
import { MyApproval, WorkstationError, type ProposeResult, type WorkstationHandlers } from '../../shared/api/contract';
import {
  CollectionPolicies,
  quoteNegotiation,
  QuoteError,
  type NegotiationProposal,
  type NegotiationQuote,
} from '../../shared/domain/collections';
import type { Account } from '../../shared/domain/entities';
import { localDate } from '../../shared/domain/time';
import { selectPromisePolicy, validatePromise, type ProposedInstallment } from '../../shared/rules/promises';
import type { LocalWrite } from '../store/store';
import { notFound } from './errors';
import { callRoute } from './route-client';
import { saveSecurity } from './lock';
import { ROUTES } from '../../shared/api/routes';
import type { UserContext } from './user-context';

/**
 * The collections side of the workstation: policies and the agent's approval requests cached in
 * the store's meta table (fetched after each successful sync), offline quotes and promise checks
 * with the same shared functions the server uses. The team lead's online-only calls are
 * pass-throughs (pass-through.ts).
 */
const POLICIES_KEY = 'collections.policies';
const APPROVALS_KEY = 'collections.approvals';
const SINCE_KEY = 'collections.approvalsSince';

type CollectionMethods = Pick<
  WorkstationHandlers,
  'quoteNegotiation' | 'proposePlan' | 'listMyApprovals' | 'markApprovalsSeen' | 'listHardship' | 'decideHardship'
>;

export interface CollectionsDeps {
  need(): UserContext;
  now(): Date;
  write(c: UserContext, writes: LocalWrite[]): string[];
  dataChanged(accountIds: string[] | null): void;
}

export function cachedPolicies(c: UserContext): CollectionPolicies | null {
  const raw = c.store.getMeta(POLICIES_KEY);
  const r = raw ? CollectionPolicies.safeParse(JSON.parse(raw)) : null;
  return r?.success ? r.data : null;
}

function cachedApprovals(c: UserContext): Record<string, MyApproval> {
  const raw = c.store.getMeta(APPROVALS_KEY);
  if (!raw) return {};
  const r = z.record(z.string(), MyApproval).safeParse(JSON.parse(raw));
  return r.success ? r.data : {};
}
function saveApprovals(c: UserContext, all: Record<string, MyApproval>): void {
  c.store.setMeta(APPROVALS_KEY, JSON.stringify(all));
}

/** Refused before queueing, with the same validatePromise the server applier runs. */
export function checkPromisePolicy(c: UserContext, account: Account, installments: ProposedInstallment[], now: Date): void {
  const policies = cachedPolicies(c);
  const policy = policies ? selectPromisePolicy(policies.promisePolicies, account.product) : null;
  if (!policy) return;
  const debtor = c.store.getDebtor(account.debtorId);
  const verdict = validatePromise(policy, account, installments, localDate(now, debtor?.timeZone ?? 'UTC'));
  if (!verdict.ok) {
    const first = verdict.errors[0]!;
    throw new WorkstationError('promise_policy', verdict.errors.map((e) => e.es).join('; '), first.field);
  }
}

/** After a successful sync: refresh policies and the agent's approval requests; returns accounts whose requests changed. */
export async function refreshCollectionsCache(c: UserContext): Promise<string[]> {
  // each only when the last pull says it changed (org-versions.ts)
  const pol = orgDataStale(c.store, 'policies');
  if (pol.stale) {
    const policies = await callRoute(c.server, ROUTES.collectionPolicies, {});
    c.store.setMeta(POLICIES_KEY, JSON.stringify(policies));
    // the security policy lives in the same organisation settings, so the same token says it changed
    saveSecurity(c, await callRoute(c.server, ROUTES.orgSecurity, {}));
    markOrgDataFetched(c.store, 'policies', pol.token);
  }
  const mine = orgDataStale(c.store, 'approvals');
  if (!mine.stale) return [];
  const since = Number(c.store.getMeta(SINCE_KEY) ?? '0');
  const { approvals } = await callRoute(c.server, ROUTES.myApprovals, { query: { since } });
  markOrgDataFetched(c.store, 'approvals', mine.token);
  if (approvals.length === 0) return [];
  const all = cachedApprovals(c);
  let max = since;
  for (const a of approvals) {
    const before = all[a.id];
    const decidedNow = a.status !== 'pending' && (!before || before.status === 'pending' || before.status !== a.status);
    all[a.id] = { ...a, local: false, unseen: decidedNow ? true : (before?.unseen ?? false) };
    max = Math.max(max, Number(a.version));
  }
  saveApprovals(c, all);
  c.store.setMeta(SINCE_KEY, String(max));
  return [...new Set(approvals.map((a) => a.accountId))];
}

export function createCollectionsHandlers(d: CollectionsDeps): CollectionMethods {
  function quote(c: UserContext, accountId: string, proposal: NegotiationProposal): { quote: NegotiationQuote; account: Account } {
    const detail = c.store.getAccount(accountId);
    if (!detail) throw notFound('account', 'accountId');
    const policies = cachedPolicies(c);
    try {
      return {
        account: detail.account,
        quote: quoteNegotiation(
          policies?.negotiationPolicy ?? null,
          {
            product: detail.account.product,
            currency: detail.account.currency,
            balanceMinor: detail.account.balanceMinor,
            principalMinor: detail.account.principalMinor,
            dpd: detail.dpd,
            preferredPaymentDay: detail.debtor.contactPrefs.preferredPaymentDay,
          },
          proposal,
        ),
      };
    } catch (e) {
      if (e instanceof QuoteError) throw new WorkstationError(e.code, e.message, e.field);
      throw e;
    }
  }

  return {
    async quoteNegotiation({ accountId, proposal }) {
      return quote(d.need(), accountId, proposal).quote;
    },

    async proposePlan({ accountId, proposal, justification }): Promise<ProposeResult> {
      const c = d.need();
      const { quote: q, account } = quote(c, accountId, proposal);
      const now = d.now();
      if (q.authority.decision === 'outside_policy') {
        throw WorkstationError.rule(
          q.authority.reasons[0]?.ruleId ?? 'negotiation.outside_policy',
          q.authority.reasons.map((r) => r.es).join('; '),
          'proposal',
        );
      }
      if (q.authority.decision === 'within_agent') {
        // the series is a promise like any other: the server applier checks the same policy
        checkPromisePolicy(c, account, q.schedule, now);
        const promiseId = randomUUID();
        d.write(c, [
          {
            name: 'promise.create',
            args: {
              id: promiseId,
              accountId,
              channel: 'call',
              createdAt: now.toISOString(),
              installments: q.schedule,
              planId: randomUUID(),
            },
          },
        ]);
        return { outcome: 'agreed', promiseId, quote: q };
      }
      // the lead decides on the agent's reasons as much as on the terms: no request without them
      const why = justification?.trim() ?? '';
      if (!why) throw new WorkstationError('validation', 'say why the debtor needs these terms', 'justification');
      const requestId = randomUUID();
      const debtor = c.store.getDebtor(account.debtorId);
      d.write(c, [
        { name: 'approval.request', args: { id: requestId, accountId, createdAt: now.toISOString(), proposal, justification: why } },
      ]);
      const all = cachedApprovals(c);
      all[requestId] = {
        id: requestId,
        accountId,
        agentId: c.session.user.id,
        agentName: c.session.user.displayName,
        debtorName: debtor?.name ?? '',
        externalRef: account.externalRef,
        currency: account.currency,
        balanceMinor: account.balanceMinor,
        proposal,
        quote: q,
        justification: why,
        status: 'pending',
        decidedBy: null,
        decidedAt: null,
        decisionReason: null,
        counterOffer: null,
        promiseId: null,
        createdAt: now.toISOString(),
        version: '0',
        local: true,
        unseen: false,
      };
      saveApprovals(c, all);
      return { outcome: 'sent_for_approval', requestId, quote: q };
    },

    async listMyApprovals({ accountId }) {
      const all = Object.values(cachedApprovals(d.need()));
      return all.filter((a) => !accountId || a.accountId === accountId).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },

    async markApprovalsSeen({ ids }) {
      const c = d.need();
      const all = cachedApprovals(c);
      const touched: string[] = [];
      for (const id of ids) {
        const a = all[id];
        if (a?.unseen) {
          all[id] = { ...a, unseen: false };
          touched.push(a.accountId);
        }
      }
      if (touched.length) {
        saveApprovals(c, all);
        d.dataChanged(touched);
      }
      return null;
    },

    async listHardship() {
      const c = d.need();
      return (await callRoute(c.server, ROUTES.hardshipList, {})).items;
    },

    async decideHardship({ accountId, hardship, reason }) {
      const c = d.need();
      await callRoute(c.server, ROUTES.decideHardship, { params: { id: accountId }, body: { hardship, reason } });
      return null;
    },
  };
}
