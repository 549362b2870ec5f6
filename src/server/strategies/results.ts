import type { StrategyResults } from '../../shared/domain/strategy';
import type { Db } from '../db';

/**
 * Champion against challenger, over the accounts each ladder touched: cure rate (balance paid or
 * nothing past due today), amount collected since the account's first run per currency, and
 * contacts per cure. Cost per peso needs a price per channel the organisation has not given yet.
 */
export async function strategyResults(db: Db, strategyId: string, today: string): Promise<StrategyResults> {
  const rows = await db.query<{ variant: 'champion' | 'challenger'; accounts: number; contacts: number; cured: number }>(
    `WITH acc AS (
       SELECT account_id, variant, count(*) FILTER (WHERE status = 'sent')::int AS contacts
       FROM strategy_runs WHERE strategy_id = $1 GROUP BY account_id, variant)
     SELECT acc.variant, count(*)::int AS accounts, coalesce(sum(acc.contacts), 0)::int AS contacts,
            count(*) FILTER (WHERE a.balance_minor = 0 OR a.due_date IS NULL OR a.due_date >= $2::date)::int AS cured
     FROM acc JOIN accounts a ON a.id = acc.account_id GROUP BY acc.variant ORDER BY acc.variant`,
    [strategyId, today],
  );
  const money = await db.query<{ variant: string; currency: string; amountMinor: number }>(
    `WITH acc AS (SELECT account_id, variant, min(created_at) AS since FROM strategy_runs WHERE strategy_id = $1 GROUP BY account_id, variant)
     SELECT acc.variant, p.currency, sum(p.amount_minor)::bigint AS "amountMinor"
     FROM acc JOIN payments p ON p.account_id = acc.account_id AND p.paid_at >= acc.since AND p.reversed_at IS NULL
     GROUP BY acc.variant, p.currency ORDER BY p.currency`,
    [strategyId],
  );
  return {
    strategyId,
    variants: rows.map((r) => ({
      ...r,
      cureRate: r.accounts ? r.cured / r.accounts : 0,
      collected: money.filter((m) => m.variant === r.variant).map((m) => ({ currency: m.currency, amountMinor: Number(m.amountMinor) })),
      contactsPerCure: r.cured ? r.contacts / r.cured : null,
    })),
  };
}
