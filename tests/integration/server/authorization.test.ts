import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountBundle, AccountListPage } from '../../../src/shared/api/rest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, addUser, balanceOf, contactPointOf, everyMutation, SyncClient } from './fixtures';

describe.each(BACKENDS)('authorization on %s', (backend) => {
  let s: TestServer;
  let a: { token: string; user: { id: string } };
  let accountB: { id: string; debtorId: string };
  let activityB: string;
  let agent4: string;
  let accountOther: { id: string; debtorId: string };

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 30 } });
    a = await login(s, 'agente1', 'agente123');
    accountB = (await accountsOf(s.db, s.seed!.users.agente2))[0]!;
    // A call agente2 logged, so agente1 has an activity of someone else's to try setOutcome on.
    const b = await SyncClient.login(s, 'agente2', 'agente123');
    activityB = randomUUID();
    const logged = await b.push(
      b.make([
        'activity.log',
        { id: activityB, accountId: accountB.id, channel: 'call', disposition: null, startedAt: new Date().toISOString() },
      ]),
    );
    expect(logged.body.results[0].status).toBe('applied');
    // A second team, with its own lead and agent, holding a few accounts.
    const orgId = s.seed!.orgId;
    agent4 = await addUser(s.db, orgId, 'agente4', { teamName: 'Equipo Medellín' });
    await addUser(s.db, orgId, 'lider2', { teamName: 'Equipo Medellín', role: 'team_lead' });
    const moved = (await accountsOf(s.db, s.seed!.users.agente3)).slice(0, 3);
    for (const m of moved) await s.db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [m.id, agent4]);
    accountOther = moved[0]!;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("an agent's list holds only their own accounts, and searching cannot reach others", async () => {
    const all: string[] = [];
    let after: string | null = null;
    do {
      const r = await call(s, 'GET', `/api/v1/accounts?limit=4${after ? `&after=${after}` : ''}`, { token: a.token });
      expect(r.status).toBe(200);
      const page = AccountListPage.parse(r.body);
      for (const item of page.items) expect(item.assignedAgentId).toBe(a.user.id);
      all.push(...page.items.map((i) => i.id));
      after = page.nextAfter;
    } while (after);
    const own = await accountsOf(s.db, a.user.id);
    expect(all).toEqual(own.map((x) => x.id));
    const [bRef] = await s.db.query<{ ref: string }>('SELECT external_ref AS ref FROM accounts WHERE id = $1', [accountB.id]);
    const search = await call(s, 'GET', `/api/v1/accounts?search=${encodeURIComponent(bRef!.ref)}`, { token: a.token });
    expect(search.body.items).toEqual([]);
    const filter = await call(s, 'GET', `/api/v1/accounts?agentId=${s.seed!.users.agente2}`, { token: a.token });
    expect(filter.body.items).toEqual([]);
  });

  it("an agent gets 404 (not 403) for another agent's account, detail and activities", async () => {
    for (const path of [`/api/v1/accounts/${accountB.id}`, `/api/v1/accounts/${accountB.id}/activities`]) {
      const r = await call(s, 'GET', path, { token: a.token });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const missing = await call(s, 'GET', `/api/v1/accounts/${randomUUID()}`, { token: a.token });
    expect(missing.body).toEqual((await call(s, 'GET', `/api/v1/accounts/${accountB.id}`, { token: a.token })).body);
    const own = (await accountsOf(s.db, a.user.id))[0]!;
    const detail = await call(s, 'GET', `/api/v1/accounts/${own.id}`, { token: a.token });
    expect(detail.status).toBe(200);
    expect(AccountBundle.parse(detail.body).account.id).toBe(own.id);
  });

  it('an agent cannot assign or post payments (403 by role)', async () => {
    const own = (await accountsOf(s.db, a.user.id))[0]!;
    const assign = await call(s, 'POST', `/api/v1/accounts/${own.id}/assign`, { token: a.token, body: { agentId: a.user.id } });
    expect(assign.status).toBe(403);
    const pay = await call(s, 'POST', '/api/v1/payments', {
      token: a.token,
      body: { accountId: own.id, reference: 'R-1', amountMinor: 100, currency: 'COP', paidAt: new Date().toISOString() },
    });
    expect(pay.status).toBe(403);
    const imp = await call(s, 'POST', '/api/v1/imports/portfolio', { token: a.token, body: 'a,b\n1,2\n', contentType: 'text/csv' });
    expect(imp.status).toBe(403);
  });

  it("every mutation kind against another agent's account is rejected and changes nothing", async () => {
    const client = await SyncClient.login(s, 'agente1', 'agente123');
    const cp = await contactPointOf(s.db, accountB.debtorId);
    const before = await snapshot(s, accountB.id, accountB.debtorId);
    const kinds = everyMutation(accountB.id, accountB.debtorId, cp, activityB, await balanceOf(s.db, accountB.id));
    const r = await client.push(client.make(...kinds));
    expect(r.status).toBe(200);
    expect(r.body.lastMutationId).toBe(kinds.length);
    for (const [i, res] of r.body.results.entries()) {
      expect(res, kinds[i]![0]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    }
    expect(await snapshot(s, accountB.id, accountB.debtorId)).toEqual(before);
    const rejections = await s.db.query<{ name: string }>('SELECT name FROM sync_rejections WHERE client_id = $1 ORDER BY mutation_id', [
      client.clientId,
    ]);
    expect(rejections.map((x) => x.name)).toEqual(kinds.map((k) => k[0]));
  });

  it("the same mutations on the agent's own account are applied", async () => {
    const client = await SyncClient.login(s, 'agente1', 'agente123');
    const own = (await accountsOf(s.db, a.user.id))[1]!;
    const cp = await contactPointOf(s.db, own.debtorId);
    const activityId = randomUUID();
    const first = await client.push(
      client.make([
        'activity.log',
        { id: activityId, accountId: own.id, channel: 'call', disposition: null, startedAt: new Date().toISOString() },
      ]),
    );
    expect(first.body.results[0].status).toBe('applied');
    const r = await client.push(client.make(...everyMutation(own.id, own.debtorId, cp, activityId, await balanceOf(s.db, own.id))));
    expect(r.body.results, JSON.stringify(r.body.results)).toEqual(
      r.body.results.map((x: { id: number }) => ({ id: x.id, status: 'applied' })),
    );
    expect(r.body.results).toHaveLength(8);
    const [acc] = await s.db.query<{ status: string; callback_note: string }>('SELECT status, callback_note FROM accounts WHERE id = $1', [
      own.id,
    ]);
    expect(acc).toMatchObject({ status: 'dispute', callback_note: 'llamar' });
  });

  it("a team lead sees only their team's accounts; an admin sees all", async () => {
    const lead = await login(s, 'lider', 'lider123');
    const admin = await login(s, 'admin', 'admin123');
    const leadList = await call(s, 'GET', '/api/v1/accounts?limit=500', { token: lead.token });
    const team = new Set([s.seed!.users.agente1, s.seed!.users.agente2, s.seed!.users.agente3, s.seed!.users.lider]);
    expect(leadList.body.items.length).toBeGreaterThan(0);
    for (const item of leadList.body.items) expect(team.has(item.assignedAgentId)).toBe(true);
    expect(leadList.body.items.map((i: { id: string }) => i.id)).not.toContain(accountOther.id);
    expect((await call(s, 'GET', `/api/v1/accounts/${accountOther.id}`, { token: lead.token })).status).toBe(404);
    const [{ n }] = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts WHERE org_id = $1', [s.seed!.orgId])) as [
      { n: number },
    ];
    const adminList = await call(s, 'GET', '/api/v1/accounts?limit=500', { token: admin.token });
    expect(adminList.body.total).toBe(n);
    expect((await call(s, 'GET', `/api/v1/accounts/${accountOther.id}`, { token: admin.token })).status).toBe(200);
    const lead2 = await login(s, 'lider2', 'clave123');
    const l2 = await call(s, 'GET', '/api/v1/accounts?limit=500', { token: lead2.token });
    expect(l2.body.items.map((i: { id: string }) => i.id).sort()).toEqual((await accountsOf(s.db, agent4)).map((x) => x.id).sort());
  });

  it('a team lead assigns within the team only; the assignment is logged with its author', async () => {
    const lead = await login(s, 'lider', 'lider123');
    const target = (await accountsOf(s.db, s.seed!.users.agente3))[0]!;
    const outside = await call(s, 'POST', `/api/v1/accounts/${target.id}/assign`, { token: lead.token, body: { agentId: agent4 } });
    expect(outside.status).toBe(403);
    const foreign = await call(s, 'POST', `/api/v1/accounts/${accountOther.id}/assign`, {
      token: lead.token,
      body: { agentId: s.seed!.users.agente1 },
    });
    expect(foreign.status).toBe(404);
    const ok = await call(s, 'POST', `/api/v1/accounts/${target.id}/assign`, {
      token: lead.token,
      body: { agentId: s.seed!.users.agente1 },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.assignedAgentId).toBe(s.seed!.users.agente1);
    const [log] = await s.db.query<{ from: string; to: string; by: string }>(
      'SELECT from_agent_id AS "from", to_agent_id AS "to", by_user_id AS "by" FROM assignment_log WHERE account_id = $1 ORDER BY seq DESC LIMIT 1',
      [target.id],
    );
    expect(log).toEqual({ from: s.seed!.users.agente3, to: s.seed!.users.agente1, by: s.seed!.users.lider });
  });

  it("a team lead's mutations on another team's account are rejected", async () => {
    const client = await SyncClient.login(s, 'lider', 'lider123');
    const r = await client.push(client.make(['account.setStatus', { accountId: accountOther.id, status: 'dispute', reason: null }]));
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'not_found' } });
    const pay = await call(s, 'POST', '/api/v1/payments', {
      token: client.token,
      body: { accountId: accountOther.id, reference: 'R-X', amountMinor: 100, currency: 'COP', paidAt: new Date().toISOString() },
    });
    expect(pay.status).toBe(404);
  });
});

async function snapshot(s: TestServer, accountId: string, debtorId: string) {
  const q = (sql: string) => s.db.query(sql, [accountId]);
  return {
    account: await q('SELECT status, callback_at, callback_note, last_contact_at, version FROM accounts WHERE id = $1'),
    activities: await q('SELECT id, disposition, version FROM activities WHERE account_id = $1 ORDER BY id'),
    notes: await q('SELECT id FROM notes WHERE account_id = $1'),
    promises: await q('SELECT id FROM promises WHERE account_id = $1'),
    debtor: await s.db.query('SELECT contact_prefs, version FROM debtors WHERE id = $1', [debtorId]),
    contactPoints: await s.db.query('SELECT id, invalid, version FROM contact_points WHERE debtor_id = $1 ORDER BY id', [debtorId]),
  };
}
