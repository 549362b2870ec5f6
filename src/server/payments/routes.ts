import { PaymentInput, PaymentResult } from '../../shared/api/rest';
import { findVisibleAccount, scopeFor } from '../access/visibility';
import { PAYMENT_COLUMNS, toPayment, type PaymentRow } from '../data/rows';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';

export const paymentRoutes = [
  defineRoute({
    method: 'POST', path: '/api/v1/payments',
    summary: 'Record a payment; idempotent by reference (the same reference again returns the stored payment, 200)',
    tags: ['payments'], access: ['team_lead', 'admin'], body: PaymentInput, response: PaymentResult,
    successStatus: 201, errors: [404, 409],
    async handler({ db, user, body, status }) {
      return writeTransaction(db, async (tx) => {
        const scope = await scopeFor(tx, user);
        const account = await findVisibleAccount(tx, scope, body.accountId);
        if (!account) throw notFound('account');
        if (account.currency !== body.currency) {
          throw new HttpError(400, 'invalid_request', `body.currency: the account is in ${account.currency}`, 'currency');
        }
        const [created] = await tx.query<PaymentRow>(
          `INSERT INTO payments (org_id, account_id, reference, amount_minor, currency, paid_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, reference) DO NOTHING
           RETURNING ${PAYMENT_COLUMNS.replace(/\bp\./g, '')}`,
          [user.orgId, body.accountId, body.reference, body.amountMinor, body.currency, body.paidAt],
        );
        if (created) return { payment: toPayment(created), created: true };
        const [existing] = await tx.query<PaymentRow>(
          `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.org_id = $1 AND p.reference = $2`, [user.orgId, body.reference],
        );
        if (!existing) throw new Error('payment reference conflicted but no row was found');
        if (existing.accountId !== body.accountId || existing.amountMinor !== body.amountMinor) {
          throw new HttpError(409, 'payment_reference_conflict',
            `reference ${body.reference} is already recorded for a different account or amount`, 'reference');
        }
        status(200);
        return { payment: toPayment(existing), created: false };
      });
    },
  }),
];
