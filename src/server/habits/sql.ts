import { RIGHT_PARTY_DISPOSITIONS } from '../../shared/domain/enums';
import type { HourCounts } from '../../shared/rules/contact-habits';
import type { ChannelStats } from '../../shared/rules/channel-recommendation';
import { PAYMENT_DAYS, RESPONSE_DAYS } from '../../shared/rules/channel-recommendation';
import type { Channel } from '../../shared/domain/channels';
import type { Db } from '../db';

/** History the estimates read: the last 180 days (habits change; a year-old pattern says little). */
export const HISTORY_DAYS = 180;

const RPC = [...RIGHT_PARTY_DISPOSITIONS];

/**
 * Call attempts and right-party contacts per debtor and hour of the week in the DEBTOR's zone
 * (weekday × 24 + hour; PostgreSQL's dow is 0 = Sunday like ours). Every agent's attempts count:
 * a debtor reassigned between agents keeps their whole history. Outbound calls only; a call the
 * server refused (compliance_blocked) never reached the debtor.
 */
export async function hourCounts(db: Db, orgId: string, now: Date): Promise<Map<string, HourCounts[]>> {
  const rows = await db.query<{ debtorId: string; how: number; attempts: number; rpc: number }>(
    `SELECT a.debtor_id AS "debtorId",
            (extract(dow FROM t.started_at AT TIME ZONE d.time_zone)::int * 24
              + extract(hour FROM t.started_at AT TIME ZONE d.time_zone)::int) AS how,
            count(*)::int AS attempts,
            count(*) FILTER (WHERE t.disposition = ANY($4::text[]))::int AS rpc
     FROM activities t JOIN accounts a ON a.id = t.account_id JOIN debtors d ON d.id = a.debtor_id
     WHERE a.org_id = $1 AND t.channel = 'call' AND t.direction = 'outbound' AND NOT t.compliance_blocked
       AND t.started_at >= $2::timestamptz - ($3::int * interval '1 day') AND t.started_at < $2::timestamptz
     GROUP BY 1, 2`,
    [orgId, now.toISOString(), HISTORY_DAYS, RPC],
  );
  const out = new Map<string, HourCounts[]>();
  for (const r of rows) {
    const list = out.get(r.debtorId) ?? [];
    list.push({ how: r.how, attempts: r.attempts, rpc: r.rpc });
    out.set(r.debtorId, list);
  }
  return out;
}

/**
 * Per debtor and channel: outbound contacts, and how many were followed by a response (a
 * conversation on the call itself, the message read, an inbound contact from the debtor within
 * RESPONSE_DAYS) or by a payment within PAYMENT_DAYS.
 */
export async function channelCounts(db: Db, orgId: string, now: Date): Promise<Map<string, ChannelStats[]>> {
  const rows = await db.query<{ debtorId: string; channel: Channel; attempts: number; responses: number; payments: number }>(
    `WITH o AS (
       SELECT a.debtor_id, t.channel, t.started_at, t.disposition, t.message_status
       FROM activities t JOIN accounts a ON a.id = t.account_id
       WHERE a.org_id = $1 AND t.direction = 'outbound' AND NOT t.compliance_blocked
         AND t.started_at >= $2::timestamptz - ($3::int * interval '1 day') AND t.started_at < $2::timestamptz
     ),
     scored AS (
       SELECT o.debtor_id, o.channel,
         (o.disposition = ANY($4::text[]) OR o.message_status = 'read'
           OR EXISTS (SELECT 1 FROM activities i JOIN accounts ia ON ia.id = i.account_id
                      WHERE ia.debtor_id = o.debtor_id AND i.direction = 'inbound'
                        AND i.started_at > o.started_at AND i.started_at <= o.started_at + ($5::int * interval '1 day'))) AS responded,
         EXISTS (SELECT 1 FROM payments p JOIN accounts pa ON pa.id = p.account_id
                 WHERE pa.debtor_id = o.debtor_id AND p.reversed_at IS NULL
                   AND p.paid_at > o.started_at AND p.paid_at <= o.started_at + ($6::int * interval '1 day')) AS paid
       FROM o
     )
     SELECT debtor_id AS "debtorId", channel, count(*)::int AS attempts,
            count(*) FILTER (WHERE responded OR paid)::int AS responses, count(*) FILTER (WHERE paid)::int AS payments
     FROM scored GROUP BY 1, 2`,
    [orgId, now.toISOString(), HISTORY_DAYS, RPC, RESPONSE_DAYS, PAYMENT_DAYS],
  );
  const out = new Map<string, ChannelStats[]>();
  for (const r of rows) {
    const list = out.get(r.debtorId) ?? [];
    list.push({ channel: r.channel, attempts: r.attempts, responses: r.responses, payments: r.payments });
    out.set(r.debtorId, list);
  }
  return out;
}

export interface DebtorFacts {
  id: string;
  country: string;
  timeZone: string;
  contactPrefs: unknown;
  fileSegment: 'low' | 'medium' | 'high';
  dpd: number;
  /** [currency, balance_minor] of each active account: summed in USD by the caller. */
  balances: Array<[string, number]>;
  product: string;
  promisesBroken: number;
  score: number | null;
  contactKinds: Array<{ id: string; kind: string; value: string; invalid: boolean; doNotContact: boolean }>;
}

/**
 * One row per debtor with an account: the features the segment rules read. DPD is the worst of
 * the debtor's accounts on the debtor's calendar day; the product is that account's. The risk
 * model's probability of payment (account_scores, another migration) is read when the table
 * exists: the lowest of the debtor's accounts.
 */
export async function debtorFacts(db: Db, orgId: string, now: Date): Promise<DebtorFacts[]> {
  const [scores] = await db.query<{ present: boolean }>(`SELECT to_regclass('account_scores') IS NOT NULL AS present`);
  const score = scores?.present
    ? `(SELECT min(s.pay_probability) FROM account_scores s JOIN accounts sa ON sa.id = s.account_id WHERE sa.debtor_id = d.id)::float8`
    : 'NULL::float8';
  return db.query<DebtorFacts>(
    `SELECT d.id, d.country, d.time_zone AS "timeZone", d.contact_prefs AS "contactPrefs", d.segment AS "fileSegment",
            w.dpd, w.product,
            (SELECT coalesce(json_agg(json_build_array(a.currency, a.balance_minor)), '[]'::json) FROM accounts a
               WHERE a.debtor_id = d.id AND a.status = 'active') AS balances,
            (SELECT count(*)::int FROM promises pr JOIN accounts a ON a.id = pr.account_id
               WHERE a.debtor_id = d.id AND pr.status = 'broken') AS "promisesBroken",
            ${score} AS score,
            (SELECT coalesce(json_agg(json_build_object('id', c.id, 'kind', c.kind, 'value', c.value, 'invalid', c.invalid,
                      'doNotContact', c.do_not_contact) ORDER BY c.id), '[]'::json)
               FROM contact_points c WHERE c.debtor_id = d.id) AS "contactKinds"
     FROM debtors d
     JOIN LATERAL (
       SELECT greatest(0, coalesce((($2::timestamptz AT TIME ZONE d.time_zone)::date - a.due_date), 0))::int AS dpd, a.product
       FROM accounts a WHERE a.debtor_id = d.id ORDER BY (a.status = 'active') DESC, a.due_date NULLS LAST, a.id LIMIT 1
     ) w ON true
     WHERE d.org_id = $1`,
    [orgId, now.toISOString()],
  );
}
