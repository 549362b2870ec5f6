import type { ComplianceDecision } from '../../shared/domain/org-compliance';
import type { AccountStatus, Channel } from '../../shared/domain/enums';
import { RIGHT_PARTY_DISPOSITIONS, type Disposition } from '../../shared/domain/enums';
import { checkContact, type ContactAttempt } from '../../shared/rules/compliance';
import { CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS, toContactPoint, toDebtor } from '../data/rows';
import type { Db } from '../db';
import { loadOrgCompliance } from './rules-store';

/**
 * Every attempt on the debtor the server knows of, from every agent and account. Messages the
 * server refused to send never reached the debtor, so they do not count.
 */
export async function serverHistory(
  db: Db,
  debtorId: string,
  opts: { before?: string; excludeId?: string } = {},
): Promise<ContactAttempt[]> {
  const rows = await db.query<{
    accountId: string;
    agentId: string;
    channel: Channel;
    startedAt: Date;
    disposition: Disposition | null;
    direction: 'outbound' | 'inbound';
  }>(
    `SELECT t.account_id AS "accountId", t.agent_id AS "agentId", t.channel, t.started_at AS "startedAt", t.disposition, t.direction
     FROM activities t JOIN accounts a ON a.id = t.account_id
     WHERE a.debtor_id = $1 AND NOT t.compliance_blocked
       AND ($2::timestamptz IS NULL OR t.started_at < $2::timestamptz) AND ($3::uuid IS NULL OR t.id <> $3::uuid)
     ORDER BY t.started_at`,
    [debtorId, opts.before ?? null, opts.excludeId ?? null],
  );
  return rows.map((r) => ({
    accountId: r.accountId,
    agentId: r.agentId,
    debtorId,
    channel: r.channel,
    at: r.startedAt.toISOString(),
    direction: r.direction,
    conversation: r.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(r.disposition),
  }));
}

export interface ServerCheckInput {
  orgId: string;
  accountId: string;
  contactPointId: string | null;
  channel: Channel;
  at: Date;
  /** Judge an attempt already made: only history before it, without itself. */
  judging?: { activityId: string };
}

export class CheckTargetNotFound extends Error {
  constructor(readonly field: 'accountId' | 'contactPointId') {
    super(`${field === 'accountId' ? 'account' : 'contact point'} not found`);
  }
}

/** The shared checkContact with what only the server has: every agent's attempts and the org's rules. */
export async function checkOnServer(db: Db, input: ServerCheckInput): Promise<ComplianceDecision> {
  const [account] = await db.query<{ id: string; status: AccountStatus; debtorId: string }>(
    'SELECT id, status, debtor_id AS "debtorId" FROM accounts WHERE id = $1 AND org_id = $2',
    [input.accountId, input.orgId],
  );
  if (!account) throw new CheckTargetNotFound('accountId');
  const [debtorRow] = await db.query<Parameters<typeof toDebtor>[0]>(`SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = $1`, [
    account.debtorId,
  ]);
  if (!debtorRow) throw new CheckTargetNotFound('accountId');
  let contactPoint = null;
  if (input.contactPointId) {
    const [cp] = await db.query<Parameters<typeof toContactPoint>[0]>(
      `SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.id = $1 AND c.debtor_id = $2`,
      [input.contactPointId, account.debtorId],
    );
    if (!cp) throw new CheckTargetNotFound('contactPointId');
    contactPoint = toContactPoint(cp);
  }
  const org = await loadOrgCompliance(db, input.orgId);
  const history = await serverHistory(
    db,
    account.debtorId,
    input.judging ? { before: input.at.toISOString(), excludeId: input.judging.activityId } : {},
  );
  return checkContact({
    channel: input.channel,
    contactPoint,
    debtor: toDebtor(debtorRow),
    account,
    history,
    at: input.at,
    org: { country: org.country, timeZone: org.timeZone, dncNumbers: org.rules.dncNumbers, overrides: org.rules.overrides },
  });
}
