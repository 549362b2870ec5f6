import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushResponse } from '../../../src/shared/sync/protocol';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, balanceOf, contactPointOf, inDays, mutation, SyncClient } from './fixtures';

const now = () => new Date().toISOString();
const activity = (accountId: string, extra: Record<string, unknown> = {}) =>
  ['activity.log', { id: randomUUID(), accountId, channel: 'call', disposition: 'no_answer', startedAt: now(), ...extra }] as const;

describe.each(BACKENDS)('sync push on %s', (backend) => {
  let s: TestServer;
  let own: { id: string; debtorId: string }[];
  const count = async (table: string, accountId: string) =>
    (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE account_id = $1`, [accountId]))[0]!.n;

  const foreignContactPoint = async (debtorId: string) =>
    (await s.db.query<{ id: string }>('SELECT id FROM contact_points WHERE debtor_id <> $1 LIMIT 1', [debtorId]))[0]!.id;

  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 30 } });
    own = await accountsOf(s.db, s.seed!.users.agente1);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('applies a batch once; replaying it (a lost answer) applies nothing again', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[0]!.id;
    const batch = c.make(activity(acc), ['note.add', { id: randomUUID(), accountId: acc, body: 'hola', createdAt: now() }], activity(acc));
    const first = await c.push(batch);
    expect(first.status).toBe(200);
    expect(PushResponse.parse(first.body)).toEqual({ lastMutationId: 3, results: [1, 2, 3].map((id) => ({ id, status: 'applied' })) });
    const activities = await count('activities', acc);
    const replay = await c.push(batch);
    expect(replay.body).toEqual({ lastMutationId: 3, results: [1, 2, 3].map((id) => ({ id, status: 'duplicate' })) });
    expect(await count('activities', acc)).toBe(activities);
    expect(await count('notes', acc)).toBe(1);
    // An overlapping resend: the old part is acknowledged, the new part applied.
    const overlap = await c.push([...batch.slice(1), ...c.make(activity(acc))]);
    expect(overlap.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'applied']);
    expect(await count('activities', acc)).toBe(activities + 1);
  });

  it('two identical pushes racing each other apply once', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[1]!.id;
    const before = await count('activities', acc);
    const batch = c.make(activity(acc), activity(acc), activity(acc));
    const [x, y] = await Promise.all([c.push(batch), c.push(batch)]);
    expect([x.status, y.status]).toEqual([200, 200]);
    const statuses = [x, y].map((r) => r.body.results.map((m: { status: string }) => m.status).join(','));
    expect(statuses.sort()).toEqual(['applied,applied,applied', 'duplicate,duplicate,duplicate']);
    expect(await count('activities', acc)).toBe(before + 3);
  });

  it('refuses a gap with 409 and applies nothing of that batch', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[2]!.id;
    const before = await count('activities', acc);
    const gap = await c.push([mutation(1, ...activity(acc)), mutation(3, ...activity(acc))]);
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'mutation_gap' });
    expect(await count('activities', acc)).toBe(before);
    const late = await c.push([mutation(2, ...activity(acc))]);
    expect(late.status).toBe(409);
    const ok = await c.push([mutation(1, ...activity(acc)), mutation(2, ...activity(acc))]);
    expect(ok.body.lastMutationId).toBe(2);
    expect(await count('activities', acc)).toBe(before + 2);
  });

  it('records an unknown or invalid mutation as rejected and still applies the next one', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[3]!.id;
    const r = await c.push(
      c.make(
        ['account.explode', { accountId: acc }],
        ['note.add', { id: randomUUID(), accountId: acc, body: '   ', createdAt: now() }],
        [
          'activity.log',
          {
            id: randomUUID(),
            accountId: acc,
            channel: 'call',
            disposition: null,
            startedAt: now(),
            contactPointId: await foreignContactPoint(own[3]!.debtorId),
          },
        ],
        ['note.add', { id: randomUUID(), accountId: acc, body: 'sigue', createdAt: now() }],
      ),
    );
    expect(r.status).toBe(200);
    expect(r.body.lastMutationId).toBe(4);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'unknown_mutation' } });
    expect(r.body.results[1]).toMatchObject({ status: 'rejected', error: { code: 'invalid_args', field: 'body' } });
    expect(r.body.results[2]).toMatchObject({ status: 'rejected', error: { code: 'invalid_args', field: 'contactPointId' } });
    expect(r.body.results[3]).toEqual({ id: 4, status: 'applied' });
    const rows = await s.db.query<{ mutation_id: number; code: string }>(
      'SELECT mutation_id, code FROM sync_rejections WHERE client_id = $1 ORDER BY mutation_id',
      [c.clientId],
    );
    expect(rows).toEqual([
      { mutation_id: 1, code: 'unknown_mutation' },
      { mutation_id: 2, code: 'invalid_args' },
      { mutation_id: 3, code: 'invalid_args' },
    ]);
    expect(await count('activities', acc)).toBe(0);
  });

  it('answers 426 with its protocol version to another protocol, before reading the body', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    for (const path of ['/api/v1/sync/push', '/api/v1/sync/pull']) {
      const r = await call(s, 'POST', path, { token: c.token, body: { protocolVersion: 2, clientId: c.clientId, somethingNew: true } });
      expect(r.status).toBe(426);
      expect(r.body.error).toMatchObject({ code: 'update_required', protocolVersion: 1 });
    }
  });

  it("refuses another user's client id with 403", async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    await c.push(c.make(activity(own[0]!.id)));
    const other = await login(s, 'agente2', 'agente123');
    const body = { protocolVersion: 1, clientId: c.clientId, mutations: [mutation(2, ...activity(own[0]!.id))] };
    const r = await call(s, 'POST', '/api/v1/sync/push', { token: other.token, body });
    expect(r.status).toBe(403);
    const p = await call(s, 'POST', '/api/v1/sync/pull', {
      token: other.token,
      body: { protocolVersion: 1, clientId: c.clientId, cursor: null },
    });
    expect(p.status).toBe(403);
  });

  it('keeps exactly-once for a client that comes back after 60 days', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[5]!.id;
    const batch = c.make(activity(acc));
    await c.push(batch);
    await s.db.query(`UPDATE sync_clients SET last_seen_at = now() - interval '61 days' WHERE client_id = $1`, [c.clientId]);
    const replay = await c.push(batch);
    expect(replay.body.results[0].status).toBe('duplicate');
    expect(await count('activities', acc)).toBe(1);
  });

  it('keeps facts an agent recorded offline on an account reassigned away, but not field edits', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[6]!.id;
    const balance = await balanceOf(s.db, acc);
    const half = Math.floor(balance / 2);
    const lead = await login(s, 'lider', 'lider123');
    expect(
      (await call(s, 'POST', `/api/v1/accounts/${acc}/assign`, { token: lead.token, body: { agentId: s.seed!.users.agente2 } })).status,
    ).toBe(200);
    const r = await c.push(
      c.make(
        activity(acc, { disposition: 'rpc' }),
        ['note.add', { id: randomUUID(), accountId: acc, body: 'offline', createdAt: now() }],
        [
          'promise.create',
          {
            id: randomUUID(),
            accountId: acc,
            channel: 'call',
            createdAt: now(),
            installments: [
              { dueDate: inDays(5), amountMinor: balance - half },
              { dueDate: inDays(35), amountMinor: half },
            ],
          },
        ],
        ['account.setCallback', { accountId: acc, callbackAt: '2030-01-01T15:00:00.000Z' }],
      ),
    );
    expect(
      r.body.results.map((x: { status: string }) => x.status),
      JSON.stringify(r.body.results),
    ).toEqual(['applied', 'applied', 'applied', 'rejected']);
    const [p] = await s.db.query<{ n: number; total: number }>(
      'SELECT count(*)::int AS n, sum(amount_minor)::float8 AS total FROM promise_installments i JOIN promises p ON p.id = i.promise_id WHERE p.account_id = $1',
      [acc],
    );
    expect(p).toEqual({ n: 2, total: balance });
  });

  it("do-not-contact is sticky against an agent's clear; a team lead can lift it", async () => {
    const agent = await SyncClient.login(s, 'agente1', 'agente123');
    const lead = await SyncClient.login(s, 'lider', 'lider123');
    const cp = await contactPointOf(s.db, own[7]!.debtorId);
    const flags = async () =>
      (
        await s.db.query<{ dnc: boolean; invalid: boolean }>('SELECT do_not_contact AS dnc, invalid FROM contact_points WHERE id = $1', [
          cp,
        ])
      )[0];
    await agent.push(agent.make(['contactPoint.flag', { contactPointId: cp, doNotContact: true }]));
    expect(await flags()).toEqual({ dnc: true, invalid: false });
    const clear = await agent.push(agent.make(['contactPoint.flag', { contactPointId: cp, doNotContact: false, invalid: true }]));
    expect(clear.body.results[0].status).toBe('applied');
    expect(await flags()).toEqual({ dnc: true, invalid: true });
    await lead.push(lead.make(['contactPoint.flag', { contactPointId: cp, doNotContact: false }]));
    expect(await flags()).toEqual({ dnc: false, invalid: true });
  });

  it('an outcome is set once, and a disposition that implies a status sets it', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[8]!.id;
    const call1 = randomUUID();
    await c.push(c.make(activity(acc, { id: call1, disposition: null })));
    const r = await c.push(
      c.make(
        ['activity.setOutcome', { activityId: call1, disposition: 'rpc', note: 'primera' }],
        ['activity.setOutcome', { activityId: call1, disposition: 'refused', note: 'segunda' }],
      ),
    );
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'applied']);
    const [row] = await s.db.query('SELECT disposition, note FROM activities WHERE id = $1', [call1]);
    expect(row).toEqual({ disposition: 'rpc', note: 'primera' });
    await c.push(c.make(activity(acc, { disposition: 'dispute' })));
    const [a] = await s.db.query<{ status: string; last: Date }>('SELECT status, last_contact_at AS last FROM accounts WHERE id = $1', [
      acc,
    ]);
    expect(a!.status).toBe('dispute');
    expect(a!.last).toBeInstanceOf(Date);
    // A late-synced older attempt does not move "last contact" backwards.
    await c.push(c.make(activity(acc, { startedAt: '2020-01-01T00:00:00.000Z' })));
    const [b] = await s.db.query<{ last: Date }>('SELECT last_contact_at AS last FROM accounts WHERE id = $1', [acc]);
    expect(b!.last.getTime()).toBe(a!.last.getTime());
  });

  it('uses the pushing user as the author, whatever the client claims', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const id = randomUUID();
    await c.push(c.make(activity(own[9]!.id, { id, agentId: s.seed!.users.agente2 })));
    const [row] = await s.db.query<{ agent: string }>('SELECT agent_id AS agent FROM activities WHERE id = $1', [id]);
    expect(row!.agent).toBe(s.seed!.users.agente1);
  });

  it("checks a promise against the organisation's policy when one is configured", async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const acc = own[0]!.id;
    const [{ balance }] = (await s.db.query<{ balance: number }>('SELECT balance_minor AS balance FROM accounts WHERE id = $1', [acc])) as [
      { balance: number },
    ];
    const [saved] = await s.db.query<{ policies: unknown }>(
      `SELECT settings -> 'promisePolicies' AS policies FROM organizations WHERE id = $1`,
      [s.seed!.orgId],
    );
    await s.db.query(`UPDATE organizations SET settings = settings || $2::jsonb WHERE id = $1`, [
      s.seed!.orgId,
      JSON.stringify({ promisePolicies: [{ product: null, maxInstallments: 3, maxDaysToFirstPayment: 60 }] }),
    ]);
    try {
      const promise = (installments: { dueDate: string; amountMinor: number }[]) =>
        ['promise.create', { id: randomUUID(), accountId: acc, channel: 'call', createdAt: now(), installments }] as const;
      const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
      const r = await c.push(
        c.make(
          promise([{ dueDate: day(10), amountMinor: balance + 1 }]),
          promise([
            { dueDate: day(10), amountMinor: 1 },
            { dueDate: day(9), amountMinor: 1 },
          ]),
          promise([
            { dueDate: day(10), amountMinor: 1 },
            { dueDate: day(40), amountMinor: 1 },
          ]),
        ),
      );
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'promise_policy', field: 'installments' } });
      expect(r.body.results[1]).toMatchObject({ status: 'rejected', error: { code: 'promise_policy', field: 'installments[1].dueDate' } });
      expect(r.body.results[2]).toEqual({ id: 3, status: 'applied' });
    } finally {
      await s.db.query(`UPDATE organizations SET settings = settings || jsonb_build_object('promisePolicies', $2::jsonb) WHERE id = $1`, [
        s.seed!.orgId,
        JSON.stringify(saved?.policies ?? []),
      ]);
    }
  });
});
