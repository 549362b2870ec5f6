import { z } from 'zod';
import { Team, UpdateTeamRequest } from '../../shared/api/users';
import type { AuthUser } from '../auth/sessions';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { HttpError, notFound } from '../http/errors';
import { defineRoute } from '../http/route';
import { diff, recordAudit } from './audit';
import { scopesReshaped } from './scope-changes';
import { ROUTES } from '../../shared/api/routes';

/**
 * Teams of the organisation. An administrator lists, creates and changes them; a team lead lists
 * the teams they lead or belong to; an agent gets 403. A team's lead sees the accounts of its
 * members, so changing the lead changes two scopes: both leads' next pulls replace their stores.
 */

interface TeamRow {
  id: string;
  name: string;
  leadId: string | null;
  memberCount: number;
  createdAt: Date;
}

const TEAM_SELECT = `SELECT t.id, t.name, t.lead_id AS "leadId", t.created_at AS "createdAt",
  (SELECT count(*)::int FROM users m WHERE m.team_id = t.id) AS "memberCount" FROM teams t`;

const toTeam = (r: TeamRow): z.input<typeof Team> => ({ ...r, createdAt: new Date(r.createdAt).toISOString() });

async function loadTeam(db: Db, orgId: string, id: string): Promise<TeamRow | null> {
  const [row] = await db.query<TeamRow>(`${TEAM_SELECT} WHERE t.id = $1 AND t.org_id = $2`, [id, orgId]);
  return row ?? null;
}

async function checkLead(tx: Db, orgId: string, leadId: string | null | undefined): Promise<void> {
  if (!leadId) return;
  const [lead] = await tx.query<{ role: string; disabled: boolean }>('SELECT role, disabled FROM users WHERE id = $1 AND org_id = $2', [
    leadId,
    orgId,
  ]);
  if (!lead) throw new HttpError(400, 'invalid_request', 'body.leadId: no such user in your organisation', 'leadId');
  if (lead.role !== 'team_lead')
    throw new HttpError(400, 'invalid_request', 'body.leadId: the lead must have the team_lead role', 'leadId');
  if (lead.disabled) throw new HttpError(400, 'invalid_request', 'body.leadId: that user is disabled', 'leadId');
}

async function checkNameFree(tx: Db, orgId: string, name: string, exceptId: string | null): Promise<void> {
  const [taken] = await tx.query('SELECT 1 FROM teams WHERE org_id = $1 AND name = $2 AND ($3::uuid IS NULL OR id <> $3::uuid)', [
    orgId,
    name,
    exceptId,
  ]);
  if (taken) throw new HttpError(409, 'team_name_taken', `a team named ${name} already exists`, 'name');
}

export const teamRoutes = [
  defineRoute({
    ...ROUTES.teams,
    summary: 'Teams: all for an admin, the own and led ones for a team lead',
    tags: ['users'],
    access: ['team_lead', 'admin'],
    async handler({ db, user }) {
      const rows = await db.query<TeamRow>(`${TEAM_SELECT} WHERE t.org_id = $1 AND ($2 OR t.lead_id = $3 OR t.id = $4) ORDER BY t.name`, [
        user.orgId,
        user.role === 'admin',
        user.id,
        user.teamId,
      ]);
      return { teams: rows.map(toTeam) };
    },
  }),
  defineRoute({
    ...ROUTES.createTeam,
    summary: 'Create a team, optionally with its lead (admin)',
    tags: ['users'],
    access: ['admin'],
    successStatus: 201,
    errors: [409],
    async handler({ db, user, body }) {
      const id = await writeTransaction(db, user.orgId, async (tx) => {
        await checkNameFree(tx, user.orgId, body.name, null);
        await checkLead(tx, user.orgId, body.leadId);
        const [row] = await tx.query<{ id: string }>('INSERT INTO teams (org_id, name, lead_id) VALUES ($1, $2, $3) RETURNING id', [
          user.orgId,
          body.name,
          body.leadId,
        ]);
        await recordAudit(tx, {
          orgId: user.orgId,
          actorId: user.id,
          action: 'team.create',
          teamId: row!.id,
          after: { name: body.name, leadId: body.leadId },
        });
        return row!.id;
      });
      return toTeam((await loadTeam(db, user.orgId, id))!);
    },
  }),
  defineRoute({
    ...ROUTES.updateTeam,
    summary: "Rename a team or change its lead (admin); both leads' stores follow at their next pull",
    tags: ['users'],
    access: ['admin'],
    errors: [404, 409],
    async handler({ db, user, params, body }) {
      await writeTransaction(db, user.orgId, (tx) => updateTeam(tx, user, params.id, body));
      return toTeam((await loadTeam(db, user.orgId, params.id))!);
    },
  }),
];

async function updateTeam(tx: Db, user: AuthUser, id: string, body: z.output<typeof UpdateTeamRequest>): Promise<void> {
  const [before] = await tx.query<{ name: string; leadId: string | null }>(
    'SELECT name, lead_id AS "leadId" FROM teams WHERE id = $1 AND org_id = $2 FOR UPDATE',
    [id, user.orgId],
  );
  if (!before) throw notFound('team');
  if (body.name !== undefined) await checkNameFree(tx, user.orgId, body.name, id);
  await checkLead(tx, user.orgId, body.leadId);
  const after = { name: body.name ?? before.name, leadId: body.leadId === undefined ? before.leadId : body.leadId };
  await tx.query('UPDATE teams SET name = $2, lead_id = $3 WHERE id = $1', [id, after.name, after.leadId]);
  if (after.leadId !== before.leadId) {
    await scopesReshaped(
      tx,
      user.orgId,
      [before.leadId, after.leadId].filter((x): x is string => x !== null),
    );
  }
  const changed = diff<Record<string, unknown>>(before, after);
  if (changed) await recordAudit(tx, { orgId: user.orgId, actorId: user.id, action: 'team.update', teamId: id, ...changed });
}
