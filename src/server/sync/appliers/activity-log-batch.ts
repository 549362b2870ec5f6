import {
  RIGHT_PARTY_DISPOSITIONS,
  STATUS_FROM_DISPOSITION,
  type AccountStatus,
  type Channel,
  type Disposition,
} from '../../../shared/domain/enums';
import { checkContact, type ContactAttempt } from '../../../shared/rules/compliance';
import type { MutationArgs } from '../../../shared/sync/mutations';
import { OrgComplianceRules } from '../../../shared/domain/org-compliance';
import type { SqlParams } from '../../access/visibility';
import { loadOrgCompliance } from '../../compliance/rules-store';
import { CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS, toContactPoint, toDebtor } from '../../data/rows';
import { refusedWhenForbidden } from '../../compliance/verdict';
import { accountNotFound, MutationRejected, type ApplyContext } from './types';

type Args = MutationArgs<'activity.log'>;
type DebtorRow = Parameters<typeof toDebtor>[0];
type ContactPointRow = Parameters<typeof toContactPoint>[0] & { debtorId: string };

type HistoryRow = {
  id: string;
  debtorId: string;
  accountId: string;
  channel: Channel;
  startedAt: string;
  disposition: Disposition | null;
  direction: 'outbound' | 'inbound';
};
type OrgRow = { overrides: unknown; dncNumbers: string[] | null; country: string; timeZone: string };

/** What push.ts writes last on the client's row (see applyBatch). */
export interface RunFinish {
  clientId: string;
  lastMutationId: number;
}

/** What a run is judged against, read in one statement (json columns; null = no row). */
export interface RunRead {
  cps: ContactPointRow[] | null;
  debtors: DebtorRow[] | null;
  history: HistoryRow[] | null;
  existing: string[] | null;
  /** The organisation's country, zone and rules, as loadOrgCompliance reads them; absent = not read yet. */
  org?: OrgRow | null;
}

// every debtor's history: serverHistory in src/server/compliance/check.ts, for all at once
const HISTORY = `SELECT t.id, a.debtor_id AS "debtorId", t.account_id AS "accountId", t.channel, t.started_at AS "startedAt", t.disposition, t.direction
          FROM activities t JOIN accounts a ON a.id = t.account_id`;

/**
 * The select-list columns of RunRead for a whole batch that is this run, added to push.ts's read
 * of the batch's accounts (a CTE `facts` of AccountRef rows): the accounts, the run's contact
 * points, debtors, histories, stored ids and the organisation's rules in that one statement.
 */
export function RUN_READ_COLUMNS(p: SqlParams, run: Args[], orgId: string): string {
  const cpIds = [...new Set(run.flatMap((a) => (a.contactPointId ? [a.contactPointId] : [])))];
  return `(SELECT json_agg(x) FROM (SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.id = ANY(${p.add(cpIds)}::uuid[])) x) AS cps,
       (SELECT json_agg(x) FROM (SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id IN (SELECT "debtorId" FROM facts)) x) AS debtors,
       (SELECT json_agg(x) FROM (${HISTORY} WHERE a.debtor_id IN (SELECT "debtorId" FROM facts) AND NOT t.compliance_blocked) x) AS history,
       (SELECT json_agg(id) FROM activities WHERE id = ANY(${p.add(run.map((a) => a.id))}::uuid[])) AS existing,
       (SELECT row_to_json(x) FROM (SELECT c.overrides, c.dnc_numbers AS "dncNumbers", o.country, o.time_zone AS "timeZone"
          FROM organizations o LEFT JOIN org_compliance c ON c.org_id = o.id WHERE o.id = ${p.add(orgId)}) x) AS org`;
}

/**
 * A run of consecutive activity.log mutations, applied as activityLog (./activity-log.ts) would
 * one after the other, in a handful of statements whatever the run's length: the accounts came
 * with the batch (ctx.factsAccounts); contact points, debtors, the organisation's rules and every
 * debtor's history are read once (by the caller with the accounts, `pre`, when the batch is this
 * run); each attempt is judged by the same shared checkContact, against
 * the history as the one-by-one path would see it — including the attempts of this run stored
 * before it, and each account's status as the outcomes before it in the run left it; then all
 * are inserted in one statement and each account's last contact and implied status updated once.
 * Anything the one-by-one path would refuse throws: the caller falls back to it.
 * With `finish` (the batch is this run and nothing in it is refused), the client's row is brought
 * to its last mutation in the same statement as the inserts; true when that was done.
 */
export async function activityLogRun(ctx: ApplyContext, run: Args[], pre?: RunRead, finish?: RunFinish): Promise<boolean> {
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
  // with `pre`, the statuses are those read with the accounts: nothing ran between
  const read: RunRead & { statuses: Array<{ id: string; status: AccountStatus }> | null } = pre
    ? { ...pre, statuses: accounts.map((a) => ({ id: a.id, status: a.status as AccountStatus })) }
    : ((
        await tx.query<RunRead & { statuses: Array<{ id: string; status: AccountStatus }> | null }>(
          // one round trip: contact points, debtors, account statuses, every debtor's history and the ids already stored
          `SELECT
         (SELECT json_agg(x) FROM (SELECT ${CONTACT_POINT_COLUMNS} FROM contact_points c WHERE c.id = ANY($1::uuid[])) x) AS cps,
         (SELECT json_agg(x) FROM (SELECT ${DEBTOR_COLUMNS} FROM debtors d WHERE d.id = ANY($2::uuid[])) x) AS debtors,
         (SELECT json_agg(x) FROM (SELECT id, status FROM accounts WHERE id = ANY($3::uuid[])) x) AS statuses,
         (SELECT json_agg(x) FROM (${HISTORY} WHERE a.debtor_id = ANY($2::uuid[]) AND NOT t.compliance_blocked) x) AS history,
         (SELECT json_agg(id) FROM activities WHERE id = ANY($4::uuid[])) AS existing`,
          [cpIds, debtorIds, [...new Set(run.map((a) => a.accountId))], run.map((a) => a.id)],
        )
      )[0] ?? { cps: null, debtors: null, statuses: null, history: null, existing: null });
  const cps = read.cps ?? [];
  const debtors = read.debtors ?? [];
  const statuses = read.statuses ?? [];
  const history = (read.history ?? []).map((h) => ({ ...h, startedAt: new Date(h.startedAt) }));
  const existing = (read.existing ?? []).map((id) => ({ id }));
  const cpById = new Map(cps.map((c) => [c.id, c]));
  const debtorById = new Map(debtors.map((d) => [d.id, d]));
  const statusOf = new Map(statuses.map((s) => [s.id, s.status]));
  const stored = new Set(existing.map((e) => e.id));
  const attempts = new Map<string, Array<ContactAttempt & { id: string; ms: number }>>();
  const remember = (
    debtorId: string,
    x: { id: string; accountId: string; channel: Channel; at: Date; disposition: Disposition | null; direction: 'outbound' | 'inbound' },
  ) => {
    const list = attempts.get(debtorId) ?? [];
    list.push({
      id: x.id,
      ms: x.at.getTime(),
      accountId: x.accountId,
      debtorId,
      channel: x.channel,
      at: x.at.toISOString(),
      direction: x.direction,
      conversation: x.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(x.disposition),
    });
    attempts.set(debtorId, list);
  };
  for (const h of history) remember(h.debtorId, { ...h, at: h.startedAt });
  // as loadOrgCompliance (src/server/compliance/rules-store.ts) answers, when read with the rest
  const orgRow = pre?.org;
  let org: Promise<Pick<Awaited<ReturnType<typeof loadOrgCompliance>>, 'country' | 'timeZone' | 'rules'>> | null = orgRow
    ? Promise.resolve({
        country: orgRow.country,
        timeZone: orgRow.timeZone,
        rules: OrgComplianceRules.parse({ overrides: orgRow.overrides ?? {}, dncNumbers: orgRow.dncNumbers ?? [] }),
      })
    : null;

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
        channel: a.channel,
        contactPoint: cp ? toContactPoint(cp) : null,
        debtor: toDebtor(debtorRow),
        account: { id: account.id, status: statusOf.get(account.id)! },
        history: (attempts.get(account.debtorId) ?? [])
          .filter((h) => h.ms < at.getTime() && h.id !== a.id)
          .sort((x, y) => x.ms - y.ms)
          .map(({ id: _id, ms: _ms, ...h }) => h),
        at,
        org: { country, timeZone, dncNumbers: rules.dncNumbers, overrides: rules.overrides },
      });
      violation = decision.allowed ? null : decision.reasons.map((r) => r.ruleId);
      // refused, not recorded: the one-by-one path (activityLog) says why
      if (violation && !stored.has(a.id) && refusedWhenForbidden(a))
        throw new MutationRejected('compliance_blocked', 'refused: see activityLog');
    }
    violations.push(violation);
    if (stored.has(a.id) || inserted.has(a.id)) continue;
    inserted.add(a.id);
    remember(account.debtorId, {
      id: a.id,
      accountId: a.accountId,
      channel: a.channel,
      at,
      disposition: a.disposition,
      direction: a.direction,
    });
    const implied = a.disposition ? STATUS_FROM_DISPOSITION[a.disposition] : undefined;
    if (implied) statusOf.set(account.id, implied);
  }

  const fresh = run
    .map((a, i) => ({ a, v: violations[i]! }))
    .filter(({ a }, i) => !stored.has(a.id) && run.findIndex((b) => b.id === a.id) === i);
  if (fresh.length === 0) return false;
  const rows = fresh.map(({ a, v }, ord) => ({
    ord,
    id: a.id,
    account_id: a.accountId,
    channel: a.channel,
    direction: a.direction,
    contact_point_id: a.contactPointId,
    address: a.address,
    disposition: a.disposition,
    note: a.note,
    started_at: a.startedAt,
    answered_at: a.answeredAt,
    ended_at: a.endedAt,
    duration_sec: a.durationSec,
    sip_status: a.sipStatus,
    hangup_by: a.hangupBy,
    promise_id: a.promiseId,
    manual_dial: a.manualDial,
    compliance_violation: v,
    implied: a.disposition ? (STATUS_FROM_DISPOSITION[a.disposition] ?? null) : null,
  }));
  // Rows go in in run order (versions too). Per account: the latest contact, and the status the
  // last outcome with one implies — what the one-by-one updates would have left.
  const write = `r AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(ord int, id uuid, account_id uuid, channel text, direction text,
         contact_point_id uuid, address text, disposition text, note text, started_at timestamptz, answered_at timestamptz,
         ended_at timestamptz, duration_sec integer, sip_status integer, hangup_by text, promise_id uuid,
         manual_dial boolean, compliance_violation text[], implied text)),
     ins AS (
       INSERT INTO activities (id, account_id, agent_id, channel, direction, contact_point_id, address, disposition, note,
         started_at, answered_at, ended_at, duration_sec, sip_status, hangup_by, promise_id, compliance_violation, manual_dial)
       SELECT id, account_id, $2, channel, direction, contact_point_id, address, disposition, note,
         started_at, answered_at, ended_at, duration_sec, sip_status, hangup_by, promise_id, compliance_violation, manual_dial
       FROM r ORDER BY ord
       ON CONFLICT (id) DO NOTHING RETURNING id),
     per_account AS (
       SELECT r.account_id, max(r.started_at) AS contact,
         (array_agg(r.implied ORDER BY r.ord DESC) FILTER (WHERE r.implied IS NOT NULL))[1] AS implied
       FROM r JOIN ins ON ins.id = r.id GROUP BY r.account_id)`;
  const update = `UPDATE accounts a SET last_contact_at = GREATEST(coalesce(a.last_contact_at, p.contact), p.contact),
       status = coalesce(p.implied, a.status)
     FROM per_account p WHERE a.id = p.account_id`;
  if (!finish) {
    await tx.query(`WITH ${write} ${update}`, [JSON.stringify(rows), user.id]);
    return false;
  }
  // The client's acknowledgment in the same statement (push.ts would send it next otherwise). Its
  // ack_version must be drawn after every version this statement draws: it is computed from the
  // accounts update's full output, which needs the inserts' — so it is drawn last.
  await tx.query(
    `WITH ${write},
     acc AS (${update} RETURNING a.id)
     UPDATE sync_clients SET last_mutation_id = $4, last_seen_at = now(),
       ack_version = (SELECT next_change_version() FROM (SELECT count(*) FROM acc) n)
     WHERE client_id = $3`,
    [JSON.stringify(rows), user.id, finish.clientId, finish.lastMutationId],
  );
  return true;
}
