import { renderSubject, renderTemplate, templateVars, usesLink } from '../../shared/domain/message-template';
import { linkForDebtor } from '../portal/links';
import type { MutationArgs } from '../../shared/sync/mutations';
import { whatsappTemplateMessage, whatsappTemplateMismatch } from '../../shared/domain/whatsapp-template';
import { checkOnServer } from '../compliance/check';
import { ACCOUNT_COLUMNS, DEBTOR_COLUMNS, toAccount, toDebtor } from '../data/rows';
import type { Db } from '../db';
import { MutationRejected } from '../sync/appliers/types';
import type { AccountRef } from '../access/visibility';
import { findTemplate } from './templates';
import { whatsappWindowUntil } from './inbound';

const reasonsText = (reasons: ReadonlyArray<{ es: string }>) => reasons.map((r) => r.es).join('; ');

/**
 * Applies a message.send inside the push transaction. The debtor row is locked first, so two
 * agents messaging the same debtor at once are judged one after the other, each seeing the
 * other's message. Allowed → a queued message plus its activity (which counts as a contact at
 * once, reserving the day's slot); refused → the message and a blocked activity carrying the
 * reasons, so the agent sees after the next pull why it was not sent.
 */
export async function acceptMessage(
  tx: Db,
  userId: string,
  account: AccountRef,
  a: MutationArgs<'message.send'>,
  now: Date,
): Promise<'queued' | 'blocked'> {
  const existing = await tx.query('SELECT 1 FROM outbound_messages WHERE id = $1', [a.id]);
  if (existing.length) return 'queued'; // the id is the message: a replay changes nothing
  const template = a.freeText ? null : await findTemplate(tx, account.orgId, a.templateId ?? '');
  if (!a.freeText) {
    if (!template) throw new MutationRejected('not_found', 'message template not found', 'templateId');
    // withdrawn by an administrator: a workstation whose cached list is older may still offer it
    if (!template.active)
      throw new MutationRejected('template_inactive', `template "${template.name}" was deactivated by an administrator`, 'templateId');
    if (template.channel !== a.channel)
      throw new MutationRejected('invalid_args', `template is for ${template.channel}, not ${a.channel}`, 'channel');
    // Meta refuses free text to start a conversation: never queue what it would reject
    if (a.channel === 'whatsapp' && !template.whatsapp) {
      throw new MutationRejected(
        'whatsapp_template_unapproved',
        `template "${template.name}" has no Meta-approved WhatsApp template name`,
        'templateId',
      );
    }
    const mismatch = template.whatsapp ? whatsappTemplateMismatch(template.body, template.whatsapp) : [];
    if (mismatch.length)
      throw new MutationRejected('whatsapp_template_mismatch', `template "${template.name}": ${mismatch.join('; ')}`, 'templateId');
  }
  await tx.query('SELECT 1 FROM debtors WHERE id = $1 FOR UPDATE', [account.debtorId]);
  const [cp] = await tx.query<{ value: string }>('SELECT value FROM contact_points WHERE id = $1 AND debtor_id = $2', [
    a.contactPointId,
    account.debtorId,
  ]);
  if (!cp) throw new MutationRejected('invalid_args', "contact point is not one of this debtor's", 'contactPointId');
  const [accRow] = await tx.query<Parameters<typeof toAccount>[0]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`, [
    account.id,
  ]);
  const [debRow] = await tx.query<Parameters<typeof toDebtor>[0]>(`SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = $1`, [
    account.debtorId,
  ]);
  if (!accRow || !debRow) throw new MutationRejected('not_found', 'account not found', 'accountId');
  const debtor = toDebtor(debRow);
  if (a.freeText && !(await whatsappWindowUntil(tx, account.orgId, cp.value, now))) {
    // Meta would refuse it (131047): the debtor has not written in the last 24 hours
    throw new MutationRejected('whatsapp_window_closed', 'free text only within 24 hours of the debtor’s last WhatsApp message', 'body');
  }
  const link =
    template && usesLink(template.body, template.subject)
      ? (await linkForDebtor(tx, account.orgId, debtor.id, now, userId)).url
      : undefined;
  const vars = templateVars(toAccount(accRow), debtor, now, link);
  const body = template ? renderTemplate(template.body, vars) : a.body;
  const subject = template && a.channel === 'email' && template.subject ? renderSubject(template.subject, vars) : null;
  const waTemplate = template?.whatsapp ? whatsappTemplateMessage(template.whatsapp, debtor.country, vars) : null;

  const decision = await checkOnServer(tx, {
    orgId: account.orgId,
    accountId: account.id,
    contactPointId: a.contactPointId,
    channel: a.channel,
    at: now,
  });
  const status = decision.allowed ? 'queued' : 'blocked';
  await tx.query(
    `INSERT INTO outbound_messages (id, org_id, account_id, agent_id, channel, contact_point_id, address, template_id, subject, body, status, reasons, wa_template)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)`,
    [
      a.id,
      account.orgId,
      account.id,
      userId,
      a.channel,
      a.contactPointId,
      cp.value,
      template?.id ?? null,
      subject,
      body,
      status,
      decision.allowed ? null : JSON.stringify(decision.reasons),
      waTemplate && JSON.stringify(waTemplate),
    ],
  );
  await tx.query(
    `INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note,
       started_at, compliance_blocked, message_status)
     VALUES ($1, $2, $3, $4, 'outbound', $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING`,
    [
      a.id,
      account.id,
      userId,
      a.channel,
      a.contactPointId,
      cp.value,
      decision.allowed ? 'message_sent' : null,
      decision.allowed ? body.slice(0, 4000) : `Mensaje bloqueado por cumplimiento: ${reasonsText(decision.reasons)}`.slice(0, 4000),
      now.toISOString(),
      !decision.allowed,
      status,
    ],
  );
  if (decision.allowed) {
    await tx.query(
      `UPDATE accounts SET last_contact_at = GREATEST(coalesce(last_contact_at, $2::timestamptz), $2::timestamptz) WHERE id = $1`,
      [account.id, now.toISOString()],
    );
  }
  return status;
}
