import type Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Encryption at rest (SQLite3 Multiple Ciphers, in SQLCipher 4's format, so support staff can
 * open a store with SQLCipher tools given its key). The key is 32 random bytes per store kept in
 * the secret vault and handed over raw (x'…'): no passphrase, so no key derivation at each open.
 * Every page of the database and of its WAL is encrypted and authenticated (HMAC): a wrong key
 * or a tampered page reads as "file is not a database".
 */
export const KEY_BYTES = 32;

export function applyKey(db: Database.Database, key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new Error(`a store key is ${KEY_BYTES} bytes`);
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Whether the file is an unencrypted SQLite database (a store written before encryption). */
export function isPlaintextDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PLAIN_HEADER);
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypts a plaintext store in place: its WAL is folded in first (rekey works on the rollback
 * journal), then every page is rewritten encrypted in one transaction, so a crash halfway
 * leaves the plaintext file as it was and the next open tries again.
 */
export function encryptInPlace(db: Database.Database, key: Buffer): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.pragma(`cipher = 'sqlcipher'`);
  db.pragma('legacy = 4');
  db.pragma(`rekey = "x'${key.toString('hex')}'"`);
}
