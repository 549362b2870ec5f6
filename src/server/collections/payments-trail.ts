import { findVisibleAccount, scopeFor } from '../access/visibility';
import type { Db } from '../db';
import { notFound } from '../http/errors';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';
import type { AccountTrail } from '../../shared/api/audit';

// the answer's schema is the API's (shared/api/audit.ts): re-exported for the server's modules
export { AccountTrail } from '../../shared/api/audit';

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
    recordedVia: 'api' | 'cli' | 'gateway' | 'sync' | null;
    reversedAt: Date | null;
    reversedBy: string | null;
    reversedName: string | null;
    reversedVia: 'api' | 'cli' | 'gateway' | 'sync' | null;
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
  ...ROUTES.accountTrail,
  summary: "An account's audit trail: reassignments and payments, each with who did it and the import it came in",
  tags: ['accounts', 'payments'],
  access: ['team_lead', 'admin'],
  errors: [404],
  async handler({ db, user, params }) {
    if (!(await findVisibleAccount(db, await scopeFor(db, user), params.id))) throw notFound('account');
    return accountTrail(db, params.id);
  },
});
