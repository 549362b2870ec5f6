import { z } from 'zod';
import { findVisibleAccount, scopeFor } from '../access/visibility';
import type { Db } from '../db';
import { notFound } from '../http/errors';
import { defineRoute } from '../http/route';

/**
 * The audit trail of one account: every reassignment and every payment with who did it (user and
 * username; null with via 'cli' for the server's command line; both null before authors were
 * recorded) and the import run it came in, if any.
 */
const Via = z.enum(['api', 'cli']).nullable();
const Who = z.object({ userId: z.string().uuid().nullable(), username: z.string().nullable(), via: Via });

export const AccountTrail = z.object({
  assignments: z.array(
    z.object({
      at: z.string(),
      fromAgentId: z.string().uuid().nullable(),
      toAgentId: z.string().uuid().nullable(),
      by: Who,
      importId: z.string().uuid().nullable(),
    }),
  ),
  payments: z.array(
    z.object({
      reference: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
      paidAt: z.string(),
      recordedAt: z.string(),
      recordedBy: Who,
      reversedAt: z.string().nullable(),
      reversedBy: Who.nullable(),
      importId: z.string().uuid().nullable(),
    }),
  ),
});
export type AccountTrail = z.infer<typeof AccountTrail>;

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export async function accountTrail(db: Db, accountId: string): Promise<AccountTrail> {
  const assignments = await db.query<{
    at: Date;
    from: string | null;
    to: string | null;
    by: string | null;
    username: string | null;
    via: 'api' | 'cli' | null;
    importId: string | null;
  }>(
    `SELECT l.at, l.from_agent_id AS "from", l.to_agent_id AS "to", l.by_user_id AS by, u.username, l.via, l.import_id AS "importId"
       FROM assignment_log l LEFT JOIN users u ON u.id = l.by_user_id WHERE l.account_id = $1 ORDER BY l.seq`,
    [accountId],
  );
  const payments = await db.query<{
    reference: string;
    amount: number;
    currency: string;
    paidAt: Date;
    recordedAt: Date;
    recordedBy: string | null;
    recordedName: string | null;
    recordedVia: 'api' | 'cli' | null;
    reversedAt: Date | null;
    reversedBy: string | null;
    reversedName: string | null;
    reversedVia: 'api' | 'cli' | null;
    importId: string | null;
  }>(
    `SELECT p.reference, p.amount_minor AS amount, p.currency, p.paid_at AS "paidAt", p.recorded_at AS "recordedAt",
            p.recorded_by AS "recordedBy", r.username AS "recordedName", p.recorded_via AS "recordedVia",
            p.reversed_at AS "reversedAt", p.reversed_by AS "reversedBy", v.username AS "reversedName", p.reversed_via AS "reversedVia",
            p.import_id AS "importId"
       FROM payments p LEFT JOIN users r ON r.id = p.recorded_by LEFT JOIN users v ON v.id = p.reversed_by
      WHERE p.account_id = $1 ORDER BY p.recorded_at, p.id`,
    [accountId],
  );
  return {
    assignments: assignments.map((a) => ({
      at: a.at.toISOString(),
      fromAgentId: a.from,
      toAgentId: a.to,
      by: { userId: a.by, username: a.username, via: a.via },
      importId: a.importId,
    })),
    payments: payments.map((p) => ({
      reference: p.reference,
      amountMinor: Number(p.amount),
      currency: p.currency,
      paidAt: p.paidAt.toISOString(),
      recordedAt: p.recordedAt.toISOString(),
      recordedBy: { userId: p.recordedBy, username: p.recordedName, via: p.recordedVia },
      reversedAt: iso(p.reversedAt),
      reversedBy: p.reversedAt ? { userId: p.reversedBy, username: p.reversedName, via: p.reversedVia } : null,
      importId: p.importId,
    })),
  };
}

export const accountTrailRoute = defineRoute({
  method: 'GET',
  path: '/api/v1/accounts/:id/trail',
  summary: "An account's audit trail: reassignments and payments, each with who did it and the import it came in",
  tags: ['accounts', 'payments'],
  access: ['team_lead', 'admin'],
  params: z.object({ id: z.string().uuid() }),
  response: AccountTrail,
  errors: [404],
  async handler({ db, user, params }) {
    if (!(await findVisibleAccount(db, await scopeFor(db, user), params.id))) throw notFound('account');
    return accountTrail(db, params.id);
  },
});
