import type { ContactPreferences } from '../../shared/domain/entities';
import type { Channel, Disposition } from '../../shared/domain/enums';
import { RIGHT_PARTY_DISPOSITIONS } from '../../shared/domain/enums';
import type { CurrencyCode } from '../../shared/domain/money';
import type { ContactAttempt } from '../../shared/rules/compliance';
import type { PromiseFacts, StrategyAccount, StrategyContactPoint } from '../../shared/rules/strategy';
import { toDebtor } from '../data/rows';
import type { Db } from '../db';

/** Everything the strategy rules read about one account. */
export interface AccountFacts {
  account: StrategyAccount & { debtorId: string; currency: CurrencyCode; assignedAgentId: string | null };
  debtor: { id: string; country: string; timeZone: string; contactPrefs: ContactPreferences };
  contactPoints: StrategyContactPoint[];
  history: ContactAttempt[];
  promises: PromiseFacts[];
  /** The debtor's best hour-of-week cells (contact_habits; empty: none learned). */
  bestHours: number[];
}

/**
 * How far back contacts are read for the caps. The longest cap in the law profiles is a week
 * (CO, CL, US); 35 days leaves room for an organisation's own monthly cap.
 */
export const HISTORY_DAYS = 35;

/** Loads the facts of many accounts in a handful of set-based queries (planning reads thousands at once). */
export async function loadFacts(db: Db, orgId: string, accountIds: readonly string[], now: Date): Promise<Map<string, AccountFacts>> {
  const out = new Map<string, AccountFacts>();
  if (accountIds.length === 0) return out;
  const rows = await db.query<{
    id: string;
    debtorId: string;
    status: StrategyAccount['status'];
    balanceMinor: number;
    currency: CurrencyCode;
    product: string;
    dueDate: string | null;
    legalStage: boolean;
    assignedAgentId: string | null;
    dId: string;
    country: string;
    timeZone: string;
    segment: StrategyAccount['segment'];
    contactPrefs: unknown;
    bestHours: number[] | null;
  }>(
    `SELECT a.id, a.debtor_id AS "debtorId", a.status, a.balance_minor AS "balanceMinor", a.currency, a.product,
            a.due_date AS "dueDate", a.legal_stage AS "legalStage", a.assigned_agent_id AS "assignedAgentId",
            d.id AS "dId", d.country, d.time_zone AS "timeZone", coalesce(h.segment, d.segment) AS segment,
            d.contact_prefs AS "contactPrefs", h.best_hours AS "bestHours"
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id
     -- the segment the organisation's rules give (docs/contact-habits.md), the file's when none was computed
     LEFT JOIN contact_habits h ON h.debtor_id = d.id
     WHERE a.org_id = $1 AND a.id = ANY($2::uuid[])`,
    [orgId, accountIds],
  );
  const debtorIds = [...new Set(rows.map((r) => r.debtorId))];
  const [cps, acts, proms] = await Promise.all([
    db.query<StrategyContactPoint & { debtorId: string }>(
      `SELECT c.id, c.debtor_id AS "debtorId", c.kind, c.value, c.invalid, c.do_not_contact AS "doNotContact"
       FROM contact_points c WHERE c.debtor_id = ANY($1::uuid[]) ORDER BY c.verified DESC, c.created_at, c.id`,
      [debtorIds],
    ),
    db.query<{
      accountId: string;
      debtorId: string;
      agentId: string;
      channel: Channel;
      startedAt: Date;
      disposition: Disposition | null;
      direction: 'outbound' | 'inbound';
    }>(
      `SELECT t.account_id AS "accountId", a.debtor_id AS "debtorId", t.agent_id AS "agentId", t.channel, t.started_at AS "startedAt",
              t.disposition, t.direction
       FROM activities t JOIN accounts a ON a.id = t.account_id
       WHERE a.debtor_id = ANY($1::uuid[]) AND NOT t.compliance_blocked AND t.started_at >= $2::timestamptz
       ORDER BY t.started_at`,
      [debtorIds, new Date(now.getTime() - HISTORY_DAYS * 86_400_000).toISOString()],
    ),
    db.query<{ accountId: string; id: string; status: PromiseFacts['status']; installments: PromiseFacts['installments'] }>(
      `SELECT p.account_id AS "accountId", p.id, p.status,
              coalesce(json_agg(json_build_object('seq', i.seq, 'dueDate', i.due_date, 'amountMinor', i.amount_minor, 'paidMinor', i.paid_minor)
                       ORDER BY i.seq) FILTER (WHERE i.seq IS NOT NULL), '[]') AS installments
       FROM promises p LEFT JOIN promise_installments i ON i.promise_id = p.id
       WHERE p.account_id = ANY($1::uuid[]) AND p.status IN ('pending', 'partially_kept', 'broken')
       GROUP BY p.account_id, p.id, p.status`,
      [accountIds],
    ),
  ]);
  const cpBy = groupBy(cps, (c) => c.debtorId);
  const actBy = groupBy(acts, (t) => t.debtorId);
  const promBy = groupBy(proms, (p) => p.accountId);
  for (const r of rows) {
    const debtor = toDebtor({
      id: r.dId,
      country: r.country,
      timeZone: r.timeZone,
      contactPrefs: r.contactPrefs,
    } as Parameters<typeof toDebtor>[0]);
    const promises = (promBy.get(r.id) ?? []).map((p) => ({
      id: p.id,
      status: p.status,
      installments: p.installments.map((i) => ({ ...i, amountMinor: Number(i.amountMinor), paidMinor: Number(i.paidMinor) })),
    }));
    out.set(r.id, {
      account: {
        id: r.id,
        debtorId: r.debtorId,
        status: r.status,
        balanceMinor: Number(r.balanceMinor),
        currency: r.currency,
        segment: r.segment,
        product: r.product,
        country: r.country,
        dueDate: r.dueDate,
        legalStage: r.legalStage,
        promiseOpen: promises.some((p) => p.status === 'pending' || p.status === 'partially_kept'),
        assignedAgentId: r.assignedAgentId,
      },
      debtor: { id: debtor.id, country: debtor.country, timeZone: debtor.timeZone, contactPrefs: debtor.contactPrefs },
      contactPoints: (cpBy.get(r.debtorId) ?? []).map(({ debtorId: _d, ...c }) => c),
      history: (actBy.get(r.debtorId) ?? []).map((t) => ({
        accountId: t.accountId,
        agentId: t.agentId,
        debtorId: t.debtorId,
        channel: t.channel,
        at: t.startedAt.toISOString(),
        direction: t.direction,
        conversation: t.disposition !== null && RIGHT_PARTY_DISPOSITIONS.has(t.disposition),
      })),
      promises,
      bestHours: r.bestHours ?? [],
    });
  }
  return out;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}
