import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileVault, createMemoryVault, secretKeys } from '../../../src/main/secrets/vault';
import { secretScope, storeFile } from '../../../src/main/services/paths';
import { UserContext } from '../../../src/main/services/user-context';
import { LocalStore } from '../../../src/main/store/store';
import { AGENT, ORG } from './fixtures';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vault-'));
  dirs.push(d);
  return d;
}

const SERVER = 'https://cobranza.example.com';
const user = { id: AGENT, orgId: ORG, teamId: null, username: 'ana', displayName: 'Ana', role: 'agent' as const, disabled: false };

describe('secret vault', () => {
  it('a file vault keeps secrets in a file only the user can read, sealed when it has a sealer', () => {
    const dir = tempDir();
    const file = join(dir, 'secrets', 'secrets.json');
    const sealer = {
      seal: (s: string) => Buffer.from(s).toString('base64').split('').reverse().join(''),
      open: (s: string) => Buffer.from(s.split('').reverse().join(''), 'base64').toString(),
    };
    const v = createFileVault(file, sealer);
    v.set('token:x', 'bearer-secret-123');
    expect(v.get('token:x')).toBe('bearer-secret-123');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets')).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toContain('bearer-secret-123');
    // another vault on the same file sees it; without the sealer it cannot open it
    expect(createFileVault(file, sealer).get('token:x')).toBe('bearer-secret-123');
    expect(createFileVault(file).get('token:x')).toBeNull();
    v.delete('token:x');
    expect(v.get('token:x')).toBeNull();
  });

  it('moves a token and SIP password kept in meta by an older version into the vault, and out of meta', () => {
    const dir = tempDir();
    const file = storeFile(dir, SERVER, AGENT);
    // a store as the older version left it: secrets as JSON in meta
    const old = LocalStore.open(file, { agentId: AGENT });
    old.setMeta('session', JSON.stringify({ token: 'old-bearer-token', user, serverUrl: SERVER }));
    old.setMeta('sip', JSON.stringify({ settings: null, password: 'sip-pass-987' }));
    old.close();

    const vault = createMemoryVault();
    const session = UserContext.peek(dir, SERVER, AGENT, vault);
    expect(session?.token).toBe('old-bearer-token');
    const scope = secretScope(SERVER, AGENT);
    expect(vault.get(secretKeys.token(scope))).toBe('old-bearer-token');
    expect(vault.get(secretKeys.sipPassword(scope))).toBe('sip-pass-987');

    // the plaintext store was encrypted in place on the way, with a key kept in the vault only
    const onDisk = readFileSync(file);
    expect(onDisk.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
    expect(onDisk.includes('old-bearer-token')).toBe(false);
    const key = Buffer.from(vault.get(secretKeys.storeKey(scope))!, 'hex');
    const after = LocalStore.open(file, { agentId: AGENT, key });
    try {
      expect(after.getMeta('session')).not.toContain('old-bearer-token');
      expect(JSON.parse(after.getMeta('session')!).user.id).toBe(AGENT);
      expect(after.getMeta('sip')).not.toContain('sip-pass-987');
    } finally {
      after.close();
    }
  });

  it('a signed-in context writes its token and SIP password to the vault only', async () => {
    const dir = tempDir();
    const vault = createMemoryVault();
    const c = new UserContext({ dataDir: dir, vault, onState: () => {}, onDataChanged: () => {} }, SERVER, user, 'fresh-token');
    try {
      c.setSip({ settings: null, password: 'sip-secret' });
      expect(c.session.token).toBe('fresh-token');
      expect(c.sip().password).toBe('sip-secret');
      expect(c.store.getMeta('session')).not.toContain('fresh-token');
      expect(c.store.getMeta('sip')).not.toContain('sip-secret');
      c.setToken(null);
      expect(vault.get(secretKeys.token(secretScope(SERVER, AGENT)))).toBeNull();
    } finally {
      await c.close();
    }
  });
});
