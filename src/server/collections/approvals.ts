import { randomUUID } from 'node:crypto';
import {
  ApprovalRequest,
  NegotiationProposal,
  NegotiationQuote,
  quoteNegotiation,
  QuoteError,
  type ApprovalDecision,
} from '../../shared/domain/collections';
import { daysPastDue, localDate } from '../../shared/domain/time';
import { findAccountForFacts } from '../access/visibility';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { HttpError, notFound } from '../http/errors';
import { accountNotFound, MutationRejected, type Applier } from '../sync/appliers/types';
import { loadPolicies } from './policies';
import { recomputeAccountPromises } from './recompute';

const APPROVAL_COLUMNS = `r.id, r.account_id AS "accountId", r.agent_id AS "agentId", u.display_name AS "agentName",
  d.name AS "debtorName", a.external_ref AS "externalRef", a.currency, a.balance_minor AS "balanceMinor",
  r.proposal, r.quote, r.justification, r.status, r.decided_by AS "decidedBy", r.decided_at AS "decidedAt",
  r.decision_reason AS "decisionReason", r.counter_offer AS "counterOffer", r.promise_id AS "promiseId",
  r.created_at AS "createdAt", r.version`;
const APPROVAL_FROM = `approval_requests r JOIN accounts a ON a.id = r.account_id JOIN debtors d ON d.id = a.debtor_id
  JOIN users u ON u.id = r.agent_id`;

type Row = Omit<ApprovalRequest, 'decidedAt' | 'createdAt' | 'version'> & { decidedAt: Date | null; createdAt: Date; version: number };
const toApproval = (r: Row): ApprovalRequest =>
  ApprovalRequest.parse({
    ...r,
    balanceMinor: Number(r.balanceMinor),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    version: String(r.version),
  });

/** Teams whose requests this user decides: the ones they lead, and their own as a team lead. */
function deciderCondition(user: AuthUser, params: unknown[]): string {
  if (user.role === 'admin') {
    params.push(user.orgId);
    return `r.org_id = $${params.length}`;
  }
  params.push(user.orgId, user.id, user.teamId);
  const n = params.length;
  return `r.org_id = $${n - 2} AND (r.team_id = $${n}::uuid OR r.team_id IN (SELECT t.id FROM teams t WHERE t.lead_id = $${n - 1}))`;
}

export async function listForDecider(db: Db, user: AuthUser, status: string | undefined): Promise<ApprovalRequest[]> {
  const params: unknown[] = [];
  const cond = deciderCondition(user, params);
  const st = status ? ` AND r.status = $${params.push(status)}` : '';
  const rows = await db.query<Row>(
    `SELECT ${APPROVAL_COLUMNS} FROM ${APPROVAL_FROM} WHERE ${cond}${st} ORDER BY r.created_at, r.id LIMIT 500`,
    params,
  );
  return rows.map(toApproval);
}

/** The agent's own requests changed after `since` (a version): how decisions reach the workstation. */
export async function listMine(db: Db, user: AuthUser, since: number): Promise<ApprovalRequest[]> {
  const rows = await db.query<Row>(
    `SELECT ${APPROVAL_COLUMNS} FROM ${APPROVAL_FROM} WHERE r.agent_id = $1 AND r.version > $2 ORDER BY r.version LIMIT 1000`,
    [user.id, since],
  );
  return rows.map(toApproval);
}

async function accountFacts(tx: Db, accountId: string) {
  const [f] = await tx.query<{
    orgId: string;
    product: string;
    currency: 'COP';
    balanceMinor: number;
    principalMinor: number;
    dueDate: string | null;
    timeZone: string;
    prefs: { preferredPaymentDay?: number | null };
  }>(
    `SELECT a.org_id AS "orgId", a.product, a.currency, a.balance_minor AS "balanceMinor", a.principal_minor AS "principalMinor",
       to_char(a.due_date, 'YYYY-MM-DD') AS "dueDate", d.time_zone AS "timeZone", d.contact_prefs AS prefs
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = $1`,
    [accountId],
  );
  return f ?? null;
}

/** The server's own quote of a proposal, with the same shared function the client used offline. */
export async function serverQuote(tx: Db, accountId: string, proposal: NegotiationProposal, at: Date): Promise<NegotiationQuote> {
  const f = await accountFacts(tx, accountId);
  if (!f) throw new Error(`account ${accountId} vanished`);
  const policies = await loadPolicies(tx, f.orgId);
  return quoteNegotiation(
    policies.negotiationPolicy,
    {
      product: f.product,
      currency: f.currency,
      balanceMinor: Number(f.balanceMinor),
      principalMinor: Number(f.principalMinor),
      dpd: daysPastDue(f.dueDate, localDate(at, f.timeZone)),
      preferredPaymentDay: f.prefs?.preferredPaymentDay ?? null,
    },
    proposal,
  );
}

/** approval.request: re-quoted on the server; outside the policy it is refused with the rule. */
export const approvalRequest: Applier<'approval.request'> = async ({ tx, user, scope }, a) => {
  const account = await findAccountForFacts(tx, scope, a.accountId);
  if (!account) throw accountNotFound();
  let quote: NegotiationQuote;
  try {
    quote = await serverQuote(tx, a.accountId, a.proposal, new Date(Math.min(Date.parse(a.createdAt), Date.now())));
  } catch (e) {
    if (e instanceof QuoteError) throw new MutationRejected(e.code, e.message, e.field);
    throw e;
  }
  if (quote.authority.decision === 'outside_policy') {
    const first = quote.authority.reasons[0]!;
    throw MutationRejected.rule(first.ruleId, quote.authority.reasons.map((r) => r.es).join('; '), 'proposal');
  }
  await tx.query(
    `INSERT INTO approval_requests (id, org_id, account_id, agent_id, team_id, proposal, quote, justification, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
    [
      a.id,
      account.orgId,
      a.accountId,
      user.id,
      user.teamId,
      JSON.stringify(a.proposal),
      JSON.stringify(quote),
      a.justification,
      a.createdAt,
    ],
  );
};

/** Creates the promise series of an agreed plan for the agent (plan id = the request id). */
async function createSeries(tx: Db, req: ApprovalRequest, now: Date): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at, plan_id) VALUES ($1, $2, $3, 'call', $4, $5, $6)`,
    [id, req.accountId, req.agentId, req.currency, now.toISOString(), req.id],
  );
  await tx.query(
    `INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor)
     SELECT $1, x.seq, x.due::date, x.amount FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS x(due, amount, seq)`,
    [id, req.quote.schedule.map((i) => i.dueDate), req.quote.schedule.map((i) => i.amountMinor)],
  );
  await recomputeAccountPromises(tx, req.accountId, now);
  return id;
}

export async function decide(tx: Db, user: AuthUser, id: string, d: ApprovalDecision, now: Date): Promise<ApprovalRequest> {
  const params: unknown[] = [id];
  const cond = deciderCondition(user, params);
  const [row] = await tx.query<Row>(`SELECT ${APPROVAL_COLUMNS} FROM ${APPROVAL_FROM} WHERE r.id = $1 AND ${cond} FOR UPDATE OF r`, params);
  if (!row) throw notFound('approval request');
  const req = toApproval(row);
  if (req.status !== 'pending') throw new HttpError(409, 'approval_decided', `this request was already ${req.status}`, 'decision');
  let promiseId: string | null = null;
  if (d.decision === 'approve') promiseId = await createSeries(tx, req, now);
  const status = d.decision === 'approve' ? 'approved' : d.decision === 'reject' ? 'rejected' : 'countered';
  await tx.query(
    `UPDATE approval_requests SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, counter_offer = $6, promise_id = $7
     WHERE id = $1`,
    [id, status, user.id, now.toISOString(), d.reason, d.counterOffer ? JSON.stringify(d.counterOffer) : null, promiseId],
  );
  const [after] = await tx.query<Row>(`SELECT ${APPROVAL_COLUMNS} FROM ${APPROVAL_FROM} WHERE r.id = $1`, [id]);
  return toApproval(after!);
}
