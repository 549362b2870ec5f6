import type { CurrencyCode } from '../../../shared/domain/money';
import { localDate } from '../../../shared/domain/time';
import { PromisePolicy, selectPromisePolicy, validatePromise } from '../../../shared/rules/promises';
import type { Db } from '../../db';
import { accountForFacts, accountNotFound, MutationRejected, type Applier } from './types';

/** The organisation's promise policies (settings.promisePolicies); none configured = no policy check. */
async function policyFor(tx: Db, orgId: string, product: string): Promise<PromisePolicy | null> {
  const [org] = await tx.query<{ policies: unknown }>(`SELECT settings -> 'promisePolicies' AS policies FROM organizations WHERE id = $1`, [
    orgId,
  ]);
  const parsed = PromisePolicy.array().safeParse(org?.policies ?? []);
  if (!parsed.success) throw new Error(`organisation ${orgId}: settings.promisePolicies is malformed`);
  return selectPromisePolicy(parsed.data, product);
}

export const promiseCreate: Applier<'promise.create'> = async (ctx, a) => {
  const { tx, user } = ctx;
  const account = await accountForFacts(ctx, a.accountId);
  if (!account) throw accountNotFound();
  const [facts] = await tx.query<{ product: string; balanceMinor: number; currency: CurrencyCode; timeZone: string }>(
    `SELECT a.product, a.balance_minor AS "balanceMinor", a.currency, d.time_zone AS "timeZone"
     FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE a.id = $1`,
    [a.accountId],
  );
  const policy = facts ? await policyFor(tx, account.orgId, facts.product) : null;
  if (policy && facts) {
    // "Today" is the day the promise was made, in the debtor's zone — a promise made offline is
    // judged by the day the agent made it — but never later than the server's today.
    const made = Math.min(Date.parse(a.createdAt), Date.now());
    const verdict = validatePromise(policy, facts, a.installments, localDate(made, facts.timeZone));
    if (!verdict.ok) {
      const first = verdict.errors[0]!;
      throw new MutationRejected('promise_policy', verdict.errors.map((e) => e.es).join('; '), first.field);
    }
  }
  const inserted = await tx.query(
    `INSERT INTO promises (id, account_id, agent_id, channel, currency, created_at, plan_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
    [a.id, a.accountId, user.id, a.channel, account.currency, a.createdAt, a.planId],
  );
  if (inserted.length === 0) return;
  await tx.query(
    `INSERT INTO promise_installments (promise_id, seq, due_date, amount_minor)
     SELECT $1, x.seq, x.due::date, x.amount FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS x(due, amount, seq)`,
    [a.id, a.installments.map((i) => i.dueDate), a.installments.map((i) => i.amountMinor)],
  );
};
