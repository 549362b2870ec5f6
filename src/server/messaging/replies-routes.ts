import type { z } from 'zod';
import type { UnknownReply } from '../../shared/domain/replies';
import { ROUTES } from '../../shared/api/routes';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import type { Db } from '../db';
import { configForOrg, saveOrgMessagingConfig, viewOf } from './org-config';

type Row = Omit<z.input<typeof UnknownReply>, 'receivedAt' | 'handledAt'> & { receivedAt: Date; handledAt: Date | null };
const COLUMNS = `i.id, i.channel, i.from_address AS "from", i.to_address AS "to", i.subject, i.body, i.received_at AS "receivedAt",
  u.username AS "handledBy", i.handled_at AS "handledAt"`;
const view = (r: Row) => ({ ...r, receivedAt: r.receivedAt.toISOString(), handledAt: r.handledAt?.toISOString() ?? null });

async function unknownReplies(db: Db, orgId: string, handled: boolean) {
  const rows = await db.query<Row>(
    `SELECT ${COLUMNS} FROM inbound_messages i LEFT JOIN users u ON u.id = i.handled_by
     WHERE i.org_id = $1 AND i.debtor_id IS NULL AND (i.handled_at IS NOT NULL) = $2 ORDER BY i.received_at DESC LIMIT 500`,
    [orgId, handled],
  );
  return rows.map(view);
}

export const repliesRoutes = [
  defineRoute({
    ...ROUTES.unknownReplies,
    // no debtor, so no team: every lead of the organisation sees the list (they decide whose it is)
    summary: 'Replies from senders no debtor matched (by number, address or thread): the team lead’s list',
    tags: ['messaging'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, query }) {
      return unknownReplies(db, user.orgId, query.handled === 'true');
    },
  }),
  defineRoute({
    ...ROUTES.handleUnknownReply,
    summary: 'Marks an unknown sender’s reply handled (who and when are kept)',
    tags: ['messaging'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params }) {
      const [row] = await db.query<{ id: string }>(
        `UPDATE inbound_messages SET handled_by = $3, handled_at = coalesce(handled_at, now())
         WHERE id = $1 AND org_id = $2 AND debtor_id IS NULL RETURNING id`,
        [params.id, user.orgId, user.id],
      );
      if (!row) throw notFound('reply');
      const [r] = await db.query<Row>(
        `SELECT ${COLUMNS} FROM inbound_messages i LEFT JOIN users u ON u.id = i.handled_by WHERE i.id = $1`,
        [params.id],
      );
      return view(r!);
    },
  }),
  defineRoute({
    ...ROUTES.orgMessagingConfig,
    summary: "The organisation's provider accounts for webhooks (secrets only say whether they are set)",
    tags: ['messaging'],
    access: ['admin'],
    async handler({ db, user }) {
      return viewOf(await configForOrg(db, user.orgId));
    },
  }),
  defineRoute({
    ...ROUTES.saveOrgMessagingConfig,
    summary: "Replaces the organisation's provider accounts and webhook secrets",
    tags: ['messaging'],
    access: ['admin'],
    errors: [400, 409],
    async handler({ db, user, body }) {
      await saveOrgMessagingConfig(db, user.orgId, user.id, body);
      return viewOf(await configForOrg(db, user.orgId));
    },
  }),
];
