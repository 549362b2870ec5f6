import { z } from 'zod';
import { findVisibleAccount, scopeFor } from '../access/visibility';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { createTemplate, listTemplateAudit, updateTemplate } from './template-admin';
import { ensureDefaultTemplates, hasAnyTemplate, listOrgTemplates, listTemplates } from './templates';
import { OutboundMessageView } from '../../shared/api/messages';
import { ROUTES } from '../../shared/api/routes';

export const messagingRoutes = [
  defineRoute({
    ...ROUTES.messageTemplates,
    summary: "The organisation's active message templates (what agents may send)",
    tags: ['messaging'],
    access: 'user',
    async handler({ db, user }) {
      // an organisation starts with the default Spanish templates; one whose admin deactivated
      // them all has chosen to offer none
      if (!(await hasAnyTemplate(db, user.orgId))) await ensureDefaultTemplates(db, user.orgId);
      return listTemplates(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.orgTemplates,
    summary: 'Every template of the organisation, inactive ones too (administration)',
    tags: ['messaging'],
    access: ['admin'],
    async handler({ db, user }) {
      if (!(await hasAnyTemplate(db, user.orgId))) await ensureDefaultTemplates(db, user.orgId);
      return listOrgTemplates(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.createOrgTemplate,
    summary: 'Create a message template (audited)',
    tags: ['messaging'],
    access: ['admin'],
    successStatus: 201,
    errors: [400, 409],
    async handler({ db, user, body }) {
      return createTemplate(db, user.orgId, user.id, body);
    },
  }),
  defineRoute({
    // no DELETE: sent messages refer to their template; `active: false` withdraws it instead
    ...ROUTES.updateOrgTemplate,
    summary: 'Replace a message template, or deactivate it (audited)',
    tags: ['messaging'],
    access: ['admin'],
    errors: [400, 404, 409],
    async handler({ db, user, params, body }) {
      return updateTemplate(db, user.orgId, user.id, params.id, body);
    },
  }),
  defineRoute({
    ...ROUTES.orgTemplateAudit,
    summary: 'Every change of the message templates, newest first',
    tags: ['messaging'],
    access: ['admin'],
    async handler({ db, user }) {
      return listTemplateAudit(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.accountMessages,
    summary: 'Messages sent (or refused) on an account',
    tags: ['messaging'],
    access: 'user',
    errors: [404],
    async handler({ db, user, params }) {
      const scope = await scopeFor(db, user);
      if (!(await findVisibleAccount(db, scope, params.id))) throw notFound('account');
      const rows = await db.query<z.input<typeof OutboundMessageView> & { createdAt: Date }>(
        `SELECT id, account_id AS "accountId", agent_id AS "agentId", channel, address, subject, body, status, reasons,
           provider_message_id AS "providerMessageId", error, attempts, created_at AS "createdAt"
         FROM outbound_messages WHERE account_id = $1 ORDER BY created_at DESC LIMIT 200`,
        [params.id],
      );
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  }),
];
