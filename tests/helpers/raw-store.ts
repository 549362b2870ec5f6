import Database from 'better-sqlite3-multiple-ciphers';
import { secretScope, secretsFile, storeFile } from '../../src/main/services/paths';
import { createFileVault, secretKeys } from '../../src/main/secrets/vault';
import { applyKey } from '../../src/main/store/cipher';

/**
 * A workstation's store opened directly, as tests and benches inspect or tamper with it: the
 * store is encrypted, its key in the data folder's vault file (the default vault off Electron).
 */
export function openRawStore(dataDir: string, serverUrl: string, userId: string, options?: Database.Options): Database.Database {
  const db = new Database(storeFile(dataDir, serverUrl, userId), options);
  const hex = createFileVault(secretsFile(dataDir)).get(secretKeys.storeKey(secretScope(serverUrl, userId)));
  if (hex) applyKey(db, Buffer.from(hex, 'hex'));
  return db;
}
