import { safeStorage } from 'electron';
import { createFileVault, type SecretVault } from '../secrets/vault';

/**
 * The desktop app's vault: secrets sealed with the OS keychain's key through Electron's
 * safeStorage (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux), in a 0600
 * file. Where no keychain is available (safeStorage would only obfuscate), the file's mode is
 * the protection, as on the web host. Call after app 'ready'.
 */
export function createSafeStorageVault(file: string): SecretVault {
  const usable =
    safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text');
  if (!usable) return createFileVault(file);
  return createFileVault(file, {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  });
}
