import type { Segment } from '../../shared/domain/enums';
import { canSeeAgent, findVisibleAccount, scopeFor, SqlParams, visibleAccount } from '../access/visibility';
import { loadAccountRows, loadBundles } from '../data/bundles';
import { ACCOUNT_COLUMNS, ACTIVITY_COLUMNS, toAccount, toActivity, type AccountRow, type ActivityRow } from '../data/rows';
import { writeTransaction } from '../db/write';
import { forbidden, HttpError, notFound } from '../http/errors';
import { ROUTES } from '../../shared/api/routes';
import { defineRoute } from '../http/route';

/** The segment the organisation's rules gave the debtor (contact_habits), the file's when none was computed. */
const RULE_SEGMENT = 'coalesce((SELECT h.segment FROM contact_habits h WHERE h.debtor_id = d.id), d.segment)';

export const accountRoutes = [
  defineRoute({
    ...ROUTES.accounts,
    summary: 'Accounts visible to the caller, keyset-paginated',
    tags: ['accounts'],
    access: 'user',
    async handler({ db, user, query }) {
      const scope = await scopeFor(db, user);
      const p = new SqlParams();
      const where = [visibleAccount(scope, 'a', p)];
      if (query.status) where.push(`a.status = ${p.add(query.status)}`);
      if (query.segment) where.push(`${RULE_SEGMENT} = ${p.add(query.segment)}`);
      if (query.agentId) where.push(`a.assigned_agent_id = ${p.add(query.agentId)}`);
      if (query.search) {
        const like = p.add(`%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(`(d.name ILIKE ${like} OR d.national_id ILIKE ${like} OR a.external_ref ILIKE ${like})`);
      }
      const filter = where.join(' AND ');
      const [{ total } = { total: 0 }] = await db.query<{ total: number }>(
        `SELECT count(*)::int AS total FROM accounts a JOIN debtors d ON d.id = a.debtor_id WHERE ${filter}`,
        p.values,
      );
      const pageParams = new SqlParams();
      pageParams.values.push(...p.values);
      const after = query.after ? ` AND a.id > ${pageParams.add(query.after)}` : '';
      const rows = await db.query<AccountRow & { debtorName: string; nationalId: string; timeZone: string; segment: Segment }>(
        `SELECT ${ACCOUNT_COLUMNS}, d.name AS "debtorName", d.national_id AS "nationalId", d.time_zone AS "timeZone", ${RULE_SEGMENT} AS segment
         FROM accounts a JOIN debtors d ON d.id = a.debtor_id
         WHERE ${filter}${after} ORDER BY a.id LIMIT ${pageParams.add(query.limit + 1)}`,
        pageParams.values,
      );
      const page = rows.slice(0, query.limit);
      return {
        items: page.map((r) => ({
          ...toAccount(r),
          debtorName: r.debtorName,
          nationalId: r.nationalId,
          timeZone: r.timeZone,
          segment: r.segment,
        })),
        nextAfter: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
        total,
      };
    },
  }),
  defineRoute({
    ...ROUTES.account,
    summary: 'One account with its debtor and history',
    tags: ['accounts'],
    access: 'user',
    errors: [404],
    async handler({ db, user, params }) {
      const scope = await scopeFor(db, user);
      if (!(await findVisibleAccount(db, scope, params.id))) throw notFound('account');
      const b = await loadBundles(db, await loadAccountRows(db, 'a.id = $1', [params.id]));
      const account = b.accounts[0];
      const debtor = b.debtors[0];
      if (!account || !debtor) throw notFound('account');
      return {
        account,
        debtor,
        contactPoints: b.contactPoints,
        activities: b.activities,
        notes: b.notes,
        payments: b.payments,
        promises: b.promises,
      };
    },
  }),
  defineRoute({
    ...ROUTES.accountActivities,
    summary: 'Contact history of an account, oldest first',
    tags: ['accounts'],
    access: 'user',
    errors: [404],
    async handler({ db, user, params }) {
      const scope = await scopeFor(db, user);
      if (!(await findVisibleAccount(db, scope, params.id))) throw notFound('account');
      const rows = await db.query<ActivityRow>(
        `SELECT ${ACTIVITY_COLUMNS} FROM activities t WHERE t.account_id = $1 ORDER BY t.started_at, t.id`,
        [params.id],
      );
      return { activities: rows.map(toActivity) };
    },
  }),
  defineRoute({
    ...ROUTES.assignAccount,
    summary: 'Assign an account to an agent (team lead within the team, admin)',
    tags: ['accounts'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, params, body }) {
      return writeTransaction(db, user.orgId, async (tx) => {
        const scope = await scopeFor(tx, user);
        if (!(await findVisibleAccount(tx, scope, params.id, true))) throw notFound('account');
        if (body.agentId !== null) {
          const [agent] = await tx.query<{ id: string; disabled: boolean }>(
            'SELECT id, disabled FROM users WHERE id = $1 AND org_id = $2',
            [body.agentId, user.orgId],
          );
          if (!agent) throw new HttpError(400, 'invalid_request', 'body.agentId: no such user', 'agentId');
          if (!canSeeAgent(scope, agent.id)) throw forbidden('you can only assign to agents of your team');
        }
        // Read by the assignment_log trigger as the author of the change.
        await tx.query(`SELECT set_config('app.actor_id', $1, true)`, [user.id]);
        const [row] = await tx.query<AccountRow>(
          `UPDATE accounts a SET assigned_agent_id = $2 WHERE a.id = $1 RETURNING ${ACCOUNT_COLUMNS}`,
          [params.id, body.agentId],
        );
        if (!row) throw notFound('account');
        return toAccount(row);
      });
    },
  }),
];
