import type { AccountStatus } from '../../shared/domain/enums';
import { findVisibleAccount, scopeFor, SqlParams, visibleAccount } from '../access/visibility';
import { listOrgAudit, recordOrgAudit } from '../audit/org-audit';
import { ACCOUNT_COLUMNS, toAccount, type AccountRow } from '../data/rows';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';

/**
 * Hardship ("dificultad económica") stops all contact, so only a team lead (or admin) sets or
 * lifts it. An agent asks for it by logging the `hardship_claimed` outcome (works offline, like
 * any outcome); the lead sees the claims of their team's accounts beside the accounts already in
 * hardship, one list, and decides with one click. Each decision is audited in org_audit.
 */
export const hardshipRoutes = [
  defineRoute({
    ...ROUTES.hardshipList,
    summary: "Team lead's hardship list: accounts in hardship and agents' pending hardship claims (their team; admin: the organisation)",
    tags: ['accounts'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      const scope = await scopeFor(db, user);
      const p = new SqlParams();
      // a claim is pending when no hardship decision on that account came after it
      const rows = await db.query<{
        accountId: string;
        externalRef: string;
        debtorName: string;
        status: AccountStatus;
        assignedAgentId: string | null;
        claimAt: Date | null;
        claimAgentId: string | null;
        claimAgentName: string | null;
        claimNote: string | null;
      }>(
        `SELECT a.id AS "accountId", a.external_ref AS "externalRef", d.name AS "debtorName", a.status,
                a.assigned_agent_id AS "assignedAgentId", c.started_at AS "claimAt", c.agent_id AS "claimAgentId",
                u.display_name AS "claimAgentName", c.note AS "claimNote"
         FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         LEFT JOIN LATERAL (
           SELECT t.started_at, t.agent_id, t.note FROM activities t
           WHERE t.account_id = a.id AND t.disposition = 'hardship_claimed'
             AND t.recorded_at > COALESCE((SELECT max(o.at) FROM org_audit o WHERE o.account_id = a.id
                                           AND o.action IN ('account.hardship_set', 'account.hardship_lifted')), '-infinity')
           ORDER BY t.started_at DESC LIMIT 1
         ) c ON true
         LEFT JOIN users u ON u.id = c.agent_id
         WHERE ${visibleAccount(scope, 'a', p)} AND (a.status = 'hardship' OR c.started_at IS NOT NULL)
         ORDER BY (c.started_at IS NULL), c.started_at, a.external_ref LIMIT 500`,
        p.values,
      );
      return {
        items: rows.map((r) => ({
          accountId: r.accountId,
          externalRef: r.externalRef,
          debtorName: r.debtorName,
          status: r.status,
          assignedAgentId: r.assignedAgentId,
          claim:
            r.claimAt && r.claimAgentId
              ? { at: r.claimAt.toISOString(), agentId: r.claimAgentId, agentName: r.claimAgentName ?? '', note: r.claimNote }
              : null,
        })),
      };
    },
  }),
  defineRoute({
    ...ROUTES.decideHardship,
    summary: "Set (hardship: true) or lift (false) hardship on an account of the caller's team; lifting makes it active again. Audited",
    tags: ['accounts'],
    access: ['team_lead', 'admin'],
    errors: [404, 409],
    async handler({ db, user, params, body }) {
      return writeTransaction(db, user.orgId, async (tx) => {
        const account = await findVisibleAccount(tx, await scopeFor(tx, user), params.id, true);
        if (!account) throw notFound('account');
        const to = body.hardship ? 'hardship' : 'active';
        if (!body.hardship && account.status !== 'hardship') {
          throw new HttpError(409, 'not_in_hardship', `the account is ${account.status}, not in hardship`, 'hardship');
        }
        if (body.hardship && account.status === 'closed') throw new HttpError(409, 'account_closed', 'the account is closed', 'hardship');
        const [row] = await tx.query<AccountRow>(`UPDATE accounts a SET status = $2 WHERE a.id = $1 RETURNING ${ACCOUNT_COLUMNS}`, [
          params.id,
          to,
        ]);
        if (!row) throw notFound('account');
        await recordOrgAudit(tx, {
          orgId: user.orgId,
          actorId: user.id,
          accountId: params.id,
          action: body.hardship ? 'account.hardship_set' : 'account.hardship_lifted',
          before: { status: account.status },
          after: { status: to, reason: body.reason },
        });
        return toAccount(row);
      });
    },
  }),
  defineRoute({
    ...ROUTES.hardshipAudit,
    summary: 'Hardship decisions on an account, newest first',
    tags: ['accounts'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params }) {
      if (!(await findVisibleAccount(db, await scopeFor(db, user), params.id))) throw notFound('account');
      return {
        entries: await listOrgAudit(db, user.orgId, ['account.hardship_set', 'account.hardship_lifted'], {
          accountIds: [params.id],
          limit: 100,
        }),
      };
    },
  }),
];
