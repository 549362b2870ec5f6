import { scopeFor } from '../access/visibility';
import { listOrgAudit } from '../audit/org-audit';
import { writeTransaction } from '../db/write';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { decide, listForDecider, listMine } from './approvals';
import { missedCallbacks } from './callbacks';
import { importPaymentsCsv } from './payments-import';
import { accountTrailRoute } from './payments-trail';
import { reverseVisiblePayment } from './payments';
import { loadPolicies, replacePolicies } from './policies';
import { runPromiseStatusBatch } from './status-batch';
import { ROUTES } from '../../shared/api/routes';

export const collectionsRoutes = [
  accountTrailRoute,
  defineRoute({
    ...ROUTES.collectionPolicies,
    summary: "The organisation's promise and negotiation policies (clients cache them to validate offline)",
    tags: ['collections'],
    access: 'user',
    async handler({ db, user }) {
      return loadPolicies(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveCollectionPolicies,
    summary: "Replace the organisation's collection policies",
    tags: ['collections'],
    access: ['admin'],
    async handler({ db, user, body }) {
      return replacePolicies(db, user, body);
    },
  }),
  defineRoute({
    ...ROUTES.collectionPoliciesAudit,
    summary: 'Who changed the collection policies, when, before and after (newest first)',
    tags: ['collections'],
    access: ['admin'],
    async handler({ db, user, query }) {
      return {
        entries: await listOrgAudit(db, user.orgId, ['collections.policies'], {
          limit: query.limit,
          ...(query.beforeSeq ? { beforeSeq: query.beforeSeq } : {}),
        }),
      };
    },
  }),
  defineRoute({
    ...ROUTES.importPayments,
    summary: 'Payments feed as CSV (referencia, cuenta, monto, fecha, [reversado]); idempotent by reference',
    tags: ['imports', 'payments'],
    access: ['team_lead', 'admin'],
    bodyContentType: 'text/csv',
    bodyLimit: 64 * 1024 * 1024,
    errors: [413, 415],
    async handler({ db, user, body }) {
      return importPaymentsCsv(db, await scopeFor(db, user), body, new Date());
    },
  }),
  defineRoute({
    ...ROUTES.reversePayment,
    summary: 'Reverse a payment: the balance rises again and promise allocations are recomputed without it',
    tags: ['payments'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params, body }) {
      const now = new Date();
      const r = await writeTransaction(db, user.orgId, async (tx) =>
        reverseVisiblePayment(tx, await scopeFor(tx, user), params.reference, body.reversedAt ?? now.toISOString(), now),
      );
      if (!r) throw notFound('payment');
      return r;
    },
  }),
  defineRoute({
    ...ROUTES.runPromiseStatus,
    summary: 'Run the kept / broken batch for the organisation now',
    tags: ['collections'],
    access: ['admin'],
    async handler({ db, user }) {
      return runPromiseStatusBatch(db, new Date(), user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.missedCallbacks,
    summary: 'Callbacks due 15+ minutes ago with no activity since (team lead: their team)',
    tags: ['collections'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      return { callbacks: await missedCallbacks(db, await scopeFor(db, user), new Date()) };
    },
  }),
  defineRoute({
    ...ROUTES.approvals,
    summary: 'Negotiation approval requests of the teams the caller leads',
    tags: ['approvals'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, query }) {
      return { approvals: await listForDecider(db, user, query.status) };
    },
  }),
  defineRoute({
    ...ROUTES.myApprovals,
    summary: "The caller's own approval requests changed after a version",
    tags: ['approvals'],
    access: 'user',
    async handler({ db, user, query }) {
      return { approvals: await listMine(db, user, query.since) };
    },
  }),
  defineRoute({
    ...ROUTES.decideApproval,
    summary: 'Approve (creates the promise series for the agent), reject or counter a request',
    tags: ['approvals'],
    access: ['team_lead', 'admin'],
    errors: [404, 409],
    async handler({ db, user, params, body }) {
      return writeTransaction(db, user.orgId, (tx) => decide(tx, user, params.id, body, new Date()));
    },
  }),
];
