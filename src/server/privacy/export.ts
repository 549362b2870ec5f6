import type { DebtorExport } from '../../shared/api/privacy';
import type { Db } from '../db';
import { notFound } from '../http/errors';

type StaffRef = { id: string; username: string; displayName: string } | null;
type Row = Record<string, unknown>;

/** Timestamps as UTC ISO text (the document's form); everything else as the driver gives it. */
function plain<T>(rows: Row[]): T[] {
  return rows.map((r) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(r)) out[k] = v instanceof Date ? v.toISOString() : v;
    return out as T;
  });
}

/**
 * Everything the organisation holds on one debtor, read from the tables themselves (not from a
 * caller's scope): the debtor, their contact points and accounts, who had each account and when,
 * every contact attempt with the compliance verdict stored when it was received, the messages
 * (bodies as sent), notes, promises with their instalments, payments, negotiation approvals and
 * the privacy log. Every statement is bounded by the debtor's id (or their accounts' ids), so
 * nothing of another debtor can enter the document. 404 when the debtor is not in `orgId`.
 */
export async function collectDebtorExport(db: Db, orgId: string, debtorId: string, actorId: string, now: Date): Promise<DebtorExport> {
  const [debtor] = plain<DebtorExport['debtor']>(
    await db.query(
      `SELECT id, external_id AS "externalId", name, national_id AS "nationalId", country, time_zone AS "timeZone",
            debtor_type AS "debtorType", segment, contact_prefs AS "contactPrefs", created_at AS "createdAt",
            updated_at AS "updatedAt", erased_at AS "erasedAt"
     FROM debtors WHERE id = $1 AND org_id = $2`,
      [debtorId, orgId],
    ),
  );
  if (!debtor) throw notFound('debtor');
  const [org] = await db.query<DebtorExport['organization']>(
    'SELECT id, name, country, time_zone AS "timeZone" FROM organizations WHERE id = $1',
    [orgId],
  );
  const users = await db.query<{ id: string; username: string; displayName: string }>(
    'SELECT id, username, display_name AS "displayName" FROM users WHERE org_id = $1',
    [orgId],
  );
  const byId = new Map(users.map((u) => [u.id, u]));
  const staff = (id: unknown): StaffRef => (typeof id === 'string' ? (byId.get(id) ?? { id, username: '?', displayName: '?' }) : null);

  const accountRows = plain<Row>(
    await db.query(
      `SELECT id, external_ref AS "externalRef", product, currency, principal_minor AS "principalMinor", balance_minor AS "balanceMinor",
            due_date AS "dueDate", installments_total AS "installmentsTotal", installments_paid AS "installmentsPaid",
            installment_amount_minor AS "installmentAmountMinor", status, assigned_agent_id AS "assignedAgentId",
            callback_at AS "callbackAt", callback_note AS "callbackNote", last_contact_at AS "lastContactAt",
            created_at AS "createdAt", closed_at AS "closedAt"
     FROM accounts WHERE debtor_id = $1 AND org_id = $2 ORDER BY created_at, id`,
      [debtorId, orgId],
    ),
  );
  const ids = accountRows.map((a) => a.id as string);

  const [contactPoints, assignments, attempts, messages, notes, promises, payments, approvals] = await Promise.all([
    db.query<Row>(
      `SELECT id, kind, value, label, verified, invalid, do_not_contact AS "doNotContact", created_at AS "createdAt", updated_at AS "updatedAt"
       FROM contact_points WHERE debtor_id = $1 ORDER BY created_at, id`,
      [debtorId],
    ),
    db.query<Row>(
      `SELECT account_id AS "accountId", from_agent_id AS "fromId", to_agent_id AS "toId", by_user_id AS "byId", at
       FROM assignment_log WHERE account_id = ANY($1::uuid[]) ORDER BY seq`,
      [ids],
    ),
    db.query<Row>(
      `SELECT id, account_id AS "accountId", agent_id AS "agentId", channel, direction, contact_point_id AS "contactPointId", address,
              disposition, note, started_at AS "startedAt", answered_at AS "answeredAt", ended_at AS "endedAt", duration_sec AS "durationSec",
              promise_id AS "promiseId", recorded_at AS "recordedAt", compliance_violation AS violations, compliance_blocked AS blocked
       FROM activities WHERE account_id = ANY($1::uuid[]) ORDER BY started_at, id`,
      [ids],
    ),
    db.query<Row>(
      `SELECT m.id, m.account_id AS "accountId", m.agent_id AS "agentId", m.channel, m.address, m.subject, m.body, t.name AS template,
              m.status, m.reasons, m.error, m.created_at AS "createdAt", m.updated_at AS "updatedAt"
       FROM outbound_messages m LEFT JOIN message_templates t ON t.id = m.template_id
       WHERE m.account_id = ANY($1::uuid[]) ORDER BY m.created_at, m.id`,
      [ids],
    ),
    db.query<Row>(
      `SELECT id, account_id AS "accountId", author_id AS "authorId", body, created_at AS "createdAt", recorded_at AS "recordedAt"
       FROM notes WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    ),
    db.query<Row>(
      `SELECT pr.id, pr.account_id AS "accountId", pr.agent_id AS "agentId", pr.channel, pr.currency, pr.status, pr.plan_id AS "planId",
              pr.created_at AS "createdAt", pr.recorded_at AS "recordedAt",
              (SELECT coalesce(json_agg(json_build_object('seq', i.seq, 'dueDate', i.due_date, 'amountMinor', i.amount_minor,
                 'paidMinor', i.paid_minor, 'status', i.status) ORDER BY i.seq), '[]'::json)
               FROM promise_installments i WHERE i.promise_id = pr.id) AS installments
       FROM promises pr WHERE pr.account_id = ANY($1::uuid[]) ORDER BY pr.created_at, pr.id`,
      [ids],
    ),
    db.query<Row>(
      `SELECT id, account_id AS "accountId", reference, amount_minor AS "amountMinor", applied_minor AS "appliedMinor", currency,
              paid_at AS "paidAt", reversed_at AS "reversedAt", recorded_at AS "recordedAt"
       FROM payments WHERE account_id = ANY($1::uuid[]) ORDER BY paid_at, id`,
      [ids],
    ),
    db.query<Row>(
      `SELECT id, account_id AS "accountId", agent_id AS "agentId", status, proposal, decided_by AS "decidedBy", decided_at AS "decidedAt",
              decision_reason AS "decisionReason", justification, created_at AS "createdAt"
       FROM approval_requests WHERE account_id = ANY($1::uuid[]) ORDER BY created_at, id`,
      [ids],
    ),
  ]);
  const log = await db.query<Row>(
    'SELECT action, actor_id AS "actorId", at, detail FROM privacy_audit WHERE debtor_id = $1 AND org_id = $2 ORDER BY seq',
    [debtorId, orgId],
  );

  return {
    format: 'cobranza.debtor-export/1',
    generatedAt: now.toISOString(),
    generatedBy: staff(actorId),
    organization: org!,
    debtor,
    contactPoints: plain(contactPoints),
    accounts: accountRows.map(({ assignedAgentId, ...a }) => ({ ...a, assignedAgent: staff(assignedAgentId) })) as DebtorExport['accounts'],
    assignments: plain<Row>(assignments).map((r) => ({
      accountId: r.accountId as string,
      from: staff(r.fromId),
      to: staff(r.toId),
      by: staff(r.byId),
      at: r.at as string,
    })),
    contactAttempts: plain<Row>(attempts).map(({ agentId, violations, blocked, ...t }) => ({
      ...t,
      agent: staff(agentId),
      compliance: { violations: (violations as string[] | null) ?? null, blocked: blocked === true, judgedAt: t.recordedAt },
    })) as DebtorExport['contactAttempts'],
    messages: plain<Row>(messages).map(({ agentId, ...m }) => ({ ...m, agent: staff(agentId) })) as DebtorExport['messages'],
    notes: plain<Row>(notes).map(({ authorId, ...n }) => ({ ...n, author: staff(authorId) })) as DebtorExport['notes'],
    promises: plain<Row>(promises).map(({ agentId, ...p }) => ({ ...p, agent: staff(agentId) })) as DebtorExport['promises'],
    payments: plain(payments),
    approvals: plain<Row>(approvals).map(({ agentId, decidedBy, ...a }) => ({
      ...a,
      agent: staff(agentId),
      decidedBy: staff(decidedBy),
    })) as DebtorExport['approvals'],
    privacyLog: plain<Row>(log).map(({ actorId, ...l }) => ({ ...l, actor: staff(actorId) })) as DebtorExport['privacyLog'],
  };
}
