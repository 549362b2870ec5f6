import { randomUUID } from 'node:crypto';
import { WorkstationError, type WorkstationHandlers } from '../../shared/api/contract';
import { renderSubject, renderTemplate, templateVars } from '../../shared/domain/message-template';
import type { checkContact } from '../../shared/rules/compliance';
import { lastWhatsappReply, whatsappWindowUntil } from '../../shared/rules/whatsapp-window';
import type { WorkstationCore } from './core';
import { notFound } from './errors';
import type { UserContext } from './user-context';

type Check = Parameters<typeof checkContact>[0];

/** The compliance check and messages: judged offline with the organisation's cached rules, sent through the outbox. */
export function createMessagingHandlers(
  core: WorkstationCore,
): Pick<WorkstationHandlers, 'checkContact' | 'listMessageTemplates' | 'sendMessage'> {
  const complianceFor = (
    c: UserContext,
    account: Check['account'],
    debtor: Check['debtor'],
    cp: Check['contactPoint'],
    channel: Check['channel'],
    at: Date,
  ) => core.complianceFor(c, account, debtor, cp, channel, at);

  return {
    async checkContact({ accountId, contactPointId, channel, at }) {
      const c = core.need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      const cp = contactPointId ? c.store.getContactPoint(contactPointId) : null;
      if (contactPointId && (!cp || cp.debtorId !== debtor.id)) throw notFound('contact point', 'contactPointId');
      return complianceFor(c, account, debtor, cp, channel, at ? new Date(at) : core.now());
    },

    async listMessageTemplates({ accountId }) {
      const c = core.need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      if (core.orgData.templates(c).length === 0) await core.orgData.refresh(c, true).catch(() => {});
      const vars = templateVars(account, debtor, core.now());
      // the subject as the debtor's inbox shows it, rendered like the body (and like the server will)
      return core.orgData.templates(c).map((t) => ({
        ...t,
        preview: renderTemplate(t.body, vars),
        subjectPreview: t.channel === 'email' && t.subject ? renderSubject(t.subject, vars) : null,
      }));
    },

    async sendMessage({ accountId, contactPointId, channel, templateId, text }) {
      const c = core.need();
      const account = c.store.getAccountRow(accountId);
      if (!account) throw notFound('account', 'accountId');
      const debtor = c.store.getDebtor(account.debtorId)!;
      const cp = c.store.getContactPoint(contactPointId);
      if (!cp || cp.debtorId !== debtor.id) throw notFound('contact point', 'contactPointId');
      const now = core.now();
      let body: string;
      if (text !== undefined) {
        // free text: WhatsApp only, inside the 24-hour window the debtor's last message opened
        const detail = c.store.getAccount(accountId);
        if (channel !== 'whatsapp' || !whatsappWindowUntil(lastWhatsappReply(detail?.activities ?? []), now)) {
          throw new WorkstationError(
            'server.whatsapp_window_closed',
            'free text only within 24 hours of the debtor’s last WhatsApp message',
            'text',
          );
        }
        body = text;
      } else {
        const template = core.orgData.templates(c).find((t) => t.id === templateId && t.channel === channel);
        if (!template) throw notFound('template', 'templateId');
        // the server would refuse it (WhatsApp starts conversations only with Meta-approved templates):
        // say so now, before a local attempt counts against the day's contacts
        if (channel === 'whatsapp' && !template.whatsapp) {
          throw new WorkstationError(
            'server.whatsapp_template_unapproved',
            `template "${template.name}" has no Meta-approved WhatsApp template name`,
            'templateId',
          );
        }
        body = renderTemplate(template.body, templateVars(account, debtor, now));
      }
      const decision = complianceFor(c, account, debtor, cp, channel, now);
      if (!decision.allowed) {
        throw new WorkstationError(
          'compliance.blocked',
          decision.reasons.map((r) => r.en).join('; ') || 'contact not allowed now',
          'contactPointId',
        );
      }
      const id = randomUUID();
      core.write(c, [
        {
          name: 'message.send',
          args:
            text !== undefined
              ? { id, accountId, contactPointId, channel, freeText: true, body, createdAt: now.toISOString() }
              : { id, accountId, contactPointId, channel, templateId, body, createdAt: now.toISOString() },
        },
      ]);
      return { messageId: id };
    },
  };
}
