import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Where the workstation keeps its secrets — the session's bearer token, the SIP password and
 * each local store's encryption key — apart from the data they unlock. Synchronous, because
 * opening a store needs its key before anything else runs, and the OS keychain (Electron's
 * safeStorage) answers synchronously too.
 */
export interface SecretVault {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** The names of the secrets, per signed-in store (its server hash and user id: see paths.storeFile). */
export const secretKeys = {
  token: (scope: string) => `token:${scope}`,
  sipPassword: (scope: string) => `sipPassword:${scope}`,
  storeKey: (scope: string) => `storeKey:${scope}`,
};

/** Keeps secrets for the life of the process only (tests; a host that must leave nothing on disk). */
export function createMemoryVault(): SecretVault {
  const m = new Map<string, string>();
  return {
    get: (k) => m.get(k) ?? null,
    set: (k, v) => {
      m.set(k, v);
    },
    delete: (k) => {
      m.delete(k);
    },
  };
}

/** Turns a secret into what may sit on disk and back (Electron: safeStorage, the OS keychain's key). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VaultFile = z.object({ v: z.literal(1), entries: z.record(z.string(), z.string()) });

/**
 * Secrets in one JSON file readable by this user alone (0600, in a 0700 folder), written to a
 * temp file, fsync'd and renamed so a crash never leaves half of it. With a sealer each value is
 * stored sealed ('s:' + sealed text); without one ('p:') the file's mode is the only protection,
 * which is what the web host has. A plain value found by a vault with a sealer is sealed on the
 * next write. The file is read at every call: it is tiny, read rarely, and several vaults on the
 * same file (a peek while a store is open) then never disagree.
 */
export function createFileVault(file: string, sealer?: Sealer): SecretVault {
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      const r = VaultFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      return r.success ? r.data.entries : {};
    } catch {
      return {};
    }
  };
  const write = (entries: Record<string, string>) => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ v: 1, entries }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, file);
  };
  const encode = (v: string) => (sealer ? `s:${sealer.seal(v)}` : `p:${v}`);
  const decode = (raw: string): string | null => {
    if (raw.startsWith('p:')) return raw.slice(2);
    if (raw.startsWith('s:') && sealer) {
      try {
        return sealer.open(raw.slice(2));
      } catch {
        return null;
      }
    }
    // sealed by a keychain this process cannot use: as good as absent
    return null;
  };
  return {
    get(key) {
      const raw = read()[key];
      return raw === undefined ? null : decode(raw);
    },
    set(key, value) {
      const entries = read();
      entries[key] = encode(value);
      write(entries);
    },
    delete(key) {
      const entries = read();
      if (!(key in entries)) return;
      delete entries[key];
      write(entries);
    },
  };
}
