import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { secretKeys, type SecretVault } from '../secrets/vault';
import { removeFile } from './files';
import { currentSessionFile, deviceMarkFile, secretScope, storeFile } from './paths';

/**
 * Erases one signed-in user's traces on this workstation (an administrator's wipe order, or a
 * logout where the organisation says so): the store with its -wal/-shm files and any quarantined
 * copy (`<store>.corrupt-*`), the current-session file, and every vault entry of that store. The
 * caller has closed the store first.
 */
export function eraseUserData(dataDir: string, vault: SecretVault, serverUrl: string, userId: string): void {
  const file = storeFile(dataDir, serverUrl, userId);
  const dir = dirname(file);
  const name = basename(file);
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    entries = [];
  }
  for (const e of entries) if (e.startsWith(name)) rmSync(`${dir}/${e}`, { force: true, recursive: true });
  removeFile(currentSessionFile(dataDir));
  // the device mark names the erased store (docs/field-collection.md): a new store starts its own
  removeFile(deviceMarkFile(dataDir, serverUrl, userId));
  const scope = secretScope(serverUrl, userId);
  for (const key of Object.values(secretKeys)) vault.delete(key(scope));
}
