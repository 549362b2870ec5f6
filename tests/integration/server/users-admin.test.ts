import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminUser, Team } from '../../../src/shared/api/users';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { addUser } from './fixtures';
import { strategyUserId } from '../../../src/server/strategies/store';

const PASSWORD = 'clave-segura-1';

describe.each(BACKENDS)('user administration on %s', (backend) => {
  let s: TestServer;
  let admin: string;
  let lead: string;
  let agent: string;
  let otherAdmin: string;
  let otherOrgUser: string;
  let teamId: string;

  const audit = (where: string, params: unknown[]) =>
    s.db.query<{ action: string; actor: string; before: any; after: any; userId: string | null; teamId: string | null }>(
      `SELECT action, actor_id AS actor, before, after, user_id AS "userId", team_id AS "teamId" FROM user_admin_audit WHERE ${where} ORDER BY seq`,
      params,
    );
  const create = (token: string, body: Record<string, unknown>) => call(s, 'POST', '/api/v1/users', { token, body });

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 20 } });
    admin = (await login(s, 'admin', 'admin123')).token;
    lead = (await login(s, 'lider', 'lider123')).token;
    agent = (await login(s, 'agente1', 'agente123')).token;
    teamId = s.seed!.teamId;
    const [org] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Otra S.A.', 'MX', 'America/Mexico_City') RETURNING id`,
    );
    await addUser(s.db, org!.id, 'otra-admin', { role: 'admin', password: PASSWORD });
    otherOrgUser = await addUser(s.db, org!.id, 'otra-agente', { teamName: 'Equipo CDMX', password: PASSWORD });
    otherAdmin = (await login(s, 'otra-admin', PASSWORD)).token;
  });
  afterAll(async () => {
    await s?.close();
  });

  it('an admin creates a user who can log in with the initial password; the creation is audited', async () => {
    const r = await create(admin, {
      username: 'agente9',
      displayName: 'Agente Nueve',
      role: 'agent',
      teamId,
      password: PASSWORD,
      sip: { extension: '1009', password: 'sip-agente9' },
    });
    expect(r.status).toBe(201);
    const user = AdminUser.parse(r.body);
    expect(user).toMatchObject({
      username: 'agente9',
      displayName: 'Agente Nueve',
      role: 'agent',
      teamId,
      disabled: false,
      sipExtension: '1009',
      orgId: s.seed!.orgId,
    });
    const session = await login(s, 'agente9', PASSWORD);
    expect((await call(s, 'GET', '/api/v1/me', { token: session.token })).body.id).toBe(user.id);
    const sip = await call(s, 'GET', '/api/v1/me/sip', { token: session.token });
    expect(sip.body).toMatchObject({ extension: '1009', password: 'sip-agente9' });
    // the lead sees the new member of their team
    const listed = await call(s, 'GET', '/api/v1/users', { token: lead });
    expect(listed.body.users.map((u: { username: string }) => u.username)).toContain('agente9');
    const rows = await audit('user_id = $1', [user.id]);
    expect(rows).toEqual([
      {
        action: 'user.create',
        actor: s.seed!.users.admin,
        userId: user.id,
        teamId: null,
        before: null,
        after: { username: 'agente9', displayName: 'Agente Nueve', role: 'agent', teamId, sipExtension: '1009' },
      },
    ]);
    const [raw] = await s.db.query<{ t: string }>(
      `SELECT string_agg(coalesce(before::text, '') || coalesce(after::text, ''), '') AS t FROM user_admin_audit`,
    );
    expect(raw!.t).not.toMatch(/scrypt|sip-agente9|clave/);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const base = { username: 'nuevo1', displayName: 'Nuevo', role: 'agent', teamId, password: PASSWORD };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...base, password: 'corta123' }, 'password', /at least 10/],
      [{ ...base, password: undefined }, 'password', /./],
      [{ ...base, username: 'Con Espacio' }, 'username', /lower-case/],
      [{ ...base, username: 'ab' }, 'username', /at least 3/],
      [{ ...base, displayName: '   ' }, 'displayName', /required/],
      [{ ...base, role: 'supervisor' }, 'role', /./],
      [{ ...base, teamId: 'equipo' }, 'teamId', /./],
      [{ ...base, teamId: randomUUID() }, 'teamId', /no such team/],
      [{ ...base, sip: { extension: 'abc', password: 'sip-secreto' } }, 'sip.extension', /digits/],
    ];
    for (const [body, field, message] of cases) {
      const r = await create(admin, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_request', field });
      expect(r.body.error.message).toMatch(message);
    }
    const dup = await create(admin, { ...base, username: 'agente1' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'username_taken', field: 'username' });
    const ext = await create(admin, { ...base, sip: { extension: '1001', password: 'sip-secreto' } });
    expect(ext.body.error).toMatchObject({ code: 'sip_extension_taken', field: 'sip.extension' });
    const target = s.seed!.users.agente2;
    const empty = await call(s, 'PATCH', `/api/v1/users/${target}`, { token: admin, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/nothing to change/);
    const unknown = await call(s, 'PATCH', `/api/v1/users/${target}`, { token: admin, body: { team_id: teamId } });
    expect(unknown.status).toBe(400);
    const short = await call(s, 'POST', `/api/v1/users/${target}/password`, { token: admin, body: { password: 'x' } });
    expect(short.body.error).toMatchObject({ code: 'invalid_request', field: 'password' });
    expect((await s.db.query('SELECT 1 FROM users WHERE username = $1', ['nuevo1'])).length).toBe(0);
  });

  it('agents get 403 everywhere; team leads only list their team; another organisation gets 404', async () => {
    const target = s.seed!.users.agente2;
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/users', { username: 'x-user', displayName: 'X', role: 'agent', teamId, password: PASSWORD }],
      ['POST', '/api/v1/users', { username: 'x-admin', displayName: 'X', role: 'admin', teamId: null, password: PASSWORD }],
      ['PATCH', `/api/v1/users/${target}`, { displayName: 'Cambiado' }],
      ['PATCH', `/api/v1/users/${target}`, { teamId: null }],
      ['POST', `/api/v1/users/${target}/password`, { password: PASSWORD }],
      ['POST', '/api/v1/teams', { name: 'Equipo Pirata' }],
      ['PATCH', `/api/v1/teams/${teamId}`, { name: 'Renombrado' }],
    ];
    for (const token of [agent, lead]) {
      for (const [method, path, body] of writes) {
        const r = await call(s, method, path, { token, body });
        expect(r.status, `${method} ${path}`).toBe(403);
        expect(r.body.error.code).toBe('forbidden');
      }
    }
    for (const path of ['/api/v1/users', '/api/v1/teams']) expect((await call(s, 'GET', path, { token: agent })).status).toBe(403);
    const leadTeams = await call(s, 'GET', '/api/v1/teams', { token: lead });
    expect(leadTeams.body.teams.map((t: { id: string }) => t.id)).toEqual([teamId]);
    const leadUsers = await call(s, 'GET', '/api/v1/users', { token: lead });
    expect(leadUsers.body.users.map((u: { username: string }) => u.username)).not.toContain('admin');

    // another organisation's admin: our users and teams do not exist for them
    for (const [method, path, body] of writes.filter(([, path]) => path.includes(target) || path.includes(teamId))) {
      const r = await call(s, method, path, { token: otherAdmin, body });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    const foreignTeam = await create(otherAdmin, { username: 'intruso', displayName: 'X', role: 'agent', teamId, password: PASSWORD });
    expect(foreignTeam.body.error).toMatchObject({ code: 'invalid_request', field: 'teamId' });
    const theirList = await call(s, 'GET', '/api/v1/users', { token: otherAdmin });
    expect(theirList.body.users.map((u: { username: string }) => u.username).sort()).toEqual(['otra-admin', 'otra-agente']);
    expect((await call(s, 'GET', '/api/v1/teams', { token: otherAdmin })).body.teams.map((t: { name: string }) => t.name)).toEqual([
      'Equipo CDMX',
    ]);
    // and ours cannot reach theirs
    expect((await call(s, 'PATCH', `/api/v1/users/${otherOrgUser}`, { token: admin, body: { disabled: true } })).status).toBe(404);
    const [row] = await s.db.query<{ displayName: string; disabled: boolean }>(
      'SELECT display_name AS "displayName", disabled FROM users WHERE id = $1',
      [target],
    );
    expect(row).toEqual({ displayName: 'Agente 2', disabled: false });
    expect((await s.db.query('SELECT 1 FROM teams WHERE name = $1', ['Equipo Pirata'])).length).toBe(0);
  });

  it('PATCH changes name, role and team, and audits only what changed', async () => {
    const [team2] = await s.db.query<{ id: string }>(`INSERT INTO teams (org_id, name) VALUES ($1, 'Equipo Cali') RETURNING id`, [
      s.seed!.orgId,
    ]);
    const id = (await create(admin, { username: 'cambiante', displayName: 'Antes', role: 'agent', teamId, password: PASSWORD })).body.id;
    const r = await call(s, 'PATCH', `/api/v1/users/${id}`, {
      token: admin,
      body: { displayName: 'Después', teamId: team2!.id, role: 'team_lead' },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Después', teamId: team2!.id, role: 'team_lead', disabled: false });
    const same = await call(s, 'PATCH', `/api/v1/users/${id}`, { token: admin, body: { displayName: 'Después' } });
    expect(same.status).toBe(200);
    const rows = await audit(`user_id = $1 AND action = 'user.update'`, [id]);
    expect(rows.map((x) => [x.before, x.after])).toEqual([
      [
        { displayName: 'Antes', teamId, role: 'agent' },
        { displayName: 'Después', teamId: team2!.id, role: 'team_lead' },
      ],
    ]);
    // a team move and a role change are scope changes the leads' pulls will see
    const changes = await s.db.query<{ full: boolean }>('SELECT full_pull AS full FROM scope_changes WHERE user_id = $1 ORDER BY seq', [
      id,
    ]);
    expect(changes.map((c) => c.full).sort()).toEqual([false, true, true]);
  });

  it("disabling ends the user's sessions at once; enabling does not revive them", async () => {
    const id = (await create(admin, { username: 'temporal', displayName: 'Temporal', role: 'agent', teamId, password: PASSWORD })).body.id;
    const session = (await login(s, 'temporal', PASSWORD)).token;
    expect((await call(s, 'GET', '/api/v1/accounts', { token: session })).status).toBe(200);
    const d = await call(s, 'PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: true } });
    expect(d.status).toBe(200);
    expect(d.body.disabled).toBe(true);
    const refused = await call(s, 'GET', '/api/v1/accounts', { token: session });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('user_disabled');
    const [{ code } = { code: '' }] = await s.db.query<{ code: string }>(
      `SELECT o.code FROM users u JOIN organizations o ON o.id = u.org_id WHERE u.username = 'temporal'`,
    );
    const relogin = await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'temporal', password: PASSWORD, organization: code } });
    expect(relogin.body.error.code).toBe('user_disabled');
    expect((await call(s, 'PATCH', `/api/v1/users/${id}`, { token: admin, body: { disabled: false } })).status).toBe(200);
    const old = await call(s, 'GET', '/api/v1/accounts', { token: session });
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('unauthorized');
    const fresh = (await login(s, 'temporal', PASSWORD)).token;
    expect((await call(s, 'GET', '/api/v1/accounts', { token: fresh })).status).toBe(200);
    const rows = await audit(`user_id = $1 AND action = 'user.update'`, [id]);
    expect(rows.map((x) => x.after)).toEqual([{ disabled: true }, { disabled: false }]);
  });

  it('an admin sets a password: the old one and every session of the user stop working', async () => {
    const id = (await create(admin, { username: 'olvidadizo', displayName: 'Olvidadizo', role: 'agent', teamId, password: PASSWORD })).body
      .id;
    const sessions = [(await login(s, 'olvidadizo', PASSWORD)).token, (await login(s, 'olvidadizo', PASSWORD)).token];
    const r = await call(s, 'POST', `/api/v1/users/${id}/password`, { token: admin, body: { password: 'otra-clave-larga' } });
    expect(r.status).toBe(200);
    for (const token of sessions) expect((await call(s, 'GET', '/api/v1/me', { token })).status).toBe(401);
    expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'olvidadizo', password: PASSWORD } })).status).toBe(401);
    expect((await login(s, 'olvidadizo', 'otra-clave-larga')).user.id).toBe(id);
    expect(await audit(`user_id = $1 AND action = 'user.password_set'`, [id])).toEqual([
      { action: 'user.password_set', actor: s.seed!.users.admin, userId: id, teamId: null, before: null, after: null },
    ]);
  });

  it('a user changes their own password with the current one; their other sessions end, this one stays', async () => {
    const id = (await create(admin, { username: 'cuidadoso', displayName: 'Cuidadoso', role: 'agent', teamId, password: PASSWORD })).body
      .id;
    const here = (await login(s, 'cuidadoso', PASSWORD)).token;
    const elsewhere = (await login(s, 'cuidadoso', PASSWORD)).token;
    const wrong = await call(s, 'POST', '/api/v1/me/password', {
      token: here,
      body: { currentPassword: 'no-es-esta', newPassword: 'nueva-clave-larga' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', field: 'currentPassword' });
    const weak = await call(s, 'POST', '/api/v1/me/password', { token: here, body: { currentPassword: PASSWORD, newPassword: 'corta' } });
    expect(weak.body.error).toMatchObject({ code: 'invalid_request', field: 'newPassword' });
    const same = await call(s, 'POST', '/api/v1/me/password', { token: here, body: { currentPassword: PASSWORD, newPassword: PASSWORD } });
    expect(same.body.error).toMatchObject({ code: 'password_unchanged', field: 'newPassword' });
    const ok = await call(s, 'POST', '/api/v1/me/password', {
      token: here,
      body: { currentPassword: PASSWORD, newPassword: 'nueva-clave-larga' },
    });
    expect(ok.status).toBe(200);
    expect((await call(s, 'GET', '/api/v1/me', { token: here })).status).toBe(200);
    expect((await call(s, 'GET', '/api/v1/me', { token: elsewhere })).status).toBe(401);
    expect((await call(s, 'POST', '/api/v1/auth/login', { body: { username: 'cuidadoso', password: PASSWORD } })).body.error.code).toBe(
      'invalid_credentials',
    );
    expect((await login(s, 'cuidadoso', 'nueva-clave-larga')).user.id).toBe(id);
    expect((await audit(`user_id = $1 AND action = 'user.password_change'`, [id])).map((x) => x.actor)).toEqual([id]);
  });

  it('teams: an admin creates one with a team lead as lead, and changes its lead; names are unique', async () => {
    const leadId = (
      await create(admin, { username: 'lider-sur', displayName: 'Líder Sur', role: 'team_lead', teamId: null, password: PASSWORD })
    ).body.id;
    const notALead = await call(s, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Sur', leadId: s.seed!.users.agente1 } });
    expect(notALead.status).toBe(400);
    expect(notALead.body.error).toMatchObject({ field: 'leadId' });
    const gone = (
      await create(admin, { username: 'lider-ido', displayName: 'Líder Ido', role: 'team_lead', teamId: null, password: PASSWORD })
    ).body.id;
    await call(s, 'PATCH', `/api/v1/users/${gone}`, { token: admin, body: { disabled: true } });
    const disabledLead = await call(s, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Sur', leadId: gone } });
    expect(disabledLead.body.error).toMatchObject({ code: 'invalid_request', field: 'leadId', message: expect.stringMatching(/disabled/) });
    const r = await call(s, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Sur', leadId } });
    expect(r.status).toBe(201);
    const team = Team.parse(r.body);
    expect(team).toMatchObject({ name: 'Equipo Sur', leadId, memberCount: 0 });
    const dup = await call(s, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Sur' } });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'team_name_taken', field: 'name' });
    const blank = await call(s, 'POST', '/api/v1/teams', { token: admin, body: { name: ' ' } });
    expect(blank.body.error).toMatchObject({ code: 'invalid_request', field: 'name' });
    expect((await call(s, 'GET', '/api/v1/teams', { token: admin })).body.teams.map((t: { name: string }) => t.name)).toContain(
      'Equipo Sur',
    );
    // a lead who leads a team cannot lose the role until the team has another lead
    const demote = await call(s, 'PATCH', `/api/v1/users/${leadId}`, { token: admin, body: { role: 'agent' } });
    expect(demote.status).toBe(409);
    expect(demote.body.error).toMatchObject({ code: 'user_leads_team', field: 'role' });
    const moved = await call(s, 'PATCH', `/api/v1/teams/${team.id}`, { token: admin, body: { leadId: s.seed!.users.lider } });
    expect(moved.body.leadId).toBe(s.seed!.users.lider);
    expect((await call(s, 'PATCH', `/api/v1/users/${leadId}`, { token: admin, body: { role: 'agent' } })).status).toBe(200);
    const rows = await audit('team_id = $1', [team.id]);
    expect(rows.map((x) => [x.action, x.before, x.after])).toEqual([
      ['team.create', null, { name: 'Equipo Sur', leadId }],
      ['team.update', { leadId }, { leadId: s.seed!.users.lider }],
    ]);
    // both leads' scopes changed: their next pulls start over
    const reshaped = await s.db.query<{ userId: string }>(
      'SELECT user_id AS "userId" FROM scope_changes WHERE full_pull AND user_id = ANY($1::uuid[])',
      [[leadId, s.seed!.users.lider]],
    );
    expect(new Set(reshaped.map((x) => x.userId))).toEqual(new Set([leadId, s.seed!.users.lider]));
  });

  it('admins read the audit trail newest first, filtered and paged; nobody else does', async () => {
    const id = (await create(admin, { username: 'auditado', displayName: 'Auditado', role: 'agent', teamId, password: PASSWORD })).body.id;
    await call(s, 'PATCH', `/api/v1/users/${id}`, { token: admin, body: { displayName: 'Auditado 2' } });
    await call(s, 'POST', `/api/v1/users/${id}/password`, { token: admin, body: { password: 'otra-clave-larga' } });
    const r = await call(s, 'GET', `/api/v1/users/audit?userId=${id}`, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body.entries.map((e: { action: string }) => e.action)).toEqual(['user.password_set', 'user.update', 'user.create']);
    expect(r.body.entries[1]).toMatchObject({
      actorId: s.seed!.users.admin,
      userId: id,
      before: { displayName: 'Auditado' },
      after: { displayName: 'Auditado 2' },
    });
    expect(Date.parse(r.body.entries[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const page = await call(s, 'GET', `/api/v1/users/audit?userId=${id}&limit=1&before=${r.body.entries[0].seq}`, { token: admin });
    expect(page.body.entries.map((e: { action: string }) => e.action)).toEqual(['user.update']);
    const bad = await call(s, 'GET', '/api/v1/users/audit?limit=0', { token: admin });
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', field: 'limit' });
    for (const token of [lead, agent]) expect((await call(s, 'GET', '/api/v1/users/audit', { token })).status).toBe(403);
    expect((await call(s, 'GET', `/api/v1/users/audit?userId=${id}`, { token: otherAdmin })).body.entries).toEqual([]);
  });

  it('the last enabled admin cannot disable or demote themselves; with a second admin they can', async () => {
    const me = s.seed!.users.admin;
    for (const body of [{ role: 'team_lead' }, { disabled: true }, { role: 'agent', disabled: true }]) {
      const r = await call(s, 'PATCH', `/api/v1/users/${me}`, { token: admin, body });
      expect(r.status, JSON.stringify(body)).toBe(409);
      expect(r.body.error.code).toBe('last_admin');
    }
    // a disabled admin does not count
    const dormant = (
      await create(admin, { username: 'admin-dormido', displayName: 'Dormido', role: 'admin', teamId: null, password: PASSWORD })
    ).body.id;
    expect((await call(s, 'PATCH', `/api/v1/users/${dormant}`, { token: admin, body: { disabled: true } })).status).toBe(200);
    expect((await call(s, 'PATCH', `/api/v1/users/${me}`, { token: admin, body: { role: 'agent' } })).body.error.code).toBe('last_admin');
    const [still] = await s.db.query<{ role: string; disabled: boolean }>('SELECT role, disabled FROM users WHERE id = $1', [me]);
    expect(still).toEqual({ role: 'admin', disabled: false });

    const second = (
      await create(admin, { username: 'admin-dos', displayName: 'Admin Dos', role: 'admin', teamId: null, password: PASSWORD })
    ).body.id;
    const admin2 = (await login(s, 'admin-dos', PASSWORD)).token;
    expect((await call(s, 'PATCH', `/api/v1/users/${me}`, { token: admin2, body: { disabled: true } })).status).toBe(200);
    const self = await call(s, 'PATCH', `/api/v1/users/${second}`, { token: admin2, body: { role: 'agent' } });
    expect(self.body.error).toMatchObject({ code: 'last_admin', field: 'role' });
    expect((await call(s, 'PATCH', `/api/v1/users/${me}`, { token: admin2, body: { disabled: false } })).status).toBe(200);
    admin = (await login(s, 'admin', 'admin123')).token;
    // now two are enabled: the second may step down
    expect((await call(s, 'PATCH', `/api/v1/users/${second}`, { token: admin2, body: { role: 'agent' } })).status).toBe(200);
    expect((await call(s, 'GET', '/api/v1/teams', { token: admin2 })).status).toBe(403);
  });
  it("the strategies' system user is neither listed nor editable: it is not a person", async () => {
    const systemId = await strategyUserId(s.db, s.seed!.orgId);
    const list = await call(s, 'GET', '/api/v1/users', { token: admin });
    expect(list.status).toBe(200);
    expect(list.body.users.map((u: { id: string }) => u.id)).not.toContain(systemId);
    expect(list.body.users.length).toBeGreaterThan(0);
    const edit = await call(s, 'PATCH', `/api/v1/users/${systemId}`, { token: admin, body: { disabled: false } });
    expect(edit.status).toBe(404);
    const [row] = await s.db.query<{ disabled: boolean }>('SELECT disabled FROM users WHERE id = $1', [systemId]);
    expect(row!.disabled).toBe(true);
  });
});
