import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { openWorkstation } from './helpers';

/**
 * Team moves reach the team leads' local stores: a lead's next pull drops the accounts of an agent
 * who left their team and receives those of one who joined — also after being offline through
 * several moves, and when a team changes lead.
 */
const PASSWORD = 'clave-segura-1';

async function localIds(ws: Workstation): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await ws.handlers.listQueue({
      offset,
      limit: 200,
      sort: 'priority',
      dir: 'desc',
      contactableOnly: false,
      groupBy: 'account',
    });
    ids.push(...page.rows.map((r) => r.accountId));
    if (page.rows.length < 200) break;
  }
  return ids.sort();
}

describe.each(BACKENDS)('team moves on %s', (backend) => {
  let server: TestServer;
  let admin: string;
  let bogota: string;
  let medellin: string;
  let lider2: string;
  const stores: Awaited<ReturnType<typeof openWorkstation>>[] = [];
  let l1: Workstation;
  let l2: Workstation;
  let a3: Workstation;

  const users = () => server.seed!.users;
  /** Account ids assigned now to these users, from the server's database. */
  const accountsOf = async (...userIds: string[]) =>
    (await server.db.query<{ id: string }>('SELECT id FROM accounts WHERE assigned_agent_id = ANY($1::uuid[]) ORDER BY id', [userIds]))
      .map((r) => r.id)
      .sort();
  const moveTo = async (userId: string, teamId: string) => {
    const r = await call(server, 'PATCH', `/api/v1/users/${userId}`, { token: admin, body: { teamId } });
    expect(r.status).toBe(200);
    expect(r.body.teamId).toBe(teamId);
  };
  const sync = async (ws: Workstation) =>
    expect(await ws.handlers.syncNow(undefined)).toMatchObject({ lastError: null, authRequired: false });

  beforeAll(async () => {
    server = await startTestServer({ backend, seed: { accounts: 60 } });
    admin = (await login(server, 'admin', 'admin123')).token;
    bogota = server.seed!.teamId;
    const created = await call(server, 'POST', '/api/v1/users', {
      token: admin,
      body: { username: 'lider2', displayName: 'Líder Medellín', role: 'team_lead', teamId: null, password: PASSWORD },
    });
    expect(created.status).toBe(201);
    lider2 = created.body.id;
    const team = await call(server, 'POST', '/api/v1/teams', { token: admin, body: { name: 'Equipo Medellín', leadId: lider2 } });
    expect(team.status).toBe(201);
    medellin = team.body.id;
    for (const [username, password] of [
      ['lider', 'lider123'],
      ['lider2', PASSWORD],
      ['agente3', 'agente123'],
    ] as const) {
      const w = await openWorkstation(server.url);
      stores.push(w);
      await w.ws.handlers.login({ username, password });
      await sync(w.ws);
    }
    [l1, l2, a3] = stores.map((x) => x.ws) as [Workstation, Workstation, Workstation];
  });
  afterAll(async () => {
    for (const w of stores) {
      await w.ws.close();
      w.cleanup();
    }
    await server?.close();
  });

  it("an agent moved to another team leaves the old lead's store and joins the new lead's at their next pulls", async () => {
    const { agente1, agente2, agente3 } = users();
    expect(await localIds(l1)).toEqual(await accountsOf(agente1, agente2, agente3));
    expect(await localIds(l2)).toEqual([]);
    const agentOwn = await localIds(a3);
    const moving = await accountsOf(agente3);
    expect(moving.length).toBeGreaterThan(5);

    await moveTo(agente3, medellin);
    await sync(l1);
    await sync(l2);
    await sync(a3);
    expect(await localIds(l1)).toEqual(await accountsOf(agente1, agente2));
    await expect(l1.handlers.getAccount({ accountId: moving[0]! })).rejects.toMatchObject({ code: 'not_found' });
    expect(await localIds(l2)).toEqual(moving);
    const seen = await l2.handlers.getAccount({ accountId: moving[0]! });
    expect(seen.account.assignedAgentId).toBe(agente3);
    expect(seen.debtor.id).toBe(seen.account.debtorId);
    // the agent's own store does not change: an agent sees their accounts in any team
    expect(await localIds(a3)).toEqual(agentOwn);
  });

  it('a lead offline through several moves and reassignments finds the right accounts at their next pull', async () => {
    const { agente1, agente2, agente3 } = users();
    // l1 stays offline from here (no pull) while:
    await moveTo(agente2, medellin);
    // the new lead hands one of the newcomer's accounts to another agent of the new team
    const handed = (await accountsOf(agente2))[0]!;
    const lead2 = (await login(server, 'lider2', PASSWORD)).token;
    const assigned = await call(server, 'POST', `/api/v1/accounts/${handed}/assign`, { token: lead2, body: { agentId: agente3 } });
    expect(assigned.status).toBe(200);
    await sync(l2);
    expect(await localIds(l2)).toEqual(await accountsOf(agente2, agente3));
    expect(await localIds(l2)).toContain(handed);
    // an agent who goes over and comes back
    await moveTo(agente1, medellin);
    await sync(l2);
    expect(await localIds(l2)).toEqual(await accountsOf(agente1, agente2, agente3));
    await moveTo(agente1, bogota);

    await sync(l1);
    expect(await localIds(l1)).toEqual(await accountsOf(agente1));
    await expect(l1.handlers.getAccount({ accountId: handed })).rejects.toMatchObject({ code: 'not_found' });
    await sync(l2);
    expect(await localIds(l2)).toEqual(await accountsOf(agente2, agente3));
  });

  it("a team given another lead: the new lead's store gains the team, the old lead's loses it", async () => {
    const { agente1, agente2, agente3, lider } = users();
    const r = await call(server, 'PATCH', `/api/v1/teams/${medellin}`, { token: admin, body: { leadId: lider } });
    expect(r.status).toBe(200);
    await sync(l1);
    await sync(l2);
    expect(await localIds(l1)).toEqual(await accountsOf(agente1, agente2, agente3));
    expect(await localIds(l2)).toEqual([]);
    // and back: one more change, judged again
    expect((await call(server, 'PATCH', `/api/v1/teams/${medellin}`, { token: admin, body: { leadId: lider2 } })).status).toBe(200);
    await sync(l1);
    await sync(l2);
    expect(await localIds(l1)).toEqual(await accountsOf(agente1));
    expect(await localIds(l2)).toEqual(await accountsOf(agente2, agente3));
  });

  it('an agent promoted to team lead gets the team in their store at the next pull, and loses it when demoted', async () => {
    const { agente1 } = users();
    const w = await openWorkstation(server.url);
    stores.push(w);
    await w.ws.handlers.login({ username: 'agente1', password: 'agente123' });
    await sync(w.ws);
    const own = await accountsOf(agente1);
    expect(await localIds(w.ws)).toEqual(own);
    // a colleague joins the team: nothing changes for an agent
    await moveTo(users().agente2, bogota);
    await sync(w.ws);
    expect(await localIds(w.ws)).toEqual(own);
    // promoted, the same store is replaced by the team's accounts (a fresh full pull)
    const up = await call(server, 'PATCH', `/api/v1/users/${agente1}`, { token: admin, body: { role: 'team_lead' } });
    expect(up.status).toBe(200);
    await sync(w.ws);
    expect(await localIds(w.ws)).toEqual(await accountsOf(agente1, users().agente2));
    expect((await call(server, 'PATCH', `/api/v1/users/${agente1}`, { token: admin, body: { role: 'agent' } })).status).toBe(200);
    await sync(w.ws);
    expect(await localIds(w.ws)).toEqual(own);
  });
});
