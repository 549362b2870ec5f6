import { ROUTES } from '../../shared/api/routes';
import { isDebtorVisible, scopeFor } from '../access/visibility';
import { recordOrgAudit } from '../audit/org-audit';
import { complianceNow } from '../compliance/clock';
import { notFound } from '../http/errors';
import { defineRoute, type RouteDef } from '../http/route';
import { linkForDebtor, portalConfig, revokeDebtorLinks } from './links';

/** The staff's side of the links: read or make one, end them, and the organisation's settings. */
export const portalLinkRoutes: RouteDef[] = [
  defineRoute({
    ...ROUTES.debtorPortalLink,
    summary: "The debtor's live self-service link (made when none lives); agents of the debtor, their lead, admins",
    tags: ['self-service'],
    access: ['agent', 'team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params }) {
      if (!(await isDebtorVisible(db, await scopeFor(db, user), params.id))) throw notFound('debtor');
      const link = await linkForDebtor(db, user.orgId, params.id, complianceNow(), user.id);
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    },
  }),
  defineRoute({
    ...ROUTES.revokeDebtorPortalLink,
    summary: 'Ends every live self-service link of the debtor (audited); the next message carries a new one',
    tags: ['self-service'],
    access: ['agent', 'team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params }) {
      if (!(await isDebtorVisible(db, await scopeFor(db, user), params.id))) throw notFound('debtor');
      return db.transaction(async (tx) => {
        const revoked = await revokeDebtorLinks(tx, user.orgId, params.id, user.id, complianceNow());
        await recordOrgAudit(tx, {
          orgId: user.orgId,
          actorId: user.id,
          action: 'debtor.portal_link_revoked',
          before: { debtorId: params.id },
          after: { revoked },
        });
        return { revoked };
      });
    },
  }),
  defineRoute({
    ...ROUTES.orgPortalConfig,
    summary: "The organisation's self-service settings: base address, identity check, link lifetime",
    tags: ['self-service'],
    access: ['admin'],
    async handler({ db, user }) {
      return portalConfig(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveOrgPortalConfig,
    summary: "Replaces the organisation's self-service settings (audited)",
    tags: ['self-service'],
    access: ['admin'],
    async handler({ db, user, body }) {
      return db.transaction(async (tx) => {
        const before = await portalConfig(tx, user.orgId);
        await tx.query(
          `INSERT INTO org_portal_config (org_id, base_url, identity, link_days, updated_by) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (org_id) DO UPDATE SET base_url = $2, identity = $3, link_days = $4, updated_by = $5, updated_at = now()`,
          [user.orgId, body.baseUrl, body.identity, body.linkDays, user.id],
        );
        await recordOrgAudit(tx, { orgId: user.orgId, actorId: user.id, action: 'org.portal', before, after: body });
        return body;
      });
    },
  }),
];
