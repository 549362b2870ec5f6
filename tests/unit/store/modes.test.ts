import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePrivateDataDir, writePrivateJson } from '../../../src/main/services/files';
import { currentSessionFile, secretsFile, settingsFile, storeFile } from '../../../src/main/services/paths';
import { UserContext } from '../../../src/main/services/user-context';
import { AGENT, ORG, account, debtor, page } from './fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SERVER = 'https://cobranza.example.com';
const user = { id: AGENT, orgId: ORG, teamId: null, username: 'ana', displayName: 'Ana', role: 'agent' as const, disabled: false };
const mode = (p: string) => statSync(p).mode & 0o777;

describe('owner-only modes', () => {
  it('every folder and file the workstation makes is 0700 / 0600, the data folder too when made by someone else', async () => {
    const root = mkdtempSync(join(tmpdir(), 'modes-'));
    dirs.push(root);
    const dataDir = join(root, 'Cobranza');
    // as Electron leaves userData: made with the default umask
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    ensurePrivateDataDir(dataDir);
    writePrivateJson(settingsFile(dataDir), { serverUrl: SERVER, locale: 'es' });
    writePrivateJson(currentSessionFile(dataDir), { serverUrl: SERVER, userId: AGENT });
    const c = new UserContext({ dataDir, onState: () => {}, onDataChanged: () => {} }, SERVER, user, 'token-123');
    try {
      const d = debtor();
      const a = account(d);
      c.store.applyPull(page({ debtors: [d], accounts: [a] }));
      c.store.write([{ name: 'note.add', args: { id: randomUUID(), accountId: a.id, body: 'hola', createdAt: '2026-11-25T14:00:00Z' } }]);
      c.setSip({ settings: null, password: 'sip' });
      const file = storeFile(dataDir, SERVER, AGENT);
      // the store and its WAL and shared-memory files exist while it is open
      expect(existsSync(`${file}-wal`)).toBe(true);
      expect(existsSync(`${file}-shm`)).toBe(true);
      for (const f of [file, `${file}-wal`, `${file}-shm`, secretsFile(dataDir), settingsFile(dataDir), currentSessionFile(dataDir)]) {
        expect([f, mode(f)]).toEqual([f, 0o600]);
      }
      for (const dir of [dataDir, dirname(dirname(file)), dirname(file)]) expect([dir, mode(dir)]).toEqual([dir, 0o700]);
      // nothing else lies around with wider modes
      const walk = (p: string): string[] => (statSync(p).isDirectory() ? [p, ...readdirSync(p).flatMap((n) => walk(join(p, n)))] : [p]);
      for (const p of walk(dataDir)) expect([p, mode(p)]).toEqual([p, statSync(p).isDirectory() ? 0o700 : 0o600]);
    } finally {
      await c.close();
    }
  });
});
