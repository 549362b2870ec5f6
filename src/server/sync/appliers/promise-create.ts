import { findAccountForFacts } from '../../access/visibility';
import { accountNotFound, MutationRejected, type Applier } from './types';

export const promiseCreate: Applier<'promise.create'> = async ({ tx, user, scope }, a) => {
  const account = await findAccountForFacts(tx, scope, a.accountId);
  if (!account) throw accountNotFound();
  for (let i = 1; i < a.installments.length; i++) {
    if (a.installments[i]!.dueDate < a.installments[i - 1]!.dueDate) {
      throw new MutationRejected('invalid_args', 'installment due dates must not go backwards', `installments.${i}.dueDate`);
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
