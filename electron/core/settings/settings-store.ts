import type { Database } from 'better-sqlite3';
import { WRITE_CONCURRENCY, type Settings } from '../../../shared/station/models';
import type { Credentials } from '../api/guardant-client';
import type { SecretStore } from './secret-store';

export interface SettingsDefaults {
  serverUrl: string;
  stationName: string;
  /** The bench this process runs: the host decides it at start-up (see README, "Using the station"). */
  bench: Settings['bench'];
  credentials: Credentials;
}

type SecretName = 'password' | 'token';

/** Station settings in the station DB; secrets only ever sealed by the SecretStore, never in clear. */
export class SettingsStore {
  private readonly read;
  private readonly write;
  private readonly remove;
  private readonly volatileSecrets = new Map<SecretName, string>();

  constructor(
    db: Database,
    private readonly secrets: SecretStore,
    private readonly defaults: SettingsDefaults,
  ) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  private get(key: string): string | undefined {
    return this.read.get(key)?.value;
  }

  private secret(name: SecretName): string | undefined {
    const volatile = this.volatileSecrets.get(name);
    if (volatile !== undefined) return volatile;
    const sealed = this.get(`secret.${name}`);
    if (sealed === undefined) return this.defaults.credentials[name];
    return this.secrets.open(Buffer.from(sealed, 'base64'));
  }

  private setSecret(name: SecretName, value: string): void {
    const sealed = this.secrets.seal(value);
    if (sealed) {
      this.write.run(`secret.${name}`, sealed.toString('base64'));
      this.volatileSecrets.delete(name);
    } else {
      this.remove.run(`secret.${name}`);
      this.volatileSecrets.set(name, value);
    }
  }

  credentials(): Credentials {
    const login = this.get('login') ?? this.defaults.credentials.login;
    const token = this.secret('token');
    const password = this.secret('password');
    return { ...(token ? { token } : {}), ...(login ? { login } : {}), ...(password ? { password } : {}) };
  }

  settings(): Settings {
    const c = this.credentials();
    return {
      serverUrl: this.get('serverUrl') ?? this.defaults.serverUrl,
      stationName: this.get('stationName') ?? this.defaults.stationName,
      // The bench the host composed at start-up; a stored choice from older builds is ignored.
      bench: this.defaults.bench,
      login: c.login ?? null,
      hasCredentials: Boolean(c.token || (c.login && c.password)),
      credentialStore: this.secrets.kind,
      writeConcurrency: this.writeConcurrency(),
    };
  }

  /** Keys written at once; a stored value out of bounds (hand-edited, older build) falls back to the default. */
  writeConcurrency(): number {
    const stored = Number(this.get('writeConcurrency'));
    return Number.isInteger(stored) && stored >= WRITE_CONCURRENCY.min && stored <= WRITE_CONCURRENCY.max
      ? stored
      : WRITE_CONCURRENCY.default;
  }

  update(patch: {
    serverUrl?: string;
    stationName?: string;
    login?: string;
    password?: string;
    token?: string;
    writeConcurrency?: number;
  }): Settings {
    if (patch.serverUrl !== undefined) this.write.run('serverUrl', patch.serverUrl);
    if (patch.stationName !== undefined) this.write.run('stationName', patch.stationName);
    if (patch.login !== undefined) this.write.run('login', patch.login);
    if (patch.password !== undefined) this.setSecret('password', patch.password);
    if (patch.token !== undefined) this.setSecret('token', patch.token);
    if (patch.writeConcurrency !== undefined)
      this.write.run('writeConcurrency', String(patch.writeConcurrency));
    return this.settings();
  }
}
