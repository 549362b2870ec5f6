import type { Channel } from '../../shared/domain/enums';
import { findVisibleAccount, scopeFor, SqlParams, visibleAccount } from '../access/visibility';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { CheckTargetNotFound, checkOnServer } from './check';
import { complianceNow } from './clock';
import { ONLINE_REFUSAL_WINDOW_MS } from './verdict';
import { listComplianceAudit, loadOrgCompliance, saveOrgCompliance } from './rules-store';
import { ROUTES } from '../../shared/api/routes';

export const complianceRoutes = [
  defineRoute({
    ...ROUTES.orgCompliance,
    summary: "The organisation's stricter compliance rules and DNC list",
    tags: ['compliance'],
    access: ['admin'],
    async handler({ db, user }) {
      return loadOrgCompliance(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveOrgCompliance,
    summary: 'Replace the organisation rules (stricter only; audited)',
    tags: ['compliance'],
    access: ['admin'],
    errors: [400],
    async handler({ db, user, body }) {
      await saveOrgCompliance(db, user.orgId, user.id, body);
      return loadOrgCompliance(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.orgComplianceAudit,
    summary: 'Every change of the organisation rules, newest first',
    tags: ['compliance'],
    access: ['admin'],
    async handler({ db, user }) {
      return listComplianceAudit(db, user.orgId);
    },
  }),
  defineRoute({
    // Every user reads the rules (read-only) so their workstation can check contacts offline.
    ...ROUTES.complianceRules,
    summary: 'Organisation rules for offline checks on the workstation',
    tags: ['compliance'],
    access: 'user',
    async handler({ db, user }) {
      return loadOrgCompliance(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.complianceCheck,
    summary: "May this contact happen now? Judged with every agent's attempts",
    tags: ['compliance'],
    access: 'user',
    errors: [404],
    async handler({ db, user, body }) {
      const scope = await scopeFor(db, user);
      if (!(await findVisibleAccount(db, scope, body.accountId))) throw notFound('account');
      try {
        return await checkOnServer(db, {
          orgId: user.orgId,
          accountId: body.accountId,
          contactPointId: body.contactPointId,
          channel: body.channel,
          at: body.at ? new Date(body.at) : complianceNow(),
        });
      } catch (e) {
        if (e instanceof CheckTargetNotFound) throw new HttpError(404, 'not_found', e.message, e.field);
        throw e;
      }
    },
  }),
  defineRoute({
    ...ROUTES.complianceViolations,
    summary: 'Attempts recorded although the rules forbade them: offline work, or calls the server judged differently',
    tags: ['compliance'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, query }) {
      const scope = await scopeFor(db, user);
      const p = new SqlParams();
      const rows = await db.query<{
        activityId: string;
        accountId: string;
        agentId: string;
        agentUsername: string;
        agentName: string;
        channel: Channel;
        startedAt: Date;
        recordedAt: Date;
        ruleIds: string[];
        debtorName: string;
        externalRef: string;
        debtorTimeZone: string;
      }>(
        `SELECT t.id AS "activityId", t.account_id AS "accountId", t.agent_id AS "agentId", u.username AS "agentUsername",
                u.display_name AS "agentName", t.channel, t.started_at AS "startedAt", t.recorded_at AS "recordedAt",
                t.compliance_violation AS "ruleIds", d.name AS "debtorName", a.external_ref AS "externalRef", d.time_zone AS "debtorTimeZone"
         FROM activities t JOIN accounts a ON a.id = t.account_id JOIN debtors d ON d.id = a.debtor_id JOIN users u ON u.id = t.agent_id
         WHERE t.compliance_violation IS NOT NULL AND ${visibleAccount(scope, 'a', p)}
         ORDER BY t.recorded_at DESC LIMIT ${p.add(query.limit)}`,
        p.values,
      );
      return rows.map((r) => ({
        ...r,
        startedAt: r.startedAt.toISOString(),
        recordedAt: r.recordedAt.toISOString(),
        // the same window within which the server refuses an online-logged contact (verdict.ts)
        made: r.recordedAt.getTime() - r.startedAt.getTime() <= ONLINE_REFUSAL_WINDOW_MS ? ('online' as const) : ('offline' as const),
      }));
    },
  }),
];
