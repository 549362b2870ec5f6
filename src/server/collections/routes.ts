import { z } from 'zod';
import { Id, IsoInstant, Payment } from '../../shared/domain/entities';
import {
  ApprovalDecision, ApprovalRequest, ApprovalStatus, CollectionPolicies, MissedCallback,
} from '../../shared/domain/collections';
import type { CurrencyCode } from '../../shared/domain/money';
import { scopeFor } from '../access/visibility';
import { writeTransaction } from '../db/write';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { decide, listForDecider, listMine } from './approvals';
import { missedCallbacks } from './callbacks';
import { csvAmount, csvInstant, parsePaymentsCsv } from './payments-csv';
import { recordPayment, reversePayment } from './payments';
import { loadPolicies, savePolicies } from './policies';
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
    tags: ['collections'], access: ['admin'], body: CollectionPolicies, response: CollectionPolicies,
    async handler({ db, user, body }) { await savePolicies(db, user.orgId, body); return loadPolicies(db, user.orgId); },
  }),
  defineRoute({
    method: 'POST', path: '/api/v1/imports/payments',
    summary: 'Payments feed as CSV (referencia, cuenta, monto, fecha, [reversado]); idempotent by reference',
    tags: ['imports', 'payments'], access: ['team_lead', 'admin'],
    body: z.string().min(1, 'empty file'), bodyContentType: 'text/csv', bodyLimit: 64 * 1024 * 1024,
    response: PaymentsImportReport, errors: [413, 415],
    async handler({ db, user, body }) {
      const parsed = parsePaymentsCsv(body);
      const report = { rows: parsed.rows.length + parsed.errors.filter((e) => e.row > 1).length, created: 0, duplicates: 0, reversed: 0, errors: [...parsed.errors] };
      const now = new Date();
      for (const r of parsed.rows) {
        // one transaction per row: a bad row never undoes the good ones
        await writeTransaction(db, async (tx) => {
          const [acc] = await tx.query<{ id: string; currency: CurrencyCode; timeZone: string }>(
            `SELECT a.id, a.currency, d.time_zone AS "timeZone" FROM accounts a JOIN debtors d ON d.id = a.debtor_id
             WHERE a.org_id = $1 AND a.external_ref = $2`, [user.orgId, r.accountRef],
          );
          if (!acc) { report.errors.push({ row: r.rowNumber, field: 'cuenta', message: `unknown account ${r.accountRef}` }); return; }
          const amount = csvAmount(r.amountText, acc.currency);
          if (typeof amount === 'string') { report.errors.push({ row: r.rowNumber, field: 'monto', message: amount }); return; }
          const paidAt = csvInstant(r.dateText, acc.timeZone);
          if (!paidAt) { report.errors.push({ row: r.rowNumber, field: 'fecha', message: 'not a date (YYYY-MM-DD or ISO instant)' }); return; }
          try {
            const res = await recordPayment(tx, user.orgId, { accountId: acc.id, reference: r.reference, amountMinor: amount, currency: acc.currency, paidAt }, now);
            if (res.created) report.created++; else report.duplicates++;
            if (r.reversed && (await reversePayment(tx, user.orgId, r.reference, now.toISOString(), now))?.changed) report.reversed++;
          } catch (e) {
            report.errors.push({ row: r.rowNumber, field: 'referencia', message: e instanceof Error ? e.message : String(e) });
          }
        });
      }
      report.errors.sort((a, b) => a.row - b.row);
      return report;
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
