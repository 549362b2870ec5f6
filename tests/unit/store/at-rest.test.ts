import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyKey } from '../../../src/main/store/cipher';
import { LocalStore } from '../../../src/main/store/store';
import { account, AGENT, debtor, page, phone, portfolio, tempStores } from './fixtures';

const { tmpFile } = tempStores('store-at-rest-');
const NOW = () => new Date('2026-11-25T15:00:00Z');

function filesOf(file: string): Buffer[] {
  return ['', '-wal', '-shm'].filter((s) => existsSync(file + s)).map((s) => readFileSync(file + s));
}

function note(accountId: string, body: string) {
  return { name: 'note.add' as const, args: { id: randomUUID(), accountId, body, createdAt: '2026-11-25T14:00:00Z' } };
}

describe('encryption at rest', () => {
  it('leaves no debtor name and no SQLite header on disk, in the database or its WAL', () => {
    const file = tmpFile();
    const key = randomBytes(32);
    const s = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
    const d = debtor({ name: 'Zacarías Quiñones', nationalId: '7788990011' });
    const a = account(d);
    s.applyPull(page({ debtors: [d], accounts: [a], contactPoints: [phone(d, '+573001234567')] }));
    s.write([note(a.id, 'promete pagar el viernes')]);
    // while open: the WAL holds the writes
    for (const buf of filesOf(file)) {
      expect(buf.includes('Zacarías')).toBe(false);
      expect(buf.includes('7788990011')).toBe(false);
      expect(buf.includes('promete pagar')).toBe(false);
    }
    s.close();
    const disk = readFileSync(file);
    expect(disk.length).toBeGreaterThan(4096);
    expect(disk.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(disk.includes('Zacarías')).toBe(false);
    expect(disk.includes('Quiñones')).toBe(false);

    const again = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
    expect(again.getDebtor(d.id)?.name).toBe('Zacarías Quiñones');
    expect(again.pendingCount()).toBe(1);
    again.close();
  });

  it('a wrong key does not open the file: SQLite reads it as not a database, and the store keeps the file aside untouched', () => {
    const file = tmpFile();
    const key = randomBytes(32);
    const s = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
    const d = debtor();
    s.applyPull(page({ debtors: [d], accounts: [account(d)] }));
    s.close();
    const before = readFileSync(file);

    const raw = new Database(file);
    applyKey(raw, randomBytes(32));
    expect(() => raw.prepare('SELECT count(*) FROM debtors').get()).toThrow(/not a database/);
    raw.close();
    // without any key it is refused outright
    expect(() => LocalStore.open(file, { agentId: AGENT })).toThrow(/encrypted/);

    const wrong = LocalStore.open(file, { agentId: AGENT, key: randomBytes(32), now: NOW });
    expect(wrong.recovered).not.toBeNull();
    expect(wrong.getDebtor(d.id)).toBeNull();
    wrong.close();
    // the real file, moved aside, is byte for byte what it was and opens with its key
    expect(readFileSync(wrong.recovered!.quarantinedAs).equals(before)).toBe(true);
    const right = LocalStore.open(wrong.recovered!.quarantinedAs, { agentId: AGENT, key, now: NOW });
    expect(right.getDebtor(d.id)?.id).toBe(d.id);
    right.close();
  });

  it('encrypts a plaintext store from an older version in place, keeping its data and outbox', () => {
    const file = tmpFile();
    const plain = LocalStore.open(file, { agentId: AGENT, now: NOW });
    const [p] = portfolio(300);
    plain.applyPull(page(p!));
    const a = p!.accounts[0]!;
    const { mutationIds } = plain.write([note(a.id, 'antes de cifrar')]);
    const clientId = plain.clientId;
    plain.close();
    expect(readFileSync(file).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');

    const key = randomBytes(32);
    const s = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
    expect(s.recovered).toBeNull();
    expect(s.clientId).toBe(clientId);
    expect(s.pendingMutations(10).map((m) => m.id)).toEqual(mutationIds);
    expect(s.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(300);
    expect(s.getDebtor(p!.debtors[0]!.id)?.name).toBe(p!.debtors[0]!.name);
    s.close();
    const disk = readFileSync(file);
    expect(disk.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(disk.includes(p!.debtors[0]!.name)).toBe(false);
  });
});

describe('a corrupted store', () => {
  /** Overwrites `pages` pages in the middle of the file with garbage. */
  function corruptMiddle(file: string, pages = 8): void {
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    const start = Math.floor(size / 2 / 4096) * 4096;
    for (let i = 0; i < pages; i++) writeSync(fd, randomBytes(4096), 0, 4096, start + i * 4096);
    closeSync(fd);
  }

  for (const encrypted of [true, false]) {
    it(`is quarantined at open and replaced by an empty store holding its readable outbox under the same ids (${encrypted ? 'encrypted' : 'plaintext'})`, () => {
      const file = tmpFile();
      const key = encrypted ? randomBytes(32) : undefined;
      const s = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
      for (const p of portfolio(3000, 1000)) s.applyPull(page(p));
      while (s.buildPendingIndex() > 0) {
        /* all indexes */
      }
      const accountId = s.listQueue({ limit: 1 }).rows[0]!.accountId;
      const ids = [...s.write([note(accountId, 'uno')]).mutationIds, ...s.write([note(accountId, 'dos')]).mutationIds];
      const clientId = s.clientId;
      s.close();
      expect(statSync(file).size).toBeGreaterThan(100 * 4096);
      corruptMiddle(file);

      const r = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
      try {
        expect(r.recovered).not.toBeNull();
        // the bad file sits beside the new one, named with the time
        expect(r.recovered!.quarantinedAs).toBe(`${file}.corrupt-2026-11-25T15-00-00-000Z`);
        expect(readdirSync(dirname(file))).toContain('store.sqlite.corrupt-2026-11-25T15-00-00-000Z');
        // what exists nowhere else survives: the outbox, with its ids and the client id the server knows them by
        expect(r.clientId).toBe(clientId);
        expect(r.pendingMutations(10).map((m) => [m.id, (m.args as { body: string }).body])).toEqual([
          [ids[0], 'uno'],
          [ids[1], 'dos'],
        ]);
        // the rest comes back with a full pull
        expect(r.cursor).toBeNull();
        expect(r.listQueue({ limit: 10 }).rows).toEqual([]);
        // new writes never reuse an id the old store handed out
        expect(r.write([note(accountId, 'tres')]).mutationIds[0]).toBeGreaterThan(ids[1]!);
      } finally {
        r.close();
      }
      // and the next open is an ordinary one
      const again = LocalStore.open(file, { agentId: AGENT, key, now: NOW });
      expect(again.recovered).toBeNull();
      expect(again.pendingCount()).toBe(3);
      again.close();
    });
  }

  it('in a large file, damage the open does not check is marked by the first read that meets it, and the next open quarantines', () => {
    const file = tmpFile();
    const key = randomBytes(32);
    // checked whole only up to 0 bytes: every open here checks just the outbox and meta, as for a large store
    const opts = { agentId: AGENT, key, now: NOW, fullCheckMaxBytes: 0 };
    const s = LocalStore.open(file, opts);
    for (const p of portfolio(3000, 1000)) s.applyPull(page(p));
    while (s.buildPendingIndex() > 0) {
      /* all indexes */
    }
    const accountIds = s.db.prepare('SELECT id FROM accounts').pluck().all() as string[];
    const { mutationIds } = s.write([note(accountIds[0]!, 'guardada')]);
    s.close();
    corruptMiddle(file);

    const damaged = LocalStore.open(file, opts);
    expect(damaged.recovered).toBeNull();
    expect(() => {
      for (const id of accountIds) damaged.getAccount(id);
      damaged.listQueue({ search: 'Gómez', limit: 200 });
    }).toThrow();
    expect(existsSync(`${file}.check`)).toBe(true);
    damaged.close();

    const r = LocalStore.open(file, opts);
    expect(r.recovered).not.toBeNull();
    expect(r.pendingMutations(10).map((m) => m.id)).toEqual(mutationIds);
    expect(existsSync(`${file}.check`)).toBe(false);
    r.close();
  });
});
