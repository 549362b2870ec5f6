import { z } from 'zod';
import { Id, IsoInstant, Payment } from '../../shared/domain/entities';
import {
  ApprovalDecision, ApprovalRequest, ApprovalStatus, CollectionPolicies, CollectionPoliciesReplacement, MissedCallback,
} from '../../shared/domain/collections';
import { scopeFor } from '../access/visibility';
import { listOrgAudit, OrgAuditEntry } from '../audit/org-audit';
import { writeTransaction } from '../db/write';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { decide, listForDecider, listMine } from './approvals';
import { missedCallbacks } from './callbacks';
import { importPaymentsCsv } from './payments-import';
import { reversePayment } from './payments';
import { loadPolicies, replacePolicies } from './policies';
import { runPromiseStatusBatch } from './status-batch';

export const PaymentsImportReport = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  duplicates: z.number().int(),
  reversed: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
});

export const collectionsRoutes = [
  defineRoute({
    method: 'GET', path: '/api/v1/collections/policies',
    summary: "The organisation's promise and negotiation policies (clients cache them to validate offline)",
    tags: ['collections'], access: 'user', response: CollectionPolicies,
    async handler({ db, user }) { return loadPolicies(db, user.orgId); },
  }),
  defineRoute({
    method: 'PUT', path: '/api/v1/collections/policies', summary: "Replace the organisation's collection policies",
    tags: ['collections'], access: ['admin'], body: CollectionPoliciesReplacement, response: CollectionPolicies,
    async handler({ db, user, body }) { return replacePolicies(db, user, body); },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/collections/policies/audit', summary: 'Who changed the collection policies, when, before and after (newest first)',
    tags: ['collections'], access: ['admin'],
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), beforeSeq: z.coerce.number().int().positive().optional() }),
    response: z.object({ entries: z.array(OrgAuditEntry) }),
    async handler({ db, user, query }) {
      return { entries: await listOrgAudit(db, user.orgId, ['collections.policies'], { limit: query.limit, ...(query.beforeSeq ? { beforeSeq: query.beforeSeq } : {}) }) };
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/imports/payments',
    summary: 'Payments feed as CSV (referencia, cuenta, monto, fecha, [reversado]); idempotent by reference',
    tags: ['imports', 'payments'], access: ['team_lead', 'admin'],
    body: z.string().min(1, 'empty file'), bodyContentType: 'text/csv', bodyLimit: 64 * 1024 * 1024,
    response: PaymentsImportReport, errors: [413, 415],
    async handler({ db, user, body }) {
      return importPaymentsCsv(db, user.orgId, body, new Date());
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/payments/:reference/reverse',
    summary: 'Reverse a payment: the balance rises again and promise allocations are recomputed without it',
    tags: ['payments'], access: ['team_lead', 'admin'],
    params: z.object({ reference: z.string().min(1) }), body: z.object({ reversedAt: IsoInstant.optional() }).default({}),
    response: z.object({ payment: Payment, changed: z.boolean() }), errors: [404],
    async handler({ db, user, params, body }) {
      const now = new Date();
      const r = await writeTransaction(db, (tx) => reversePayment(tx, user.orgId, params.reference, body.reversedAt ?? now.toISOString(), now));
      if (!r) throw notFound('payment');
      return r;
    },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/collections/promise-status/run',
    summary: 'Run the kept / broken batch for the organisation now', tags: ['collections'], access: ['admin'],
    response: z.object({ accounts: z.number().int(), changed: z.number().int(), broken: z.number().int() }),
    async handler({ db, user }) { return runPromiseStatusBatch(db, new Date(), user.orgId); },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/collections/missed-callbacks',
    summary: 'Callbacks due 15+ minutes ago with no activity since (team lead: their team)', tags: ['collections'],
    access: ['team_lead', 'admin'], response: z.object({ callbacks: z.array(MissedCallback) }),
    async handler({ db, user }) { return { callbacks: await missedCallbacks(db, await scopeFor(db, user), new Date()) }; },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/approvals', summary: "Negotiation approval requests of the teams the caller leads",
    tags: ['approvals'], access: ['team_lead', 'admin'], query: z.object({ status: ApprovalStatus.optional() }),
    response: z.object({ approvals: z.array(ApprovalRequest) }),
    async handler({ db, user, query }) { return { approvals: await listForDecider(db, user, query.status) }; },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/approvals/mine', summary: "The caller's own approval requests changed after a version",
    tags: ['approvals'], access: 'user', query: z.object({ since: z.coerce.number().int().nonnegative().default(0) }),
    response: z.object({ approvals: z.array(ApprovalRequest) }),
    async handler({ db, user, query }) { return { approvals: await listMine(db, user, query.since) }; },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/approvals/:id/decide',
    summary: 'Approve (creates the promise series for the agent), reject or counter a request', tags: ['approvals'],
    access: ['team_lead', 'admin'], params: z.object({ id: Id }), body: ApprovalDecision, response: ApprovalRequest, errors: [404, 409],
    async handler({ db, user, params, body }) { return writeTransaction(db, (tx) => decide(tx, user, params.id, body, new Date())); },
  }),
];
