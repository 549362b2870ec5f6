import type { CurrencyCode } from '../../shared/domain/money';
import { CurrencyCode as Currencies } from '../../shared/domain/money';
import { contactCost } from '../../shared/domain/contact-costs';
import { StepAction, type StrategyResults } from '../../shared/domain/strategy';
import type { Db } from '../db';
import { contactCosts } from './costs';

/**
 * Champion against challenger, over the accounts each ladder touched: cure rate (balance paid or
 * nothing past due today), contacts per cure (messages and letters that went out: a failed message
 * reached nobody), and per currency the amount collected since the
 * account's first run, what the ladder's contacts cost at the organisation's prices, and the cost
 * per peso collected. A contact is billed when it went out: a sent run whose message did not fail
 * (a provider does not charge a refused message), a call task (minutes × price per minute), a
 * hand-over (free by default). Skipped and waiting runs cost nothing.
 */
export async function strategyResults(db: Db, orgId: string, strategyId: string, today: string): Promise<StrategyResults> {
  const { costs, callTaskMinutes } = await contactCosts(db, orgId);
  // the price in force of each currency × action (the organisation's or the default), for the SQL
  const prices: Record<string, number> = {};
  for (const c of Currencies.options)
    for (const a of StepAction.options) prices[`${c}:${a}`] = contactCost(costs, callTaskMinutes, c as CurrencyCode, a);
  const rows = await db.query<{
    variant: 'champion' | 'challenger';
    currency: string;
    accounts: number;
    contacts: number;
    cured: number;
    costMinor: number;
    collectedMinor: string;
  }>(
    `WITH runs AS (
       SELECT r.account_id, r.variant, r.created_at, r.status, r.action,
              r.status IN ('sent', 'tasked', 'handed_over') AND coalesce(m.status NOT IN ('failed', 'blocked'), true) AS billed
       FROM strategy_runs r LEFT JOIN outbound_messages m ON m.id = r.message_id
       WHERE r.strategy_id = $1),
     acc AS (
       SELECT ru.account_id, ru.variant, a.currency, min(ru.created_at) AS since,
              count(*) FILTER (WHERE ru.status = 'sent' AND ru.billed) AS contacts,
              coalesce(sum(($3::jsonb ->> (a.currency || ':' || ru.action))::numeric) FILTER (WHERE ru.billed), 0) AS cost,
              bool_or(a.balance_minor = 0 OR a.due_date IS NULL OR a.due_date >= $2::date) AS cured
       FROM runs ru JOIN accounts a ON a.id = ru.account_id
       GROUP BY ru.account_id, ru.variant, a.currency),
     paid AS (
       SELECT acc.account_id, acc.variant, sum(p.amount_minor) AS amount
       FROM acc JOIN payments p ON p.account_id = acc.account_id AND p.currency = acc.currency
                                AND p.paid_at >= acc.since AND p.reversed_at IS NULL
       GROUP BY acc.account_id, acc.variant)
     SELECT acc.variant, acc.currency, count(*)::int AS accounts, sum(acc.contacts)::int AS contacts,
            count(*) FILTER (WHERE acc.cured)::int AS cured, sum(acc.cost)::float8 AS "costMinor",
            coalesce(sum(paid.amount), 0)::text AS "collectedMinor"
     FROM acc LEFT JOIN paid ON paid.account_id = acc.account_id AND paid.variant = acc.variant
     GROUP BY acc.variant, acc.currency ORDER BY acc.variant, acc.currency`,
    [strategyId, today, JSON.stringify(prices)],
  );
  const variants = [...new Set(rows.map((r) => r.variant))];
  return {
    strategyId,
    variants: variants.map((variant) => {
      const mine = rows.filter((r) => r.variant === variant);
      const accounts = mine.reduce((n, r) => n + r.accounts, 0);
      const contacts = mine.reduce((n, r) => n + r.contacts, 0);
      const cured = mine.reduce((n, r) => n + r.cured, 0);
      return {
        variant,
        accounts,
        contacts,
        cured,
        cureRate: accounts ? cured / accounts : 0,
        contactsPerCure: cured ? contacts / cured : null,
        currencies: mine.map((r) => {
          const collectedMinor = Number(r.collectedMinor);
          const costMinor = Math.round(r.costMinor * 10_000) / 10_000;
          return {
            currency: r.currency,
            accounts: r.accounts,
            collectedMinor,
            costMinor,
            costPerPeso: collectedMinor > 0 ? costMinor / collectedMinor : null,
          };
        }),
      };
    }),
  };
}
