import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContactPreferences } from '../../../src/shared/domain/entities';
import { PullResponse, type Patch } from '../../../src/shared/sync/protocol';
import { A, ACCOUNT_COLUMNS, CONTACT_POINT_COLUMNS, DEBTOR_COLUMNS } from '../../../src/shared/sync/snapshot';
import type { Db } from '../../../src/server/db';
import { pull } from '../../../src/server/sync/pull';
import { BACKENDS, call, login, startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, SyncClient } from './fixtures';

const now = () => new Date().toISOString();

/** Pulls until hasMore is false; returns every page. */
async function pullAll(c: SyncClient, cursor: string | null, limit?: number): Promise<PullResponse[]> {
  const pages: PullResponse[] = [];
  for (;;) {
    const r = await c.pull(cursor, limit);
    expect(r.status).toBe(200);
    const page = PullResponse.parse(r.body);
    pages.push(page);
    cursor = page.cursor;
    if (!page.hasMore) return pages;
  }
}

const ids = (xs: { id: string }[]) => xs.map((x) => x.id).sort();
const isEmpty = (p: Patch) => Object.values(p).every((list) => list.length === 0);

describe.each(BACKENDS)('sync pull on %s', (backend) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend, seed: { accounts: 45 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('pages a first pull by keyset with progress, each account with its debtor and contact points', async () => {
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const own = await accountsOf(s.db, s.seed!.users.agente1);
    expect(own.length).toBeGreaterThan(8);
    const pages = await pullAll(c, null, 4);
    expect(pages).toHaveLength(Math.ceil(own.length / 4));
    expect(pages.map((p) => p.reset)).toEqual(pages.map((_, i) => i === 0));
    expect(pages.at(-1)!.progress).toEqual({ done: own.length, total: own.length });
    pages.forEach((p, i) => expect(p.progress!.done).toBe(Math.min((i + 1) * 4, own.length)));
    const accounts = pages.flatMap((p) => p.patch.accounts);
    expect(ids(accounts)).toEqual(own.map((a) => a.id).sort());
    const debtors = new Set(pages.flatMap((p) => p.patch.debtors).map((d) => d.id));
    for (const a of accounts) expect(debtors.has(a.debtorId)).toBe(true);
    const cps = pages.flatMap((p) => p.patch.contactPoints);
    const [{ n }] = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contact_points WHERE debtor_id = ANY($1::uuid[])', [
      [...debtors],
    ])) as [{ n: number }];
    // A debtor with accounts on two pages travels twice; the client upserts by id.
    expect(new Set(cps.map((x) => x.id)).size).toBe(n);
    expect(n).toBeGreaterThan(0);
  });

  it('sends the bulk rows of a full pull as tuples when asked: the same entities, pages and cursors', async () => {
    // a debtor with an open promise's installments, a note and an activity: facts still travel as objects
    const c = await SyncClient.login(s, 'agente1', 'agente123');
    const own = await accountsOf(s.db, s.seed!.users.agente1);
    await c.push(c.make(['note.add', { id: randomUUID(), accountId: own[0]!.id, body: 'con "comillas" y \\ barra', createdAt: now() }]));
    await s.db.query(
      `UPDATE accounts SET callback_at = '2030-05-01T14:00:00.123Z', callback_note = 'línea 1
línea 2 "citada"' WHERE id = $1`,
      [own[1]!.id],
    );
    const pullWith = async (tuples: boolean) => {
      const pages: PullResponse[] = [];
      let cursor: string | null = null;
      for (;;) {
        const r = await c.pull(cursor, 4, tuples);
        expect(r.status).toBe(200);
        const page: PullResponse = PullResponse.parse(r.body);
        pages.push(page);
        cursor = page.cursor;
        if (!page.hasMore) return pages;
      }
    };
    const objects = await pullWith(false);
    const tuples = await pullWith(true);
    expect(tuples.map((p) => [p.hasMore, p.reset, p.progress])).toEqual(objects.map((p) => [p.hasMore, p.reset, p.progress]));
    expect(objects.every((p) => p.snapshot === undefined)).toBe(true);
    const decode = <T>(cols: readonly string[], rows: unknown[][], fix: (o: Record<string, unknown>) => T) =>
      rows.map((r) => fix(Object.fromEntries(cols.map((k, i) => [k, r[i]]))));
    tuples.forEach((page, i) => {
      const want = objects[i]!.patch;
      expect(page.patch.accounts).toEqual([]);
      expect(page.patch.debtors).toEqual([]);
      expect(page.patch.contactPoints).toEqual([]);
      expect(page.patch.notes).toEqual(want.notes);
      expect(page.patch.activities).toEqual(want.activities);
      const snap = page.snapshot!;
      expect(decode(ACCOUNT_COLUMNS, snap.accounts, (o) => o)).toEqual(want.accounts);
      expect(
        decode(DEBTOR_COLUMNS, snap.debtors, (o) => ({
          ...o,
          contactPrefs: ContactPreferences.parse(JSON.parse(o.contactPrefs as string)),
        })),
      ).toEqual([...want.debtors].sort((a, b) => a.id.localeCompare(b.id)));
      expect(
        decode(CONTACT_POINT_COLUMNS, snap.contactPoints, (o) => ({
          ...o,
          verified: o.verified === 1,
          invalid: o.invalid === 1,
          doNotContact: o.doNotContact === 1,
        })),
      ).toEqual([...want.contactPoints].sort((a, b) => a.debtorId.localeCompare(b.debtorId) || a.id.localeCompare(b.id)));
    });
    const accounts = tuples.flatMap((p) => p.snapshot!.accounts);
    expect(accounts).toHaveLength(own.length);
    expect(accounts.find((a) => a[A.id] === own[1]!.id)?.[A.callbackNote]).toBe('línea 1\nlínea 2 "citada"');
    expect(tuples.flatMap((p) => p.patch.notes).some((n) => n.body === 'con "comillas" y \\ barra')).toBe(true);
    // the incremental pull after a tuple full pull is the usual object patch
    const next = PullResponse.parse((await c.pull(tuples.at(-1)!.cursor, undefined, true)).body);
    expect(next.snapshot).toBeUndefined();
  });

  it('answers an empty patch and the same cursor when nothing changed', async () => {
    const c = await SyncClient.login(s, 'agente2', 'agente123');
    const first = await pullAll(c, null);
    const cursor = first.at(-1)!.cursor;
    const again = PullResponse.parse((await c.pull(cursor)).body);
    expect(isEmpty(again.patch)).toBe(true);
    expect(again).toMatchObject({ cursor, hasMore: false, reset: false });
  });

  it("returns what changed since the cursor, with the client's last mutation id", async () => {
    const c = await SyncClient.login(s, 'agente2', 'agente123');
    const cursor = (await pullAll(c, null)).at(-1)!.cursor;
    const acc = (await accountsOf(s.db, s.seed!.users.agente2))[0]!;
    const activityId = randomUUID();
    const noteId = randomUUID();
    await c.push(
      c.make(
        ['activity.log', { id: activityId, accountId: acc.id, channel: 'call', disposition: 'callback_requested', startedAt: now() }],
        ['note.add', { id: noteId, accountId: acc.id, body: 'volver a llamar', createdAt: now() }],
        ['account.setCallback', { accountId: acc.id, callbackAt: '2030-05-01T14:00:00.000Z', note: 'tarde' }],
      ),
    );
    // Someone else's change on an account this agent cannot see must not show up.
    const other = (await accountsOf(s.db, s.seed!.users.agente3))[0]!;
    const c3 = await SyncClient.login(s, 'agente3', 'agente123');
    await c3.push(c3.make(['note.add', { id: randomUUID(), accountId: other.id, body: 'ajena', createdAt: now() }]));

    const r = PullResponse.parse((await c.pull(cursor)).body);
    expect(r.lastMutationId).toBe(3);
    expect(r.patch.activities.map((a) => a.id)).toEqual([activityId]);
    expect(r.patch.activities[0]!.recordedAt).not.toBeNull();
    expect(r.patch.notes.map((n) => n.id)).toEqual([noteId]);
    expect(r.patch.accounts.map((a) => [a.id, a.callbackAt, a.callbackNote])).toEqual([[acc.id, '2030-05-01T14:00:00.000Z', 'tarde']]);
    expect(r.patch.removedAccountIds).toEqual([]);
    const quiet = PullResponse.parse((await c.pull(r.cursor)).body);
    expect(isEmpty(quiet.patch)).toBe(true);
  });

  it('a reassignment removes the account from the old agent and sends the whole bundle to the new one', async () => {
    const a1 = await SyncClient.login(s, 'agente1', 'agente123');
    const a3 = await SyncClient.login(s, 'agente3', 'agente123');
    const acc = (await accountsOf(s.db, s.seed!.users.agente1))[0]!;
    const history = randomUUID();
    await a1.push(
      a1.make(['activity.log', { id: history, accountId: acc.id, channel: 'sms', disposition: 'message_sent', startedAt: now() }]),
    );
    const c1 = (await pullAll(a1, null)).at(-1)!.cursor;
    const c3 = (await pullAll(a3, null)).at(-1)!.cursor;

    const lead = await login(s, 'lider', 'lider123');
    expect(
      (await call(s, 'POST', `/api/v1/accounts/${acc.id}/assign`, { token: lead.token, body: { agentId: s.seed!.users.agente3 } })).status,
    ).toBe(200);

    const old = PullResponse.parse((await a1.pull(c1)).body);
    expect(old.patch.removedAccountIds).toEqual([acc.id]);
    expect(old.patch.accounts).toEqual([]);
    expect(old.patch.activities).toEqual([]);

    const fresh = PullResponse.parse((await a3.pull(c3)).body);
    expect(fresh.patch.accounts.map((a) => a.id)).toEqual([acc.id]);
    expect(fresh.patch.accounts[0]!.assignedAgentId).toBe(s.seed!.users.agente3);
    expect(fresh.patch.debtors.map((d) => d.id)).toEqual([acc.debtorId]);
    expect(fresh.patch.contactPoints.length).toBeGreaterThan(0);
    // History from before the cursor travels with the account.
    expect(fresh.patch.activities.map((a) => a.id)).toContain(history);
    expect(fresh.patch.removedAccountIds).toEqual([]);

    // The team lead sees the account before and after: no removal for them.
    const leadClient = new SyncClient(s, lead.token);
    const lc = (await pullAll(leadClient, null)).at(-1)!.cursor;
    await call(s, 'POST', `/api/v1/accounts/${acc.id}/assign`, { token: lead.token, body: { agentId: s.seed!.users.agente2 } });
    const leadPatch = PullResponse.parse((await leadClient.pull(lc)).body).patch;
    expect(leadPatch.removedAccountIds).toEqual([]);
    expect(leadPatch.accounts.map((a) => a.id)).toEqual([acc.id]);
  });

  it("starts over with a full pull for a cursor that is unreadable or someone else's", async () => {
    const a1 = await SyncClient.login(s, 'agente1', 'agente123');
    const a2 = await SyncClient.login(s, 'agente2', 'agente123');
    const c2 = (await pullAll(a2, null)).at(-1)!.cursor;
    for (const cursor of [c2, 'not-a-cursor']) {
      const r = PullResponse.parse((await a1.pull(cursor)).body);
      expect(r.reset).toBe(true);
      for (const a of r.patch.accounts) expect(a.assignedAgentId).toBe(s.seed!.users.agente1);
    }
  });

  it('never skips a row committed while pulls run (writers and pullers interleaved)', async () => {
    const writer = await SyncClient.login(s, 'agente2', 'agente123');
    const reader = await SyncClient.login(s, 'agente2', 'agente123');
    const accs = await accountsOf(s.db, s.seed!.users.agente2);
    let cursor = (await pullAll(reader, null)).at(-1)!.cursor;
    const seen = new Set<string>();
    const written: string[] = [];
    let writing = true;
    const writes = (async () => {
      for (let round = 0; round < 15; round++) {
        const batch = accs.slice(0, 4).map((a) => {
          const id = randomUUID();
          written.push(id);
          return ['activity.log', { id, accountId: a.id, channel: 'call', disposition: 'busy', startedAt: now() }] as const;
        });
        const r = await writer.push(writer.make(...batch));
        expect(r.status).toBe(200);
      }
      writing = false;
    })();
    while (writing) {
      const page = PullResponse.parse((await reader.pull(cursor)).body);
      for (const a of page.patch.activities) seen.add(a.id);
      cursor = page.cursor;
    }
    await writes;
    const last = PullResponse.parse((await reader.pull(cursor)).body);
    for (const a of last.patch.activities) seen.add(a.id);
    expect(written).toHaveLength(60);
    for (const id of written) expect(seen.has(id)).toBe(true);
  });

  it('refuses a malformed pull naming the field', async () => {
    const { token } = await login(s, 'agente1', 'agente123');
    const r = await call(s, 'POST', '/api/v1/sync/pull', { token, body: { protocolVersion: 1, clientId: 'nope', cursor: null } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid_request', field: 'clientId' });
  });

  it('costs a fixed number of queries per page whatever the page size, and a handful when nothing changed', async () => {
    let queries = 0;
    const counting = (db: Db): Db => ({
      ...db,
      kind: db.kind,
      query: (sql, params) => {
        queries++;
        return db.query(sql, params);
      },
      transaction: (fn) => db.transaction((tx) => fn(counting(tx))),
    });
    const db = counting(s.db);
    const [user] = await s.db.query<any>(
      `SELECT id, org_id AS "orgId", team_id AS "teamId", username, display_name AS "displayName", role, disabled FROM users WHERE username = 'admin'`,
    );
    const run = async (limit: number) => {
      queries = 0;
      let cursor: string | null = null;
      let pages = 0;
      for (;;) {
        const r: PullResponse = await pull(db, user, { protocolVersion: 1, clientId: randomUUID(), cursor, limit });
        pages++;
        cursor = r.cursor;
        if (!r.hasMore) break;
      }
      return { pages, queries, cursor: cursor! };
    };
    const big = await run(1000);
    const small = await run(5);
    expect(big.pages).toBe(1);
    expect(small.pages).toBeGreaterThan(5);
    expect(big.queries).toBeLessThanOrEqual(13);
    expect(small.queries / small.pages).toBeLessThanOrEqual(13);
    queries = 0;
    const idle = await pull(db, user, { protocolVersion: 1, clientId: randomUUID(), cursor: big.cursor });
    expect(isEmpty(idle.patch)).toBe(true);
    expect(queries).toBeLessThanOrEqual(3);
  });
});
