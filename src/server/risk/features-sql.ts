import type { Db } from '../db';
import { CURRENCIES, type CurrencyCode } from '../../shared/domain/money';
import { RIGHT_PARTY_DISPOSITIONS } from '../../shared/domain/enums';
import { ROUGH_UNITS_PER_USD } from '../../shared/rules/priority';
import { NUMERIC_FEATURES, type FeatureRow } from '../../shared/risk/score';

/**
 * Features of every account of an organisation as of a day (docs/risk.md defines each). "As of D"
 * means what the product knew before D began in the organisation's time zone: events count only
 * when both their time (paid_at, started_at, created_at, received_at) and the moment the server
 * recorded them fall before that instant, so a payment file loaded later never leaks into the past.
 * Labels (optional) look at the 30 days from that instant: training pairs point-in-time features
 * with the outcome that followed.
 *
 * DPD and balance on a day come from risk_account_days (what the risk job saw that day). Before the
 * first snapshot they are reconstructed: the balance as today's plus the payments applied since
 * (minus those reversed since), the DPD from today's due date (exact unless a re-import moved it).
 */
export interface FeatureResult {
  accountId: string;
  product: string;
  features: FeatureRow;
  /** present when labels were asked for */
  paidNext30?: boolean;
  rolledNext30?: boolean;
  /** today's DPD and balance, for the day's snapshot */
  dpd: number;
  balanceMinor: number;
}

const usdCase = (col: string) =>
  `CASE ${col} ${Object.entries(CURRENCIES)
    .map(([code, c]) => `WHEN '${code}' THEN ${10 ** c.digits * ROUGH_UNITS_PER_USD[code as CurrencyCode]}`)
    .join(' ')} ELSE 1 END`;

const RPC = [...RIGHT_PARTY_DISPOSITIONS].map((d) => `'${d}'`).join(', ');

/** SQL bucket index of a DPD (the order of DPD_BUCKETS). */
const bucketSql = (dpd: string) =>
  `CASE WHEN ${dpd} <= 0 THEN 0 WHEN ${dpd} <= 30 THEN 1 WHEN ${dpd} <= 60 THEN 2 WHEN ${dpd} <= 90 THEN 3 WHEN ${dpd} <= 120 THEN 4 WHEN ${dpd} <= 180 THEN 5 ELSE 6 END`;

const dpdAt = (day: string, snap: string) =>
  `coalesce(${snap}.dpd, CASE WHEN a.due_date IS NULL OR a.due_date >= ${day} THEN 0 ELSE ${day} - a.due_date END)`;

/**
 * `forScoring`: today's scores also cover accounts loaded today (after the day's cut), with what
 * is known of them; training keeps only accounts that existed at the cut.
 */
export function featureSql(withLabels: boolean, forScoring = false, paged = false): string {
  const labelCols = withLabels
    ? `(coalesce(pay.paid_next, false)) AS "paidNext30",
  (coalesce(b.balance_next_snap, b.balance_now + coalesce(pay.back_next, 0)) > 0 AND ${bucketSql('b.dpd_next')} > ${bucketSql('b.dpd')}) AS "rolledNext30",`
    : '';
  return `
WITH k AS (
  SELECT $2::date AS d, ($2::date::timestamp AT TIME ZONE o.time_zone) AS c, o.time_zone AS tz
  FROM organizations o WHERE o.id = $1
),
base AS (
  SELECT a.id, a.product, a.currency, a.principal_minor, a.due_date, a.created_at, a.balance_minor AS balance_now,
    k.d, k.c, k.tz,
    ${dpdAt('k.d', 's0')} AS dpd,
    ${dpdAt('(k.d - 30)', 's30')} AS dpd_30,
    s0.balance_minor AS balance_snap
    ${withLabels ? `, ${dpdAt('(k.d + 30)', 'sf')} AS dpd_next, sf.balance_minor AS balance_next_snap` : ''}
  FROM accounts a CROSS JOIN k
  LEFT JOIN risk_account_days s0 ON s0.org_id = a.org_id AND s0.account_id = a.id AND s0.day = k.d
  LEFT JOIN risk_account_days s30 ON s30.org_id = a.org_id AND s30.account_id = a.id AND s30.day = k.d - 30
  ${withLabels ? 'LEFT JOIN risk_account_days sf ON sf.org_id = a.org_id AND sf.account_id = a.id AND sf.day = k.d + 30' : ''}
  WHERE a.org_id = $1${forScoring ? '' : ' AND a.created_at < k.c'}${paged ? ' AND a.id > $3::uuid ORDER BY a.id LIMIT $4' : ''}
),
pay AS (
  SELECT p.account_id,
    count(*) FILTER (WHERE kn.known AND p.paid_at >= k.c - interval '180 days') AS n180,
    max(p.paid_at) FILTER (WHERE kn.known) AS last_at,
    count(DISTINCT floor(extract(epoch FROM k.c - p.paid_at) / 2592000)) FILTER (WHERE kn.known AND p.paid_at >= k.c - interval '180 days') AS months6,
    -- the balance then: today's + what was applied since the cut − what was reversed since
    coalesce(sum(coalesce(p.applied_minor, p.amount_minor)) FILTER (WHERE p.paid_at >= k.c AND p.reversed_at IS NULL), 0)
      - coalesce(sum(coalesce(p.applied_minor, p.amount_minor)) FILTER (WHERE p.paid_at < k.c AND p.reversed_at >= k.c), 0) AS back,
    coalesce(sum(coalesce(p.applied_minor, p.amount_minor)) FILTER (WHERE p.paid_at >= k.c + interval '30 days' AND p.reversed_at IS NULL), 0)
      - coalesce(sum(coalesce(p.applied_minor, p.amount_minor))
          FILTER (WHERE p.paid_at < k.c + interval '30 days' AND p.reversed_at >= k.c + interval '30 days'), 0) AS back_next,
    bool_or(p.paid_at >= k.c AND p.paid_at < k.c + interval '30 days' AND p.reversed_at IS NULL) AS paid_next
  FROM payments p CROSS JOIN k
  CROSS JOIN LATERAL (SELECT p.paid_at < k.c AND p.recorded_at < k.c AND (p.reversed_at IS NULL OR p.reversed_at >= k.c) AS known) kn
  WHERE p.account_id IN (SELECT id FROM base)
  GROUP BY p.account_id
),
prom AS (
  SELECT pr.account_id,
    count(*) AS made,
    count(*) FILTER (WHERE pr.status = 'kept' AND i.last_due < k.d) AS kept,
    count(*) FILTER (WHERE pr.status IN ('broken', 'partially_kept') AND i.first_due < k.d) AS broken
  FROM promises pr CROSS JOIN k
  JOIN LATERAL (SELECT min(due_date) AS first_due, max(due_date) AS last_due FROM promise_installments WHERE promise_id = pr.id) i ON true
  WHERE pr.account_id IN (SELECT id FROM base) AND pr.created_at < k.c AND pr.recorded_at < k.c
    AND pr.created_at >= k.c - interval '180 days'
  GROUP BY pr.account_id
),
act AS (
  SELECT ac.account_id,
    count(*) FILTER (WHERE ac.started_at >= k.c - interval '30 days' AND ac.direction = 'outbound' AND ac.channel = 'call') AS calls30,
    count(*) FILTER (WHERE ac.started_at >= k.c - interval '30 days' AND ac.direction = 'outbound' AND ac.channel IN ('sms', 'whatsapp', 'email')) AS msgs30,
    count(*) FILTER (WHERE ac.started_at >= k.c - interval '30 days' AND ac.disposition IN (${RPC})) AS rpc30,
    count(*) FILTER (WHERE ac.disposition = 'dispute') AS disputes365
  FROM activities ac CROSS JOIN k
  WHERE ac.account_id IN (SELECT id FROM base) AND ac.started_at < k.c AND ac.recorded_at < k.c
    AND ac.started_at >= k.c - interval '365 days'
  GROUP BY ac.account_id
),
rep AS (
  SELECT m.account_id, count(*) AS n
  FROM inbound_messages m CROSS JOIN k
  WHERE m.account_id IN (SELECT id FROM base) AND m.received_at < k.c AND m.recorded_at < k.c
    AND m.received_at >= k.c - interval '30 days'
  GROUP BY m.account_id
)
SELECT b.id AS "accountId", b.product, b.dpd::int AS dpd, b.balance::bigint AS "balanceMinor", ${labelCols}
  (b.dpd - b.dpd_30)::int AS dpd_change_30,
  CASE WHEN b.principal_minor > 0 THEN b.balance::float8 / b.principal_minor ELSE 0 END AS balance_share,
  ln(1 + greatest(b.balance, 0)::float8 / (${usdCase('b.currency')})) AS log_balance_usd,
  coalesce(pay.n180, 0)::int AS payments_180,
  coalesce(least(365, b.d - (pay.last_at AT TIME ZONE b.tz)::date), 365)::int AS days_since_payment,
  coalesce(pay.months6, 0)::int AS months_paid_6,
  coalesce(prom.made, 0)::int AS promises_made_180,
  coalesce(prom.kept, 0)::int AS promises_kept_180,
  coalesce(prom.broken, 0)::int AS promises_broken_180,
  coalesce(act.calls30, 0)::int AS call_attempts_30,
  coalesce(act.msgs30, 0)::int AS message_attempts_30,
  coalesce(act.rpc30, 0)::int AS rpc_30,
  coalesce(rep.n, 0)::int AS replies_30,
  coalesce(act.disputes365, 0)::int AS disputes_365,
  greatest(0, b.d - (b.created_at AT TIME ZONE b.tz)::date)::int AS tenure_days
-- the balance on the day: the snapshot's, else today's + applied since the cut − reversed since (pay.back)
FROM (SELECT base.*, coalesce(base.balance_snap, base.balance_now + coalesce(p2.back, 0)) AS balance
      FROM base LEFT JOIN pay p2 ON p2.account_id = base.id) b
LEFT JOIN pay ON pay.account_id = b.id
LEFT JOIN prom ON prom.account_id = b.id
LEFT JOIN act ON act.account_id = b.id
LEFT JOIN rep ON rep.account_id = b.id`;
}

/**
 * Runs the feature query with PostgreSQL's JIT off: its cost estimate crosses jit_above_cost and
 * compiling its many expressions took seconds per page (10 s against 1.2 s for 10,000 accounts,
 * measured), far more than running them.
 */
async function queryNoJit<T>(db: Db, sql: string, params: unknown[]): Promise<T[]> {
  if (db.kind !== 'pg') return db.query<T>(sql, params);
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    return tx.query<T>(sql, params);
  });
}

type Raw = Record<string, unknown> & { accountId: string; product: string; dpd: number; balanceMinor: number };

function toResult(r: Raw, withLabels: boolean): FeatureResult {
  const features: FeatureRow = {};
  for (const f of NUMERIC_FEATURES) features[f] = Number(r[f] ?? 0);
  const out: FeatureResult = {
    accountId: r.accountId,
    product: r.product,
    features,
    dpd: Number(r.dpd),
    balanceMinor: Number(r.balanceMinor),
  };
  if (withLabels) {
    out.paidNext30 = r.paidNext30 === true;
    out.rolledNext30 = r.rolledNext30 === true;
  }
  return out;
}

/** Every account's features as of `day` (YYYY-MM-DD in the organisation's zone). */
export async function featuresAsOf(
  db: Db,
  orgId: string,
  day: string,
  opts: { labels?: boolean; forScoring?: boolean } = {},
): Promise<FeatureResult[]> {
  const withLabels = opts.labels ?? false;
  const rows = await queryNoJit<Raw>(db, featureSql(withLabels, opts.forScoring ?? false), [orgId, day]);
  return rows.map((r) => toResult(r, withLabels));
}

/**
 * The same, a page at a time in account-id order (PAGE accounts per query), so scoring a million
 * accounts never holds them all in memory.
 */
export async function forEachFeaturePage(
  db: Db,
  orgId: string,
  day: string,
  fn: (rows: FeatureResult[]) => Promise<void>,
  opts: { forScoring?: boolean; labels?: boolean; pageSize?: number } = {},
): Promise<number> {
  const size = opts.pageSize ?? 20_000;
  const withLabels = opts.labels ?? false;
  const sql = featureSql(withLabels, opts.forScoring ?? false, true);
  let after = '00000000-0000-0000-0000-000000000000';
  let n = 0;
  for (;;) {
    const rows = (await queryNoJit<Raw>(db, sql, [orgId, day, after, size])).map((r) => toResult(r, withLabels));
    if (rows.length === 0) return n;
    n += rows.length;
    await fn(rows);
    if (rows.length < size) return n;
    after = rows.reduce((m, r) => (r.accountId > m ? r.accountId : m), after);
  }
}

/** Records today's DPD and balance of the rows just computed (idempotent for the day). */
export async function writeAccountDays(db: Db, orgId: string, day: string, rows: readonly FeatureResult[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    const chunk = rows.slice(i, i + 5000);
    await db.query(
      `INSERT INTO risk_account_days (org_id, account_id, day, dpd, balance_minor)
       SELECT $1, u.id, $2::date, u.dpd, u.bal FROM unnest($3::uuid[], $4::int[], $5::bigint[]) AS u(id, dpd, bal)
       ON CONFLICT (org_id, account_id, day) DO UPDATE SET dpd = EXCLUDED.dpd, balance_minor = EXCLUDED.balance_minor`,
      [orgId, day, chunk.map((r) => r.accountId), chunk.map((r) => r.dpd), chunk.map((r) => r.balanceMinor)],
    );
  }
}
