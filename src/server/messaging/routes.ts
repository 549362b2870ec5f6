import { z } from 'zod';
import { MessageChannel, MessageTemplate } from '../../shared/api/contract';
import { Id, IsoInstant } from '../../shared/domain/entities';
import { findAccountForFacts, scopeFor } from '../access/visibility';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { ensureDefaultTemplates, listTemplates } from './templates';

export const OutboundMessageView = z.object({
  id: Id, accountId: Id, agentId: Id, channel: MessageChannel, address: z.string(), subject: z.string().nullable(), body: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'blocked', 'failed']),
  reasons: z.array(z.object({ ruleId: z.string(), es: z.string(), en: z.string() })).nullable(),
  providerMessageId: z.string().nullable(), error: z.string().nullable(), attempts: z.number().int(),
  createdAt: IsoInstant,
});

export const messagingRoutes = [
  defineRoute({
    method: 'GET', path: '/api/v1/messages/templates', summary: "The organisation's message templates", tags: ['messaging'],
    access: 'user', response: z.array(MessageTemplate),
    async handler({ db, user }) {
      const templates = await listTemplates(db, user.orgId);
      if (templates.length) return templates;
      // an organisation starts with the default Spanish templates
      await ensureDefaultTemplates(db, user.orgId);
      return listTemplates(db, user.orgId);
    },
  }),
  defineRoute({
    method: 'GET', path: '/api/v1/accounts/:id/messages', summary: 'Messages sent (or refused) on an account', tags: ['messaging'],
    access: 'user', params: z.object({ id: Id }), response: z.array(OutboundMessageView), errors: [404],
    async handler({ db, user, params }) {
      const scope = await scopeFor(db, user);
      if (!(await findAccountForFacts(db, scope, params.id))) throw notFound('account');
      const rows = await db.query<z.input<typeof OutboundMessageView> & { createdAt: Date }>(
        `SELECT id, account_id AS "accountId", agent_id AS "agentId", channel, address, subject, body, status, reasons,
           provider_message_id AS "providerMessageId", error, attempts, created_at AS "createdAt"
         FROM outbound_messages WHERE account_id = $1 ORDER BY created_at DESC LIMIT 200`, [params.id],
      );
      return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    },
  }),
];
