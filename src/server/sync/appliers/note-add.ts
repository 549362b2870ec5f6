import { accountForFacts, accountNotFound, type Applier } from './types';

export const noteAdd: Applier<'note.add'> = async (ctx, a) => {
  const { tx, user } = ctx;
  if (!(await accountForFacts(ctx, a.accountId))) throw accountNotFound();
  await tx.query(
    `INSERT INTO notes (id, account_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
    [a.id, a.accountId, user.id, a.body, a.createdAt],
  );
};
