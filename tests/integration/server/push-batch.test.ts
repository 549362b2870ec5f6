import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, contactPointOf, SyncClient } from './fixtures';

// A run of activity.log mutations in one push is applied in a few statements
// (src/server/sync/appliers/activity-log-batch.ts). It must leave exactly what applying them one
// push at a time leaves: the same compliance verdicts, last contact and implied status.

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

interface Stored {
  id: string;
  violation: string[] | null;
}

describe.each(['pg', 'pglite'] as const)('activity.log runs on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 45 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function stateOf(accountId: string, ids: string[]) {
    const rows = await s.db.query<Stored>('SELECT id, compliance_violation AS violation FROM activities WHERE id = ANY($1::uuid[])', [ids]);
    const byId = new Map(rows.map((r) => [r.id, r.violation]));
    const [account] = await s.db.query<{ status: string; lastContact: Date | null }>(
      'SELECT status, last_contact_at AS "lastContact" FROM accounts WHERE id = $1',
      [accountId],
    );
    return {
      violations: ids.map((id) => (byId.has(id) ? byId.get(id) : 'missing')),
      status: account!.status,
      lastContact: account!.lastContact?.toISOString() ?? null,
    };
  }

  it('judges, stores and updates the account exactly as one push per activity would', async () => {
    const agent = s.seed!.users.agente2;
    const [acc] = await accountsOf(s.db, agent);
    const cp = await contactPointOf(s.db, acc!.debtorId);
    // several attempts on one debtor within hours (frequency rules), one at night (hours rule),
    // an inbound one (never judged), an outcome that changes the account's status, and a
    // late-synced older one that must not move last contact backwards
    const scenario = () =>
      [
        { channel: 'call', direction: 'outbound', disposition: 'no_answer', startedAt: hoursAgo(30), contactPointId: cp },
        { channel: 'call', direction: 'outbound', disposition: 'rpc', startedAt: hoursAgo(29) },
        { channel: 'sms', direction: 'outbound', disposition: null, startedAt: hoursAgo(28.5), contactPointId: cp },
        { channel: 'call', direction: 'inbound', disposition: 'dispute', startedAt: hoursAgo(28) },
        { channel: 'call', direction: 'outbound', disposition: 'busy', startedAt: hoursAgo(27) },
        { channel: 'email', direction: 'outbound', disposition: null, startedAt: hoursAgo(48) },
      ].map((x) => ({ id: randomUUID(), accountId: acc!.id, note: 'lote', ...x }));

    const reset = () => s.db.query(`UPDATE accounts SET status = 'active', last_contact_at = NULL WHERE id = $1`, [acc!.id]);
    const clear = (ids: string[]) => s.db.query('DELETE FROM activities WHERE id = ANY($1::uuid[])', [ids]);

    await reset();
    const one = scenario();
    const single = await SyncClient.login(s, 'agente2', 'agente123');
    for (const args of one) expect((await single.push(single.make(['activity.log', args]))).status).toBe(200);
    const oneByOne = await stateOf(
      acc!.id,
      one.map((a) => a.id),
    );
    await clear(one.map((a) => a.id));

    await reset();
    const batched = scenario().map((a, i) => ({ ...a, startedAt: one[i]!.startedAt }));
    const client = await SyncClient.login(s, 'agente2', 'agente123');
    const r = await client.push(client.make(...batched.map((a) => ['activity.log', a] as const)));
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(batched.map(() => 'applied'));
    const inOneRun = await stateOf(
      acc!.id,
      batched.map((a) => a.id),
    );

    expect(inOneRun).toEqual(oneByOne);
    // the scenario exercises both verdicts and the implied status
    expect(oneByOne.violations.some((v) => Array.isArray(v) && v.length > 0)).toBe(true);
    expect(oneByOne.violations.some((v) => v === null)).toBe(true);
    expect(oneByOne.violations).not.toContain('missing');
    expect(oneByOne.status).toBe('dispute');
    expect(oneByOne.lastContact).toBe(new Date(one[4]!.startedAt).toISOString());
  });

  it('a refused activity in the middle of a run is rejected alone; the others are applied once', async () => {
    const agent = s.seed!.users.agente2;
    const accs = await accountsOf(s.db, agent);
    const acc = accs[1];
    const other = accs.find((a) => a.debtorId !== acc!.debtorId);
    const foreignCp = await contactPointOf(s.db, other!.debtorId);
    const client = await SyncClient.login(s, 'agente2', 'agente123');
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const r = await client.push(
      client.make(
        ['activity.log', { id: ids[0], accountId: acc!.id, channel: 'call', disposition: 'busy', startedAt: hoursAgo(1) }],
        [
          'activity.log',
          { id: ids[1], accountId: acc!.id, channel: 'call', disposition: 'busy', startedAt: hoursAgo(1), contactPointId: foreignCp },
        ],
        ['activity.log', { id: ids[2], accountId: acc!.id, channel: 'call', disposition: 'busy', startedAt: hoursAgo(1) }],
      ),
    );
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(r.body.results[1].error.field).toBe('contactPointId');
    const rows = await s.db.query<{ id: string }>('SELECT id FROM activities WHERE id = ANY($1::uuid[])', [ids]);
    expect(rows.map((x) => x.id).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('a push that is one run acknowledges the client above every version it wrote; a resend, or the same outcomes under new ids, applies nothing again', async () => {
    const agent = s.seed!.users.agente2;
    const accs = (await accountsOf(s.db, agent)).slice(2, 4);
    const client = await SyncClient.login(s, 'agente2', 'agente123');
    const args = [accs[0], accs[1], accs[0]].map((a, i) => ({
      id: randomUUID(),
      accountId: a!.id,
      channel: 'call',
      disposition: 'no_answer',
      startedAt: hoursAgo(3 - i),
      note: 'acuse',
    }));
    const batch = client.make(...args.map((a) => ['activity.log', a] as const));
    const first = await client.push(batch);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ lastMutationId: 3, results: [{ status: 'applied' }, { status: 'applied' }, { status: 'applied' }] });
    const ack = async () =>
      (
        await s.db.query<{ last: number; ack: number }>(
          'SELECT last_mutation_id AS last, ack_version AS ack FROM sync_clients WHERE client_id = $1',
          [client.clientId],
        )
      )[0]!;
    const [written] = await s.db.query<{ top: number }>(
      `SELECT greatest((SELECT max(version) FROM activities WHERE id = ANY($1::uuid[])),
                       (SELECT max(version) FROM accounts WHERE id = ANY($2::uuid[]))) AS top`,
      [args.map((a) => a.id), accs.map((a) => a!.id)],
    );
    const after = await ack();
    expect(after.last).toBe(3);
    expect(after.ack).toBeGreaterThan(written!.top);

    const resent = await client.push(batch);
    expect(resent.body.results.map((x: { status: string }) => x.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect((await ack()).last).toBe(3);

    // the same outcomes again under the next mutation ids (a client that lost its counter's answer)
    const again = await client.push(client.make(...args.map((a) => ['activity.log', a] as const)));
    expect(again.body).toMatchObject({ lastMutationId: 6, results: [{ status: 'applied' }, { status: 'applied' }, { status: 'applied' }] });
    const [stored] = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM activities WHERE id = ANY($1::uuid[])', [
      args.map((a) => a.id),
    ]);
    expect(stored!.n).toBe(3);
    const last = await ack();
    expect(last.last).toBe(6);
    expect(last.ack).toBeGreaterThan(after.ack);
  });
});
