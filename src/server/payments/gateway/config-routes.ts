import { ROUTES } from '../../../shared/api/routes';
import { recordOrgAudit } from '../../audit/org-audit';
import { defineRoute } from '../../http/route';
import { notFound } from '../../http/errors';
import { paymentConfigForOrg, paymentViewOf, saveOrgPaymentConfig } from './org-config';

/** The organisation's payment gateway account: administrators only; secrets are write-only. */
export const paymentConfigRoutes = [
  defineRoute({
    ...ROUTES.orgPaymentConfig,
    summary: "The organisation's payment gateway account (secrets only say whether they are set) and its notification URL",
    tags: ['payments'],
    access: ['admin'],
    async handler({ db, user }) {
      const c = await paymentConfigForOrg(db, user.orgId);
      if (!c) throw notFound('organization');
      return paymentViewOf(c);
    },
  }),
  defineRoute({
    ...ROUTES.saveOrgPaymentConfig,
    summary: "Replaces the organisation's payment gateway account (access token, webhook secret, API address)",
    tags: ['payments'],
    access: ['admin'],
    errors: [400],
    async handler({ db, user, body }) {
      return db.transaction(async (tx) => {
        const before = await paymentConfigForOrg(tx, user.orgId);
        if (!before) throw notFound('organization');
        await saveOrgPaymentConfig(tx, user.orgId, user.id, body);
        const after = (await paymentConfigForOrg(tx, user.orgId))!;
        // what changed, never the secrets themselves
        await recordOrgAudit(tx, {
          orgId: user.orgId,
          actorId: user.id,
          action: 'org.payment_gateway_set',
          before: paymentViewOf(before),
          after: paymentViewOf(after),
        });
        return paymentViewOf(after);
      });
    },
  }),
];
