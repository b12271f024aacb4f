/**
 * Where the station keeps credentials. The Electron shell hands in one backed by safeStorage; browser
 * mode keeps them in memory only, because a plain Node process has no OS keyring to lean on.
 */
export interface SecretStore {
  readonly kind: 'safeStorage' | 'basic_text' | 'memory';
  /** Null when the store cannot persist (memory): the secret then lives for this run only. */
  seal(plain: string): Buffer | null;
  open(sealed: Buffer): string;
}

export const memorySecretStore: SecretStore = {
  kind: 'memory',
  seal: () => null,
  open: () => {
    throw new Error('a memory secret store holds nothing on disk');
  },
};
