import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidWriteError, LocalStore } from '../../../src/main/store/store';
import { account, AGENT, debtor, page, phone } from './fixtures';

const dirs: string[] = [];
const stores: LocalStore[] = [];
function tmpFile(): string {
  const d = mkdtempSync(join(tmpdir(), 'store-'));
  dirs.push(d);
  return join(d, 'store.sqlite');
}
function open(file = tmpFile(), now = () => new Date('2026-11-25T15:00:00Z')): LocalStore {
  const s = LocalStore.open(file, { agentId: AGENT, now });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function seeded(s: LocalStore) {
  const d = debtor({ name: 'José Peña Núñez', nationalId: '79.555.123' });
  const a = account(d, { dueDate: '2026-11-15' });
  const p = phone(d, '+573001234567');
  s.applyPull(page({ debtors: [d], accounts: [a], contactPoints: [p] }));
  return { d, a, p };
}

function note(accountId: string, body = 'hola') {
  return { name: 'note.add' as const, args: { id: randomUUID(), accountId, body, createdAt: new Date().toISOString() } };
}

describe('outbox', () => {
  it('assigns increasing mutation ids in write order and keeps them across close and reopen', () => {
    const file = tmpFile();
    const s = open(file);
    const { a } = seeded(s);
    const ids = [1, 2, 3].map((i) => s.write([note(a.id, `n${i}`)]).mutationIds[0]);
    expect(ids).toEqual([1, 2, 3]);
    const clientId = s.clientId;
    s.close();
    const again = open(file);
    const pending = again.pendingMutations(10);
    expect(pending.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(pending.map((m) => (m.args as { body: string }).body)).toEqual(['n1', 'n2', 'n3']);
    expect(again.clientId).toBe(clientId);
  });

  it('the store file (session token, SIP password) is readable by its user only', () => {
    const file = tmpFile();
    open(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('commits without waiting for the disk, and durable() resolves once the WAL is synced', async () => {
    const file = tmpFile();
    const s = open(file);
    const d = debtor();
    const a = account(d);
    s.applyPull(page({ debtors: [d], accounts: [a] }));
    expect(s.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL: no fsync inside the commit
    for (let i = 0; i < 20; i++)
      s.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body: `n${i}`, createdAt: '2026-11-25T15:00:00Z' } }]);
    let synced = false;
    const done = s.durable().then(() => {
      synced = true;
    });
    expect(synced).toBe(false); // the fsync runs on the thread pool, after write() returned
    await done;
    // committed to the WAL at once: another connection (another process after a kill -9) reads all 20
    const other = LocalStore.open(file, { agentId: AGENT });
    try {
      expect(other.pendingCount()).toBe(20);
    } finally {
      other.close();
    }
    await s.durable(); // nothing in flight: resolves at once
  });

  it('checkpoints the WAL once writes pause, never inside an outcome write', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const file = tmpFile();
      const s = open(file);
      const d = debtor();
      const a = account(d);
      s.applyPull(page({ debtors: [d], accounts: [a] }));
      vi.advanceTimersByTime(5_000);
      expect(s.db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(1000);
      // what the database file alone holds (a copy without its WAL): only checkpointed pages
      const notesInFile = () => {
        const copy = `${file}.copy`;
        copyFileSync(file, copy);
        const db = new Database(copy, { readonly: true });
        try {
          return db.prepare('SELECT count(*) FROM notes').pluck().get();
        } finally {
          db.close();
          rmSync(copy);
        }
      };
      for (let i = 0; i < 30; i++) {
        s.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body: `n${i}`, createdAt: '2026-11-25T15:00:00Z' } }]);
        vi.advanceTimersByTime(500); // an agent typing fast: never two quiet seconds
      }
      expect(notesInFile()).toBe(0);
      vi.advanceTimersByTime(2_000);
      expect(notesInFile()).toBe(30);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never reuses an id after the outbox is trimmed empty', () => {
    const s = open();
    const { a } = seeded(s);
    s.write([note(a.id)]);
    s.write([note(a.id)]);
    s.acknowledge(2, []);
    expect(s.pendingCount()).toBe(0);
    expect(s.write([note(a.id)]).mutationIds).toEqual([3]);
  });

  it('a rejected mutation leaves pending and stays visible', () => {
    const s = open();
    const { a } = seeded(s);
    s.write([note(a.id, 'one')]);
    s.write([note(a.id, 'two')]);
    s.acknowledge(2, [
      { id: 1, status: 'rejected', error: { code: 'forbidden', message: 'no rights' } },
      { id: 2, status: 'applied' },
    ]);
    expect(s.pendingCount()).toBe(0);
    expect(s.rejected()).toMatchObject([{ mutationId: 1, name: 'note.add', code: 'forbidden', message: 'no rights' }]);
  });

  it('a local write is atomic: an invalid mutation in a batch applies nothing and queues nothing', () => {
    const s = open();
    const { a } = seeded(s);
    expect(() =>
      s.write([note(a.id, 'ok'), { name: 'note.add', args: { id: 'not-a-uuid', accountId: a.id, body: 'x', createdAt: 'now' } }]),
    ).toThrow(InvalidWriteError);
    expect(s.pendingCount()).toBe(0);
    expect(s.getAccount(a.id)!.notes).toHaveLength(0);
  });

  it('a failure inside the transaction rolls back both the local tables and the outbox', () => {
    const s = open();
    const { a } = seeded(s);
    s.db.exec(`CREATE TRIGGER boom BEFORE INSERT ON notes WHEN NEW.body = 'explode' BEGIN SELECT RAISE(ABORT, 'boom'); END`);
    const cb = { name: 'account.setCallback' as const, args: { accountId: a.id, callbackAt: '2026-11-26T15:00:00.000Z', note: null } };
    expect(() => s.write([cb, note(a.id, 'explode')])).toThrow(/boom/);
    expect(s.pendingCount()).toBe(0);
    expect(s.getAccountRow(a.id)!.callbackAt).toBeNull();
  });

  it('the field at fault is named', () => {
    const s = open();
    const { a } = seeded(s);
    try {
      s.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body: '', createdAt: new Date().toISOString() } }]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidWriteError);
      expect((e as InvalidWriteError).field).toBe('body');
    }
  });
});

describe('pull and rebase', () => {
  it('server rows overwrite local ones, pending edits are re-applied on top', () => {
    const s = open();
    const { d, a } = seeded(s);
    s.write([{ name: 'account.setCallback', args: { accountId: a.id, callbackAt: '2026-11-27T15:00:00.000Z', note: 'llamar' } }]);
    // the server has not seen the callback yet but changed the balance
    s.applyPull(page({ accounts: [{ ...a, balanceMinor: 123, version: '2' }], debtors: [d] }, { lastMutationId: 0 }));
    const row = s.getAccountRow(a.id)!;
    expect(row.balanceMinor).toBe(123);
    expect(row.callbackAt).toBe('2026-11-27T15:00:00.000Z');
    expect(row.callbackNote).toBe('llamar');
    expect(s.pendingCount()).toBe(1);
  });

  it('once the server has processed the mutation, the outbox is trimmed and the server value stands', () => {
    const s = open();
    const { a } = seeded(s);
    s.write([{ name: 'account.setCallback', args: { accountId: a.id, callbackAt: '2026-11-27T15:00:00.000Z', note: null } }]);
    s.applyPull(page({ accounts: [{ ...a, callbackAt: null, version: '3' }] }, { lastMutationId: 1 }));
    expect(s.pendingCount()).toBe(0);
    expect(s.getAccountRow(a.id)!.callbackAt).toBeNull();
  });

  it('an unsynced activity survives a pull and a reset, and the server copy replaces it once it arrives', () => {
    const s = open();
    const { a } = seeded(s);
    const id = randomUUID();
    s.write([
      {
        name: 'activity.log',
        args: { id, accountId: a.id, channel: 'call', disposition: 'no_answer', startedAt: '2026-11-25T14:00:00.000Z' },
      },
    ]);
    s.applyPull(page({ accounts: [a] }));
    expect(s.getAccount(a.id)!.activities.map((x) => x.id)).toEqual([id]);
    expect(s.getAccount(a.id)!.pendingActivityIds).toEqual([id]);
    s.applyPull(page({ accounts: [a], debtors: [s.getDebtor(a.debtorId)!] }, { reset: true }));
    expect(s.getAccount(a.id)!.activities.map((x) => x.id)).toEqual([id]);
    const server = { ...s.getAccount(a.id)!.activities[0]!, recordedAt: '2026-11-25T14:00:01.000Z', version: '9' };
    s.applyPull(page({ activities: [server] }, { lastMutationId: 1 }));
    const detail = s.getAccount(a.id)!;
    expect(detail.activities).toHaveLength(1);
    expect(detail.activities[0]!.recordedAt).toBe('2026-11-25T14:00:01.000Z');
    expect(detail.pendingActivityIds).toEqual([]);
  });

  it('a removed account leaves the store with its facts and orphaned debtor', () => {
    const s = open();
    const { d, a } = seeded(s);
    s.write([note(a.id)]);
    s.applyPull(page({ removedAccountIds: [a.id] }));
    expect(s.getAccount(a.id)).toBeNull();
    expect(s.getDebtor(d.id)).toBeNull();
    expect(s.listQueue({}).total).toBe(0);
    // the unsent note is still queued for the server to judge
    expect(s.pendingCount()).toBe(1);
  });

  it('the cursor advances with the page', () => {
    const s = open();
    s.applyPull(page({}, { cursor: 'c-42' }));
    expect(s.cursor).toBe('c-42');
  });

  it('set-once outcome: fills an empty disposition, never overwrites one', () => {
    const s = open();
    const { a } = seeded(s);
    const id = randomUUID();
    s.write([
      { name: 'activity.log', args: { id, accountId: a.id, channel: 'call', disposition: null, startedAt: '2026-11-25T14:00:00.000Z' } },
    ]);
    s.write([{ name: 'activity.setOutcome', args: { activityId: id, disposition: 'rpc', note: 'habló' } }]);
    s.write([{ name: 'activity.setOutcome', args: { activityId: id, disposition: 'no_answer' } }]);
    expect(s.getActivity(id)).toMatchObject({ disposition: 'rpc', note: 'habló' });
  });
});

describe('queue', () => {
  function build(s: LocalStore) {
    const mk = (
      name: string,
      nationalId: string,
      tel: string,
      over: Parameters<typeof account>[1] = {},
      segment: 'low' | 'medium' | 'high' = 'medium',
    ) => {
      const d = debtor({ name, nationalId, segment });
      const a = account(d, over);
      return { d, a, p: phone(d, tel) };
    };
    const rows = [
      mk('José Peña Núñez', '79555123', '+573001112233', { dueDate: '2026-11-20', balanceMinor: 300 }, 'high'),
      mk('MARIA MUÑOZ', '52111222', '+573104445566', { dueDate: '2026-08-01', balanceMinor: 900 }),
      mk('Andrés Pérez', '1020304050', '+525512345678', { dueDate: '2026-12-31', balanceMinor: 100 }, 'low'),
      mk('Lucía Díaz', '43000111', '+51987654321', { dueDate: '2026-10-20', balanceMinor: 500, status: 'dispute' }),
    ];
    s.applyPull(page({ debtors: rows.map((r) => r.d), accounts: rows.map((r) => r.a), contactPoints: rows.map((r) => r.p) }));
    return rows;
  }

  it('sorts by priority (callback due first, non-active last) and by the other columns', () => {
    const s = open();
    const [jose, maria, andres, lucia] = build(s);
    const names = (q: Parameters<LocalStore['listQueue']>[0]) => s.listQueue(q).rows.map((r) => r.debtorName);
    expect(names({})).toEqual([maria!.d.name, jose!.d.name, andres!.d.name, lucia!.d.name]);
    expect(names({ sort: 'balance', dir: 'asc' })).toEqual([andres!.d.name, jose!.d.name, lucia!.d.name, maria!.d.name]);
    expect(names({ sort: 'name', dir: 'asc' })).toEqual(['Andrés Pérez', 'José Peña Núñez', 'Lucía Díaz', 'MARIA MUÑOZ']);
    s.write([{ name: 'account.setCallback', args: { accountId: andres!.a.id, callbackAt: '2026-11-25T14:00:00.000Z', note: null } }]);
    const top = s.listQueue({}).rows[0]!;
    expect(top.debtorName).toBe('Andrés Pérez');
    expect(top.reason.code).toBe('callback_due');
  });

  it('derives dpd and bucket from the due date in the debtor time zone', () => {
    const s = open();
    build(s);
    const r = s.listQueue({ sort: 'dpd', dir: 'desc' }).rows;
    expect(r.map((x) => [x.debtorName, x.dpd, x.bucket])).toEqual([
      ['MARIA MUÑOZ', 116, '91-120'],
      ['Lucía Díaz', 36, '31-60'],
      ['José Peña Núñez', 5, '1-30'],
      ['Andrés Pérez', 0, 'current'],
    ]);
  });

  it('filters by bucket, segment and status, with totals', () => {
    const s = open();
    build(s);
    expect(s.listQueue({ bucket: '91-120' }).rows.map((r) => r.debtorName)).toEqual(['MARIA MUÑOZ']);
    expect(s.listQueue({ segment: 'low' }).rows.map((r) => r.debtorName)).toEqual(['Andrés Pérez']);
    expect(s.listQueue({ status: 'dispute' }).rows.map((r) => r.debtorName)).toEqual(['Lucía Díaz']);
    expect(s.listQueue({ segment: 'medium', status: 'active' }).total).toBe(1);
    expect(s.listQueue({ limit: 2 })).toMatchObject({ total: 4 });
    expect(s.listQueue({ limit: 2, offset: 2 }).rows).toHaveLength(2);
  });

  it('searches names without regard to accents or case', () => {
    const s = open();
    build(s);
    const find = (search: string) => s.listQueue({ search }).rows.map((r) => r.debtorName);
    expect(find('pena nunez')).toEqual(['José Peña Núñez']);
    expect(find('PEÑA')).toEqual(['José Peña Núñez']);
    expect(find('muñoz')).toEqual(['MARIA MUÑOZ']);
    expect(find('maria munoz')).toEqual(['MARIA MUÑOZ']);
    expect(find('lucia')).toEqual(['Lucía Díaz']);
    expect(find('zz_%')).toEqual([]);
  });

  it('searches by national id and account reference', () => {
    const s = open();
    const [jose, maria] = build(s);
    expect(s.listQueue({ search: '52111222' }).rows.map((r) => r.accountId)).toEqual([maria!.a.id]);
    expect(s.listQueue({ search: jose!.a.externalRef.toLowerCase() }).rows.map((r) => r.accountId)).toEqual([jose!.a.id]);
  });

  it('searches phones by their last 7+ digits, whatever the formatting', () => {
    const s = open();
    const [jose, , andres] = build(s);
    expect(s.listQueue({ search: '1112233' }).rows.map((r) => r.accountId)).toEqual([jose!.a.id]);
    expect(s.listQueue({ search: '300 111 2233' }).rows.map((r) => r.accountId)).toEqual([jose!.a.id]);
    expect(s.listQueue({ search: '55 1234 5678' }).rows.map((r) => r.accountId)).toEqual([andres!.a.id]);
    expect(s.listQueue({ search: '999999999' }).rows).toEqual([]);
    expect(s.findAccountByPhone('+57 300 111 2233')).toEqual({ accountId: jose!.a.id, debtorName: jose!.d.name });
    expect(s.findAccountByPhone('3001112233')?.accountId).toBe(jose!.a.id);
    expect(s.findAccountByPhone('12345')).toBeNull();
  });

  it('shows the first valid phone in the row', () => {
    const s = open();
    const [jose] = build(s);
    expect(s.listQueue({ search: 'jose' }).rows[0]!.phone).toBe(jose!.p.value);
    s.write([{ name: 'contactPoint.flag', args: { contactPointId: jose!.p.id, invalid: true } }]);
    expect(s.listQueue({ search: 'jose' }).rows[0]!.phone).toBeNull();
  });
});

describe('priority recompute', () => {
  it('recomputes the account on each local change', () => {
    const s = open();
    const { a } = seeded(s);
    const before = s.listQueue({}).rows[0]!;
    expect(before.reason.code).toBe('risk');
    expect(s.listQueue({ status: 'hardship' }).total).toBe(0);
    s.write([{ name: 'account.setStatus', args: { accountId: a.id, status: 'hardship' } }]);
    const after = s.listQueue({}).rows[0]!;
    expect(after).toMatchObject({ status: 'hardship', reason: { code: 'status.hardship' } });
    expect(after.priority).toBeLessThan(before.priority);
    // the cached total follows the write
    expect(s.listQueue({ status: 'hardship' }).total).toBe(1);
    expect(s.listQueue({ status: 'active' }).total).toBe(0);
  });

  it("recomputes dpd when the debtor's day changes and when a callback falls due", () => {
    let now = new Date('2026-11-25T15:00:00Z');
    const s = open(tmpFile(), () => now);
    const { a } = seeded(s);
    s.refreshForTime();
    s.write([{ name: 'account.setCallback', args: { accountId: a.id, callbackAt: '2026-11-26T16:00:00.000Z', note: null } }]);
    expect(s.listQueue({}).rows[0]).toMatchObject({ dpd: 10, reason: { code: 'callback_scheduled' } });
    // 04:59 UTC on the 26th is still the 25th in Bogotá (UTC-5)
    now = new Date('2026-11-26T04:59:00Z');
    expect(s.refreshForTime()).toEqual([]);
    now = new Date('2026-11-26T05:00:00Z');
    expect(s.refreshForTime()).toEqual([a.id]);
    expect(s.listQueue({}).rows[0]).toMatchObject({ dpd: 11, reason: { code: 'callback_today' } });
    now = new Date('2026-11-26T16:00:00Z');
    expect(s.refreshForTime()).toEqual([a.id]);
    expect(s.listQueue({}).rows[0]!.reason.code).toBe('callback_due');
    expect(s.refreshForTime()).toEqual([]);
  });
});

describe('recently contacted', () => {
  it('an attempt sinks the account, and it comes back once the quiet period is over', () => {
    let now = new Date('2026-11-25T15:00:00Z');
    const s = open(tmpFile(), () => now);
    const { a } = seeded(s);
    s.refreshForTime();
    s.write([
      {
        name: 'activity.log',
        args: { id: randomUUID(), accountId: a.id, channel: 'call', disposition: 'no_answer', startedAt: now.toISOString() },
      },
    ]);
    expect(s.listQueue({}).rows[0]!.reason.code).toBe('recently_contacted');
    now = new Date('2026-11-25T20:00:00Z');
    expect(s.refreshForTime()).toEqual([]);
    now = new Date('2026-11-26T15:00:01Z');
    expect(s.refreshForTime()).toContain(a.id);
    expect(s.listQueue({}).rows[0]!.reason.code).toBe('risk');
  });
});

describe('compliance history', () => {
  it('includes unsynced attempts on every account of the debtor, with the agent who made them', () => {
    const s = open();
    const { d, a } = seeded(s);
    const b = account(d);
    s.applyPull(page({ accounts: [b] }));
    s.write([
      {
        name: 'activity.log',
        args: { id: randomUUID(), accountId: a.id, channel: 'call', disposition: 'rpc', startedAt: '2026-11-25T14:00:00.000Z' },
      },
    ]);
    s.write([
      {
        name: 'activity.log',
        args: { id: randomUUID(), accountId: b.id, channel: 'sms', disposition: 'message_sent', startedAt: '2026-11-25T14:05:00.000Z' },
      },
    ]);
    expect(s.attemptsOnDebtor(d.id)).toEqual([
      {
        accountId: a.id,
        agentId: AGENT,
        debtorId: d.id,
        channel: 'call',
        direction: 'outbound',
        at: '2026-11-25T14:00:00.000Z',
        conversation: true,
      },
      {
        accountId: b.id,
        agentId: AGENT,
        debtorId: d.id,
        channel: 'sms',
        direction: 'outbound',
        at: '2026-11-25T14:05:00.000Z',
        conversation: false,
      },
    ]);
  });
});
