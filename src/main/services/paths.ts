import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Where things live under the app's data directory. */
export function settingsFile(dataDir: string): string {
  return join(dataDir, 'settings.json');
}
export function currentSessionFile(dataDir: string): string {
  return join(dataDir, 'session.json');
}

export function normalizeServerUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/**
 * One store per server + user: another agent signing in on the same laptop gets their own
 * file and never sees the first agent's data or outbox.
 */
export function storeFile(dataDir: string, serverUrl: string, userId: string): string {
  const server = createHash('sha256').update(normalizeServerUrl(serverUrl)).digest('hex').slice(0, 16);
  return join(dataDir, 'stores', server, `${userId}.sqlite`);
}

/** The vault file of the hosts without an OS keychain (see secrets/vault.ts). */
export function secretsFile(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

/** Names one signed-in store's secrets in the vault: the same server + user as storeFile. */
export function secretScope(serverUrl: string, userId: string): string {
  const server = createHash('sha256').update(normalizeServerUrl(serverUrl)).digest('hex').slice(0, 16);
  return `${server}/${userId}`;
}

/**
 * A user's device mark (src/main/field/mark.ts: the highest receipt number and mutation id it used),
 * kept OUTSIDE the stores directory, so a store file copied back from a backup cannot reuse either.
 */
export function deviceMarkFile(dataDir: string, serverUrl: string, userId: string): string {
  const server = createHash('sha256').update(normalizeServerUrl(serverUrl)).digest('hex').slice(0, 16);
  return join(dataDir, 'device-marks', server, `${userId}.json`);
}
