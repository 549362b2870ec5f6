import { RIGHT_PARTY_DISPOSITIONS, STATUS_FROM_DISPOSITION, type AccountStatus, type Channel, type Disposition } from '../../../shared/domain/enums';
import { checkContact, type ContactAttempt } from '../../../shared/rules/compliance';
import type { MutationArgs } from '../../../shared/sync/mutations';
import { loadOrgCompliance } from '../../compliance/rules-store';
import { CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS, toContactPoint, toDebtor } from '../../data/rows';
import { accountNotFound, MutationRejected, type ApplyContext } from './types';

type Args = MutationArgs<'activity.log'>;
type DebtorRow = Parameters<typeof toDebtor>[0];
type ContactPointRow = Parameters<typeof toContactPoint>[0] & { debtorId: string };

/**
 * A run of consecutive activity.log mutations, applied as activityLog (./activity-log.ts) would
 * one after the other, in a handful of statements whatever the run's length: the accounts came
 * with the batch (ctx.factsAccounts); contact points, debtors, the organisation's rules and every
 * debtor's history are read once; each attempt is judged by the same shared checkContact, against
 * the history as the one-by-one path would see it — including the attempts of this run stored
 * before it, and each account's status as the outcomes before it in the run left it; then all
 * are inserted in one statement and each account's last contact and implied status updated once.
 * Anything the one-by-one path would refuse throws: the caller falls back to it.
 */
export async function activityLogRun(ctx: ApplyContext, run: Args[]): Promise<void> {
  const { tx, user } = ctx;
  const accounts = run.map((a) => {
    const account = ctx.factsAccounts?.get(a.accountId);
    if (!account) throw accountNotFound();
    return account;
  });
  const orgId = accounts[0]!.orgId;
  if (accounts.some((a) => a.orgId !== orgId)) throw new Error('a push spans one organisation');
  const debtorIds = [...new Set(accounts.map((a) => a.debtorId))];
  const cpIds = [...new Set(run.flatMap((a) => (a.contactPointId ? [a.contactPointId] : [])))];
  type HistoryRow = { id: string; debtorId: string; accountId: string; channel: Channel; startedAt: string; disposition: Disposition | null; direction: 'outbound' | 'inbound' };
  // one round trip: contact points, debtors, account statuses, every debtor's history
  // (serverHistory in src/server/compliance/check.ts, for all at once) and the ids already stored
  const [read] = await tx.query<{
    cps: ContactPointRow[] | null; debtors: DebtorRow[] | null; statuses: Array<{ id: string; status: AccountStatus }> | null;
    history: HistoryRow[] | null; existing: string[] | null;
  }>(
    `SELECT
       (SELECT json_agg(x) FROM (SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.id = ANY($1::uuid[])) x) AS cps,
       (SELECT json_agg(x) FROM (SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = ANY($2::uuid[])) x) AS debtors,
       (SELECT json_agg(x) FROM (SELECT id, status FROM accounts WHERE id = ANY($3::uuid[])) x) AS statuses,
       (SELECT json_agg(x) FROM (
          SELECT t.id, a.debtor_id AS "debtorId", t.account_id AS "accountId", t.channel, t.started_at AS "startedAt", t.disposition, t.direction
          FROM activities t JOIN accounts a ON a.id = t.account_id
          WHERE a.debtor_id = ANY($2::uuid[]) AND NOT t.compliance_blocked) x) AS history,
       (SELECT json_agg(id) FROM activities WHERE id = ANY($4::uuid[])) AS existing`,
    [cpIds, debtorIds, [...new Set(run.map((a) => a.accountId))], run.map((a) => a.id)],
  );
  const cps = read?.cps ?? [];
  const debtors = read?.debtors ?? [];
  const statuses = read?.statuses ?? [];
  const history = (read?.history ?? []).map((h) => ({ ...h, startedAt: new Date(h.startedAt) }));
  const existing = (read?.existing ?? []).map((id) => ({ id }));
  const cpById = new Map(cps.map((c) => [c.id, c]));
  const debtorById = new Map(debtors.map((d) => [d.id, d]));
  const statusOf = new Map(statuses.map((s) => [s.id, s.status]));
  const stored = new Set(existing.map((e) => e.id));
  const attempts = new Map<string, Array<ContactAttempt & { id: string; ms: number }>>();
  const remember = (debtorId: string, x: { id: string; accountId: string; channel: Channel; at: Date; disposition: Disposition | null; direction: 'outbound' | 'inbound' }) => {
    const list = attempts.get(debtorId) ?? [];
    list.push({
      id: x.id, ms: x.at.getTime(), accountId: x.accountId, debtorId, channel: x.channel, at: x.at.toISOString(), direction: x.direction,
      conversation: x.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(x.disposition),
    });
    attempts.set(debtorId, list);
  };
  for (const h of history) remember(h.debtorId, { ...h, at: h.startedAt });
  let org: ReturnType<typeof loadOrgCompliance> | null = null;

  const violations: Array<string[] | null> = [];
  const inserted = new Set<string>();
  for (const [i, a] of run.entries()) {
    const account = accounts[i]!;
    const cp = a.contactPointId ? cpById.get(a.contactPointId) : undefined;
    if (a.contactPointId && (!cp || cp.debtorId !== account.debtorId)) {
      throw new MutationRejected('invalid_args', "contact point is not one of this debtor's", 'contactPointId');
    }
    const at = new Date(a.startedAt);
    let violation: string[] | null = null;
    // judgeAttempt (src/server/compliance/verdict.ts): inbound contacts and letters are never judged
    if (a.direction !== 'inbound' && a.channel !== 'letter') {
      const debtorRow = debtorById.get(account.debtorId);
      if (!debtorRow) throw accountNotFound();
      const { country, timeZone, rules } = await (org ??= loadOrgCompliance(tx, orgId));
      const decision = checkContact({
        channel: a.channel, contactPoint: cp ? toContactPoint(cp) : null, debtor: toDebtor(debtorRow),
        account: { id: account.id, status: statusOf.get(account.id)! },
        history: (attempts.get(account.debtorId) ?? [])
          .filter((h) => h.ms < at.getTime() && h.id !== a.id)
          .sort((x, y) => x.ms - y.ms)
          .map(({ id: _id, ms: _ms, ...h }) => h),
        at, org: { country, timeZone, dncNumbers: rules.dncNumbers, overrides: rules.overrides },
      });
      violation = decision.allowed ? null : decision.reasons.map((r) => r.ruleId);
    }
    violations.push(violation);
    if (stored.has(a.id) || inserted.has(a.id)) continue;
    inserted.add(a.id);
    remember(account.debtorId, { id: a.id, accountId: a.accountId, channel: a.channel, at, disposition: a.disposition, direction: a.direction });
    const implied = a.disposition ? STATUS_FROM_DISPOSITION[a.disposition] : undefined;
    if (implied) statusOf.set(account.id, implied);
  }

  const fresh = run.map((a, i) => ({ a, v: violations[i]! })).filter(({ a }, i) => !stored.has(a.id) && run.findIndex((b) => b.id === a.id) === i);
  if (fresh.length === 0) return;
  const rows = fresh.map(({ a, v }, ord) => ({
    ord, id: a.id, account_id: a.accountId, channel: a.channel, direction: a.direction, contact_point_id: a.contactPointId,
    address: a.address, disposition: a.disposition, note: a.note, started_at: a.startedAt, answered_at: a.answeredAt,
    ended_at: a.endedAt, duration_sec: a.durationSec, sip_status: a.sipStatus, hangup_by: a.hangupBy, promise_id: a.promiseId,
    compliance_violation: v, implied: a.disposition ? STATUS_FROM_DISPOSITION[a.disposition] ?? null : null,
  }));
  // Rows go in in run order (versions too). Per account: the latest contact, and the status the
  // last outcome with one implies — what the one-by-one updates would have left.
  await tx.query(
    `WITH r AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id uuid, account_id uuid, channel text, direction text,
         contact_point_id uuid, address text, disposition text, note text, started_at timestamptz, answered_at timestamptz,
         ended_at timestamptz, duration_sec integer, sip_status integer, hangup_by text, promise_id uuid,
         compliance_violation text[], implied text)),
     ins AS (
       INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note,
         started_at, answered_at, ended_at, duration_sec, sip_status, hangup_by, promise_id, compliance_violation)
       SELECT id, account_id, $2, channel, direction, contact_point_id, address, disposition, note,
         started_at, answered_at, ended_at, duration_sec, sip_status, hangup_by, promise_id, compliance_violation
       FROM r ORDER BY ord
       ON CONFLICT (id) DO NOTHING RETURNING id),
     per_account AS (
       SELECT r.account_id, max(r.started_at) AS contact,
         (array_agg(r.implied ORDER BY r.ord DESC) FILTER (WHERE r.implied IS NOT NULL))[1] AS implied
       FROM r JOIN ins ON ins.id = r.id GROUP BY r.account_id)
     UPDATE accounts a SET last_contact_at = GREATEST(coalesce(a.last_contact_at, p.contact), p.contact),
       status = coalesce(p.implied, a.status)
     FROM per_account p WHERE a.id = p.account_id`,
    [JSON.stringify(rows), user.id],
  );
}
