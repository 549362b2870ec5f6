import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../../src/server/db/write';
import { generateDemoPortfolio } from '../../../src/server/portfolio/demo';
import { upsertPortfolio } from '../../../src/server/portfolio/upsert';
import { PullResponse } from '../../../src/shared/sync/protocol';
import { startTestServer, type TestServer } from '../../helpers/server';
import { accountsOf, addUser, SyncClient } from './fixtures';

// Tenants apart (issue #19): a writer of one organisation holds only that organisation's change
// lock and holds back only that organisation's change horizon (src/server/db/write.ts,
// 0019-org-change-horizon.sql). Only PostgreSQL runs transactions side by side, so it is tested there.

const now = () => new Date().toISOString();
const parse = (r: { status: number; body: unknown }) => {
  expect(r.status).toBe(200);
  return PullResponse.parse(r.body);
};
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then((v) => ({ v })), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

async function pullToEnd(c: SyncClient, cursor: string | null): Promise<string> {
  for (;;) {
    const page = parse(await c.pull(cursor));
    cursor = page.cursor;
    if (!page.hasMore) return cursor;
  }
}

/** A writeTransaction of orgId (an import chunk, a reassignment …) that writes a note, then stays open until released. */
function openWriter(s: TestServer, orgId: string, accountId: string, authorId: string) {
  const noteId = randomUUID();
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let wrote!: () => void;
  const written = new Promise<void>((r) => {
    wrote = r;
  });
  const done = writeTransaction(s.db, orgId, async (tx) => {
    await tx.query(`INSERT INTO notes (id, account_id, author_id, body, created_at) VALUES ($1, $2, $3, 'en vuelo', now())`, [
      noteId,
      accountId,
      authorId,
    ]);
    wrote();
    await released;
  });
  return { noteId, written, release, done };
}

describe('tenants apart on pg', () => {
  let s: TestServer;
  let orgB: string;
  let agentB: string;
  beforeAll(async () => {
    s = await startTestServer({ backend: 'pg', seed: { accounts: 20 } });
    const [org] = await s.db.query<{ id: string }>(
      `INSERT INTO organizations (name, country, time_zone) VALUES ('Banco B', 'CO', 'America/Bogota') RETURNING id`,
    );
    orgB = org!.id;
    agentB = await addUser(s.db, orgB, 'agenteb', { teamName: 'Equipo B' });
    const rows = generateDemoPortfolio({ count: 6, seed: 7, agents: ['agenteb'] });
    const report = await upsertPortfolio(
      s.db,
      orgB,
      rows.map((row, i) => ({ rowNumber: i + 2, row })),
    );
    expect(report.errors).toEqual([]);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a writer holding org A's transaction open neither blocks org B's push nor holds back org B's pull", async () => {
    const orgA = s.seed!.orgId;
    const agentA = s.seed!.users.agente1;
    const [accA] = await accountsOf(s.db, agentA);
    const accsB = await accountsOf(s.db, agentB);
    expect(accsB.length).toBeGreaterThan(0);

    const readerA = await SyncClient.login(s, 'agente1', 'agente123');
    const cursorA = await pullToEnd(readerA, null);
    const readerB = await SyncClient.login(s, 'agenteb', 'clave123');
    const pusherB = await SyncClient.login(s, 'agenteb', 'clave123');
    let cursorB = await pullToEnd(readerB, null);

    const writer = openWriter(s, orgA, accA!.id, agentA);
    await writer.written;
    try {
      // B's push takes B's lock, shared: A's exclusive lock is another key
      const activityId = randomUUID();
      const push = pusherB.push(
        pusherB.make(['activity.log', { id: activityId, accountId: accsB[0]!.id, channel: 'call', disposition: 'busy', startedAt: now() }]),
      );
      const pushed = await within(push, 3000);
      expect(pushed).not.toBe('timeout');
      expect(pushed !== 'timeout' && pushed.v.status).toBe(200);

      // B's head is not held back by A's open mark: B's pull sees B's new row now
      const pull = within(readerB.pull(cursorB), 3000);
      const page = await pull;
      expect(page).not.toBe('timeout');
      const during = parse((page as { v: { status: number; body: unknown } }).v);
      expect(during.patch.activities.map((a) => a.id)).toContain(activityId);
      cursorB = during.cursor;

      // A's own pull still answers at once, but stops below A's open writer
      const duringA = parse(await readerA.pull(cursorA));
      expect(duringA.patch.notes.map((n) => n.id)).not.toContain(writer.noteId);
    } finally {
      writer.release();
      await writer.done;
    }
    const afterA = parse(await readerA.pull(cursorA));
    expect(afterA.patch.notes.map((n) => n.id)).toContain(writer.noteId);
    const afterB = parse(await readerB.pull(cursorB));
    expect(afterB.patch.notes.map((n) => n.id)).not.toContain(writer.noteId);
  });

  it("org A's writers still wait for each other, and A's pushes wait for A's writer", async () => {
    const orgA = s.seed!.orgId;
    const agentA = s.seed!.users.agente1;
    const [accA] = await accountsOf(s.db, agentA);
    const writer = openWriter(s, orgA, accA!.id, agentA);
    await writer.written;
    const second = writeTransaction(s.db, orgA, async (tx) => tx.query('SELECT 1'));
    const pusherA = await SyncClient.login(s, 'agente1', 'agente123');
    const push = pusherA.push(
      pusherA.make(['activity.log', { id: randomUUID(), accountId: accA!.id, channel: 'call', disposition: 'busy', startedAt: now() }]),
    );
    try {
      expect(await within(second, 400)).toBe('timeout');
      expect(await within(push, 100)).toBe('timeout');
    } finally {
      writer.release();
      await writer.done;
    }
    await second;
    expect((await push).status).toBe(200);
  });
});
