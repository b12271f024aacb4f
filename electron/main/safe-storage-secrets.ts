import type { SafeStorage } from 'electron';
import { memorySecretStore, type SecretStore } from '../core/settings/secret-store';

/** The part of Electron's safeStorage the station uses; tests hand in a fake. */
export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString'
> & {
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

/**
 * Credentials sealed with the OS keyring through Electron's safeStorage (Keychain, DPAPI, libsecret
 * or KWallet). On a Linux desktop without a keyring Chromium falls back to a fixed key ('basic_text'):
 * the store then says so in its kind, and the Settings screen warns that the secret is only obscured.
 * Where no encryption is available at all, secrets are kept in memory for this run and never written.
 *
 * Call after app 'ready': before it, safeStorage cannot tell what it has.
 */
export function createSafeStorageSecretStore(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return memorySecretStore;
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend?.() : undefined;
  return {
    kind: backend === 'basic_text' ? 'basic_text' : 'safeStorage',
    seal: (plain) => safeStorage.encryptString(plain),
    open: (sealed) => safeStorage.decryptString(sealed),
  };
}
