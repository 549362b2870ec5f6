import { findVisibleAccount, scopeFor } from '../access/visibility';
import { recordPayment } from '../collections/payments';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { apiActor } from '../imports/actor';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';

export const paymentRoutes = [
  defineRoute({
    ...ROUTES.recordPayment,
    summary: 'Record a payment; idempotent by reference (the same reference again returns the stored payment, 200)',
    tags: ['payments'],
    access: ['team_lead', 'admin'],
    successStatus: 201,
    errors: [404, 409],
    async handler({ db, user, body, status }) {
      return writeTransaction(db, user.orgId, async (tx) => {
        const scope = await scopeFor(tx, user);
        const account = await findVisibleAccount(tx, scope, body.accountId);
        if (!account) throw notFound('account');
        if (account.currency !== body.currency) {
          throw new HttpError(400, 'invalid_request', `body.currency: the account is in ${account.currency}`, 'currency');
        }
        // balance and promise allocation move with the payment (src/server/collections/payments.ts)
        const res = await recordPayment(tx, user.orgId, body, new Date(), apiActor(user.id));
        if (res.created) return res;
        status(200);
        return res;
      });
    },
  }),
];
