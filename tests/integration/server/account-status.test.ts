import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, SyncClient } from './fixtures';

/**
 * docs/sync.md: an agent moves an account only into a status that stops contact, never back to
 * `active`; hardship is the lead's decision, asked for with the `hardship_claimed` outcome and set
 * or lifted by the lead on their team's accounts, audited.
 */
describe.each(BACKENDS)('%s', (backend) => {
  let s: TestServer;
  let agent: SyncClient;
  let lead: SyncClient;
  let leadToken: string;
  let agentToken: string;
  let accounts: { id: string }[];
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 30 } });
    agent = await SyncClient.login(s, 'agente1', 'agente123');
    lead = await SyncClient.login(s, 'lider', 'lider123');
    leadToken = lead.token;
    agentToken = agent.token;
    const [u] = await s.db.query<{ id: string }>(`SELECT id FROM users WHERE username = 'agente1'`);
    accounts = await accountsOf(s.db, u!.id);
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  const statusOf = async (id: string) =>
    (await s.db.query<{ status: string }>('SELECT status FROM accounts WHERE id = $1', [id]))[0]!.status;
  const setStatus = (c: SyncClient, accountId: string, status: string) =>
    c.push(c.make(['account.setStatus', { accountId, status, reason: null }]));

  it('an agent may set a contact-stopping status but never reopen, nor set or leave hardship', async () => {
    const id = accounts[0]!.id;
    expect((await setStatus(agent, id, 'dispute')).body.results[0].status).toBe('applied');
    const reopen = (await setStatus(agent, id, 'active')).body.results[0];
    expect(reopen).toMatchObject({ status: 'rejected', error: { code: 'agent_cannot_reopen', field: 'status' } });
    expect(await statusOf(id)).toBe('dispute');
    const hardship = (await setStatus(agent, id, 'hardship')).body.results[0];
    expect(hardship).toMatchObject({ status: 'rejected', error: { code: 'lead_only_status' } });
    expect((await setStatus(agent, id, 'closed')).body.results[0].error.code).toBe('lead_only_status');
    // the lead reopens after review
    expect((await setStatus(lead, id, 'active')).body.results[0].status).toBe('applied');
    expect(await statusOf(id)).toBe('active');
  });

  it('the agent asks for hardship with an outcome; the lead sees it, sets and lifts it, audited', async () => {
    const id = accounts[1]!.id;
    const claim = await agent.push(
      agent.make([
        'activity.log',
        {
          id: randomUUID(),
          accountId: id,
          channel: 'call',
          disposition: 'hardship_claimed',
          note: 'perdió el empleo',
          startedAt: new Date().toISOString(),
        },
      ]),
    );
    expect(claim.body.results[0].status).toBe('applied');
    expect(await statusOf(id)).toBe('active'); // a claim is a request, not the decision

    const list = await call(s, 'GET', '/api/v1/accounts/hardship', { token: leadToken });
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { accountId: string }) => i.accountId === id);
    expect(item).toMatchObject({ status: 'active', claim: { note: 'perdió el empleo' } });
    expect((await call(s, 'GET', '/api/v1/accounts/hardship', { token: agentToken })).status).toBe(403);
    expect(
      (await call(s, 'POST', `/api/v1/accounts/${id}/hardship`, { token: agentToken, body: { hardship: true, reason: 'x' } })).status,
    ).toBe(403);
    expect(
      (await call(s, 'POST', `/api/v1/accounts/${id}/hardship`, { token: leadToken, body: { hardship: true } })).body.error.field,
    ).toBe('reason');

    const set = await call(s, 'POST', `/api/v1/accounts/${id}/hardship`, {
      token: leadToken,
      body: { hardship: true, reason: 'desempleo verificado' },
    });
    expect(set.status).toBe(200);
    expect(set.body.status).toBe('hardship');
    // the agent cannot move it out of hardship, not even into another stop status
    expect((await setStatus(agent, id, 'dispute')).body.results[0].error.code).toBe('account_held_by_lead');
    const after = (await call(s, 'GET', '/api/v1/accounts/hardship', { token: leadToken })).body.items.find(
      (i: { accountId: string }) => i.accountId === id,
    );
    expect(after).toMatchObject({ status: 'hardship', claim: null });

    const lift = await call(s, 'POST', `/api/v1/accounts/${id}/hardship`, {
      token: leadToken,
      body: { hardship: false, reason: 'consiguió empleo' },
    });
    expect(lift.body.status).toBe('active');
    expect(
      (await call(s, 'POST', `/api/v1/accounts/${id}/hardship`, { token: leadToken, body: { hardship: false, reason: 'otra vez' } }))
        .status,
    ).toBe(409);
    const audit = await call(s, 'GET', `/api/v1/accounts/${id}/hardship/audit`, { token: leadToken });
    expect(audit.body.entries.map((e: { action: string; after: { reason: string } }) => [e.action, e.after.reason])).toEqual([
      ['account.hardship_lifted', 'consiguió empleo'],
      ['account.hardship_set', 'desempleo verificado'],
    ]);
    expect(audit.body.entries[0].actorUsername).toBe('lider');
  });

  it("a lead cannot set hardship on another team's account", async () => {
    const [other] = await s.db.query<{ id: string }>(
      `INSERT INTO users (org_id, username, display_name, role, password_hash)
       SELECT org_id, 'solo', 'Solo', 'agent', password_hash FROM users WHERE username = 'agente1' RETURNING id`,
    );
    await s.db.query('UPDATE accounts SET assigned_agent_id = $2 WHERE id = $1', [accounts[2]!.id, other!.id]);
    const r = await call(s, 'POST', `/api/v1/accounts/${accounts[2]!.id}/hardship`, {
      token: leadToken,
      body: { hardship: true, reason: 'x' },
    });
    expect(r.status).toBe(404);
  });
});
