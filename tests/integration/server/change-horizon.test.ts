import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PullResponse } from '../../../src/shared/sync/protocol';
import { startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, SyncClient } from './fixtures';

// The visible change horizon (src/server/db/migrations/0006-change-horizon.sql): pulls read up to
// the lowest version a writer still in flight may commit, without waiting for it. Only PostgreSQL
// runs writers side by side, so this is where it can fail.

const now = () => new Date().toISOString();
const parse = (r: { status: number; body: unknown }) => {
  expect(r.status).toBe(200);
  return PullResponse.parse(r.body);
};

async function pullToEnd(c: SyncClient, cursor: string | null): Promise<string> {
  for (;;) {
    const page = parse(await c.pull(cursor));
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

/** A writer transaction that draws a version (a note) and stays open until released. */
function openWriter(s: TestServer, accountId: string, authorId: string) {
  const noteId = randomUUID();
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let drawn!: (v: number) => void;
  const version = new Promise<number>((r) => {
    drawn = r;
  });
  const done = s.db.transaction(async (tx) => {
    const [row] = await tx.query<{ version: number }>(
      `INSERT INTO notes (id, account_id, author_id, body, created_at) VALUES ($1, $2, $3, 'en vuelo', now()) RETURNING version`,
      [noteId, accountId, authorId],
    );
    drawn(row!.version);
    await released;
  });
  return { noteId, version, release, done };
}

const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then((v) => ({ v })), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

describe('change horizon on pg', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 45 } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a pull neither waits for a writer in flight nor moves its cursor past that writer's version", async () => {
    const agent = s.seed!.users.agente2;
    const accs = await accountsOf(s.db, agent);
    const reader = await SyncClient.login(s, 'agente2', 'agente123');
    const pusher = await SyncClient.login(s, 'agente2', 'agente123');
    let cursor = await pullToEnd(reader, null);

    const slow = openWriter(s, accs[0]!.id, agent);
    const slowVersion = await slow.version;
    // a later writer commits a higher version while the first is still open
    const activityId = randomUUID();
    const pushed = await pusher.push(
      pusher.make(['activity.log', { id: activityId, accountId: accs[1]!.id, channel: 'call', disposition: 'busy', startedAt: now() }]),
    );
    expect(pushed.status).toBe(200);
    const [{ version: laterVersion } = { version: 0 }] = await s.db.query<{ version: number }>(
      'SELECT version FROM activities WHERE id = $1',
      [activityId],
    );
    expect(laterVersion).toBeGreaterThan(slowVersion);

    const t = performance.now();
    const during = parse(await reader.pull(cursor));
    expect(performance.now() - t).toBeLessThan(2000);
    // the committed later row is held back with the open one: sending it would move the cursor past the open version
    expect(during.patch.activities.map((a) => a.id)).not.toContain(activityId);
    expect(during.patch.notes.map((n) => n.id)).not.toContain(slow.noteId);
    cursor = during.cursor;

    slow.release();
    await slow.done;
    const after = parse(await reader.pull(cursor));
    expect(after.patch.activities.map((a) => a.id)).toContain(activityId);
    expect(after.patch.notes.map((n) => n.id)).toContain(slow.noteId);
  });

  it("reports a client's last mutation id only with its effects: its pull waits for an older writer still in flight", async () => {
    const agent = s.seed!.users.agente2;
    const accs = await accountsOf(s.db, agent);
    const client = await SyncClient.login(s, 'agente2', 'agente123');
    const cursor = await pullToEnd(client, null);

    const slow = openWriter(s, accs[2]!.id, agent);
    await slow.version;
    const activityId = randomUUID();
    const [m] = client.make([
      'activity.log',
      { id: activityId, accountId: accs[3]!.id, channel: 'call', disposition: 'busy', startedAt: now() },
    ]);
    expect((await client.push([m])).status).toBe(200);

    const pending = client.pull(cursor);
    expect(await within(pending, 400)).toBe('timeout');
    slow.release();
    await slow.done;
    const page = parse(await pending);
    expect(page.lastMutationId).toBe(m!.id);
    expect(page.patch.activities.map((a) => a.id)).toContain(activityId);
  });

  it('pushes from many clients run side by side; pulls running meanwhile skip none of their rows', async () => {
    const agent = s.seed!.users.agente2;
    const accs = await accountsOf(s.db, agent);
    const reader = await SyncClient.login(s, 'agente2', 'agente123');
    let cursor = await pullToEnd(reader, null);
    const writers = await Promise.all(Array.from({ length: 6 }, () => SyncClient.login(s, 'agente2', 'agente123')));
    const written: string[] = [];
    let writing = true;
    const writes = Promise.all(
      writers.map(async (w, k) => {
        for (let round = 0; round < 8; round++) {
          const batch = [0, 1].map((j) => {
            const id = randomUUID();
            written.push(id);
            // different writers share accounts (and so debtors): they take turns there, run side by side elsewhere
            const account = accs[(k + j + round) % accs.length]!;
            return ['activity.log', { id, accountId: account.id, channel: 'call', disposition: 'busy', startedAt: now() }] as const;
          });
          expect((await w.push(w.make(...batch))).status).toBe(200);
        }
      }),
    ).finally(() => {
      writing = false;
    });
    const seen = new Set<string>();
    while (writing) {
      const page = parse(await reader.pull(cursor));
      for (const a of page.patch.activities) seen.add(a.id);
      cursor = page.cursor;
    }
    await writes;
    const last = parse(await reader.pull(cursor));
    for (const a of last.patch.activities) seen.add(a.id);
    expect(written).toHaveLength(96);
    expect(written.filter((id) => !seen.has(id))).toEqual([]);
    const [{ n } = { n: 0 }] = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM activities WHERE id = ANY($1::uuid[])', [
      written,
    ]);
    expect(n).toBe(96);
  });
});
