import { randomUUID } from 'node:crypto';
import { renderSubject, renderTemplate, templateVars, usesLink } from '../../shared/domain/message-template';
import { linkForDebtor } from '../portal/links';
import { isMessageChannel, type MessageChannel } from '../../shared/domain/channels';
import type { Strategy, StrategyStep } from '../../shared/domain/strategy';
import { localDate, zonedTimeToUtc } from '../../shared/domain/time';
import { whatsappTemplateMessage, whatsappTemplateMismatch } from '../../shared/domain/whatsapp-template';
import { ladderFor, occurrences, type StepReason, type Variant } from '../../shared/rules/strategy';
import { loadOrgCompliance } from '../compliance/rules-store';
import { ACCOUNT_COLUMNS, DEBTOR_COLUMNS, toAccount, toDebtor } from '../data/rows';
import type { Db } from '../db';
import { findTemplate } from '../messaging/templates';
import { decideFor, goneReason } from './decide';
import { loadFacts, type AccountFacts } from './facts';
import { renderLetterPdf } from './letter';
import { getStrategy, strategyUserId } from './store';

export type ExecuteResult =
  | { kind: 'message'; messageId: string; channel: MessageChannel }
  | { kind: 'wait'; until: Date }
  | { kind: 'done'; status: 'sent' | 'tasked' | 'handed_over' | 'skipped'; reason?: string }
  /** Not waiting any more (another server ran it): nothing done. */
  | { kind: 'gone' };

interface RunRow {
  id: string;
  orgId: string;
  strategyId: string;
  accountId: string;
  stepKey: string;
  occurrence: string;
  anchorDate: string;
  variant: Variant;
  status: string;
}

/**
 * Runs one waiting step at `now`. Everything happens in one transaction that holds the run row
 * and the debtor row: the run's status moves out of 'waiting' in the same commit as the message
 * and its activity, so a step is recorded once however many servers or retries reach it, and the
 * debtor lock orders it with agents' messages (acceptMessage takes the same lock), so each sees
 * the other's contact when counting the caps.
 */
export async function executeRun(db: Db, runId: string, now: Date): Promise<ExecuteResult> {
  return db.transaction(async (tx) => {
    const [run] = await tx.query<RunRow>(
      `SELECT id, org_id AS "orgId", strategy_id AS "strategyId", account_id AS "accountId", step_key AS "stepKey", occurrence,
              anchor_date AS "anchorDate", variant, status
       FROM strategy_runs WHERE id = $1 FOR UPDATE`,
      [runId],
    );
    if (!run || run.status !== 'waiting') return { kind: 'gone' };
    await tx.query('SELECT 1 FROM debtors WHERE id = (SELECT debtor_id FROM accounts WHERE id = $1) FOR UPDATE', [run.accountId]);
    const finish = async (
      status: 'sent' | 'tasked' | 'handed_over' | 'skipped',
      reasons: StepReason[] = [],
      messageId: string | null = null,
    ) => {
      await tx.query(
        `UPDATE strategy_runs SET status = $2, reason_code = $3, reasons = $4::jsonb, message_id = $5, done_at = $6, updated_at = now()
         WHERE id = $1`,
        [run.id, status, reasons[0]?.code ?? null, reasons.length ? JSON.stringify(reasons) : null, messageId, now.toISOString()],
      );
    };
    const strategy = await getStrategy(tx, run.orgId, run.strategyId);
    const stepIndex = strategy ? ladderFor(strategy, run.variant).findIndex((s) => s.key === run.stepKey) : -1;
    if (!strategy || !strategy.active || stepIndex < 0) {
      await finish('skipped', [
        { code: 'strategy.changed', es: 'La estrategia se desactivó o cambió', en: 'The strategy was deactivated or changed' },
      ]);
      return { kind: 'done', status: 'skipped', reason: 'strategy.changed' };
    }
    const step = ladderFor(strategy, run.variant)[stepIndex]!;
    const facts = (await loadFacts(tx, run.orgId, [run.accountId], now)).get(run.accountId)!;
    if (!occurrences(step.anchor, facts.account.dueDate, facts.promises).some((o) => o.key === run.occurrence)) {
      const reason = goneReason(facts, step);
      await finish('skipped', [reason]);
      return { kind: 'done', status: 'skipped', reason: reason.code };
    }
    const org = await loadOrgCompliance(tx, run.orgId);
    const decision = decideFor(facts, org, step, run.anchorDate, now);
    if (decision.kind === 'not_due' || decision.kind === 'wait') {
      const until = decision.kind === 'wait' ? new Date(decision.until) : zonedTimeToUtc(decision.from, '00:00', facts.debtor.timeZone);
      await tx.query(`UPDATE strategy_runs SET due_at = $2, reasons = $3::jsonb, updated_at = now() WHERE id = $1`, [
        run.id,
        until.toISOString(),
        decision.kind === 'wait' ? JSON.stringify(decision.reasons) : null,
      ]);
      return { kind: 'wait', until };
    }
    if (decision.kind === 'skip') {
      await finish(
        'skipped',
        decision.reasons.length ? [decision.reason, ...decision.reasons.filter((r) => r.code !== decision.reason.code)] : [decision.reason],
      );
      return { kind: 'done', status: 'skipped', reason: decision.reason.code };
    }
    switch (step.action) {
      case 'call_task': {
        // the account rises to the top of its agent's queue (callback due) with the step as the note
        const note = `Paso ${stepIndex + 1} de la estrategia ${strategy.name}: llamar`;
        await tx.query(
          `UPDATE accounts SET callback_at = $2, callback_note = $3 WHERE id = $1 AND (callback_at IS NULL OR callback_at >= $2::timestamptz)`,
          [run.accountId, now.toISOString(), note],
        );
        await finish('tasked');
        return { kind: 'done', status: 'tasked' };
      }
      case 'handover': {
        await finish('handed_over');
        return { kind: 'done', status: 'handed_over' };
      }
      case 'letter':
      case 'email':
      case 'sms':
      case 'whatsapp': {
        const sent = await recordContact(tx, run, strategy, step, facts, decision.contactPointId!, now);
        if ('skip' in sent) {
          await finish('skipped', [sent.skip]);
          return { kind: 'done', status: 'skipped', reason: sent.skip.code };
        }
        await finish('sent', [], sent.messageId);
        return sent.channel ? { kind: 'message', messageId: sent.messageId, channel: sent.channel } : { kind: 'done', status: 'sent' };
      }
    }
  });
}

const templateUnusable = (why: string): { skip: StepReason } => ({
  skip: { code: 'template.unusable', es: `La plantilla no se puede usar: ${why}`, en: `The template cannot be used: ${why}` },
});

/**
 * Records the contact as an agent's message is recorded (src/server/messaging/accept.ts): the
 * activity counts towards the caps at once; a message is queued for the engine's send worker, a
 * letter is rendered to PDF for printing.
 */
async function recordContact(
  tx: Db,
  run: RunRow,
  strategy: Strategy,
  step: StrategyStep,
  facts: AccountFacts,
  contactPointId: string,
  now: Date,
): Promise<{ messageId: string; channel: MessageChannel | null } | { skip: StepReason }> {
  const template = await findTemplate(tx, run.orgId, step.templateId!);
  if (!template || !template.active) return templateUnusable('not found or deactivated');
  const channel = step.action === 'letter' ? null : (step.action as MessageChannel);
  if (channel && (!isMessageChannel(channel) || template.channel !== channel)) return templateUnusable(`it is for ${template.channel}`);
  if (channel === 'whatsapp') {
    if (!template.whatsapp) return templateUnusable('no Meta-approved WhatsApp template');
    if (whatsappTemplateMismatch(template.body, template.whatsapp).length) return templateUnusable('WhatsApp parameters do not match');
  }
  const [accRow] = await tx.query<Parameters<typeof toAccount>[0]>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`, [
    run.accountId,
  ]);
  const [debRow] = await tx.query<Parameters<typeof toDebtor>[0]>(`SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = $1`, [
    facts.account.debtorId,
  ]);
  const account = toAccount(accRow!);
  const debtor = toDebtor(debRow!);
  const link = usesLink(template.body, template.subject) ? (await linkForDebtor(tx, run.orgId, debtor.id, now, null)).url : undefined;
  const vars = templateVars(account, debtor, now, link);
  const body = renderTemplate(template.body, vars);
  const subject = template.subject ? renderSubject(template.subject, vars) : null;
  const cp = facts.contactPoints.find((c) => c.id === contactPointId)!;
  const agentId = await strategyUserId(tx, run.orgId);
  const id = randomUUID();
  if (channel) {
    const waTemplate = template.whatsapp ? whatsappTemplateMessage(template.whatsapp, debtor.country, vars) : null;
    await tx.query(
      `INSERT INTO outbound_messages (id, org_id, account_id, agent_id, channel, contact_point_id, address, template_id, subject, body, status,
         wa_template, strategy_run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'queued', $11::jsonb, $12)`,
      [
        id,
        run.orgId,
        run.accountId,
        agentId,
        channel,
        cp.id,
        cp.value,
        template.id,
        channel === 'email' ? subject : null,
        body,
        waTemplate && JSON.stringify(waTemplate),
        run.id,
      ],
    );
  } else {
    const [y, m, d] = localDate(now, debtor.timeZone).split('-');
    const pdf = await renderLetterPdf({ debtorName: debtor.name, address: cp.value, subject, body, date: `${d}/${m}/${y}` });
    await tx.query('INSERT INTO strategy_letters (run_id, account_id, pdf) VALUES ($1, $2, $3)', [run.id, run.accountId, pdf]);
  }
  await tx.query(
    `INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note, started_at)
     VALUES ($1, $2, $3, $4, 'outbound', $5, $6, 'message_sent', $7, $8)`,
    [
      id,
      run.accountId,
      agentId,
      channel ?? 'letter',
      cp.id,
      cp.value,
      `[${strategy.name} · ${step.key}] ${body}`.slice(0, 4000),
      now.toISOString(),
    ],
  );
  await tx.query(
    `UPDATE accounts SET last_contact_at = GREATEST(coalesce(last_contact_at, $2::timestamptz), $2::timestamptz) WHERE id = $1`,
    [run.accountId, now.toISOString()],
  );
  return { messageId: id, channel };
}
