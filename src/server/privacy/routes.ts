import { debtorExportFileName, renderDebtorExportHtml } from '../../shared/privacy/export-html';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';
import { recordPrivacy } from './audit';
import { eraseDebtor } from './erase';
import { collectDebtorExport } from './export';
import { loadPrivacySettings, savePrivacySettings } from './settings';

/**
 * Administrators only: a debtor's data spans every team that ever worked them, and handing it
 * over (or erasing it) is the organisation's act as data controller. Team leads and agents get
 * 403; a debtor of another organisation is 404.
 */
const ADMIN = ['admin'] as const;

async function exportFor(
  ctx: { db: Parameters<typeof collectDebtorExport>[0]; user: { id: string; orgId: string } },
  debtorId: string,
  format: 'json' | 'html',
) {
  return ctx.db.transaction(async (tx) => {
    const doc = await collectDebtorExport(tx, ctx.user.orgId, debtorId, ctx.user.id, new Date());
    await recordPrivacy(tx, { orgId: ctx.user.orgId, actorId: ctx.user.id, action: 'export', debtorId, detail: { format } });
    return doc;
  });
}

export const privacyRoutes = [
  defineRoute({
    ...ROUTES.privacySettings,
    summary: "The organisation's retention period for debtors' data (admin)",
    tags: ['privacy'],
    access: ADMIN,
    async handler({ db, user }) {
      return loadPrivacySettings(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.savePrivacySettings,
    summary: 'Sets the retention period (2–30 years; audited) (admin)',
    tags: ['privacy'],
    access: ADMIN,
    async handler({ db, user, body }) {
      return savePrivacySettings(db, user.orgId, user.id, body);
    },
  }),
  defineRoute({
    ...ROUTES.debtorExport,
    summary:
      'Everything held on one debtor as a JSON document: data, contact attempts with their compliance verdict, messages, notes, promises, payments, assignments (admin; audited)',
    tags: ['privacy'],
    access: ADMIN,
    errors: [404],
    async handler(ctx) {
      const doc = await exportFor(ctx, ctx.params.id, 'json');
      ctx.reply.header('content-disposition', `attachment; filename="${debtorExportFileName(doc, 'json')}"`);
      return doc;
    },
  }),
  defineRoute({
    ...ROUTES.debtorExportHtml,
    summary: 'The same export as one printable, self-contained HTML file in Spanish, with the JSON document embedded (admin; audited)',
    tags: ['privacy'],
    access: ADMIN,
    responseContentType: 'text/html',
    errors: [404],
    async handler(ctx) {
      const doc = await exportFor(ctx, ctx.params.id, 'html');
      ctx.reply.type('text/html; charset=utf-8');
      ctx.reply.header('content-disposition', `attachment; filename="${debtorExportFileName(doc, 'html')}"`);
      return renderDebtorExportHtml(doc);
    },
  }),
  defineRoute({
    ...ROUTES.eraseDebtor,
    summary:
      'Anonymises a debtor whose accounts are all closed for longer than the retention period; keeps amounts, dates and the audit trail (admin; audited). 409 accounts_open, retention_not_elapsed, already_erased',
    tags: ['privacy'],
    access: ADMIN,
    errors: [404, 409],
    async handler({ db, user, params, body }) {
      return eraseDebtor(db, user.orgId, params.id, user.id, body.reason);
    },
  }),
];
