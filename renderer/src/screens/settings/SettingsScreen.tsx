import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { InvokeRequest } from '../../../../shared/ipc/contract';
import type { Settings } from '../../../../shared/station/models';
import { ErrorNotice } from '../../components/ErrorNotice';
import { queryKeys } from '../../station/query-keys';
import { useSettings } from '../../station/queries';
import { useStation } from '../../station/station-context';
import { Field } from '../../components/Field';
import { SETTINGS_TEXT_MAX, WRITE_CONCURRENCY } from '../../../../shared/station/models';
import { BenchNote } from './BenchNote';
import { ConnectionTester } from './ConnectionTester';

function CredentialStoreNote({ store }: { store: Settings['credentialStore'] }) {
  if (store === 'basic_text') {
    return (
      <p className="notice notice-warning" role="alert">
        Credentials are stored without OS encryption on this machine: anyone who can read this user&apos;s
        files can read them. Prefer a token with few rights, or fix the OS keyring.
      </p>
    );
  }
  if (store === 'memory') {
    return (
      <p className="notice" role="note">
        Credentials are kept for this session only: enter them again after the station restarts.
      </p>
    );
  }
  return null;
}

/** The editable form, seeded once from the saved settings. Secrets are write-only. */
function SettingsForm({ settings }: { settings: Settings }) {
  const api = useStation();
  const queryClient = useQueryClient();
  const [serverUrl, setServerUrl] = useState(settings.serverUrl);
  const [stationName, setStationName] = useState(settings.stationName);
  const [writeConcurrency, setWriteConcurrency] = useState(String(settings.writeConcurrency));
  const [login, setLogin] = useState(settings.login ?? '');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [saved, setSaved] = useState(false);

  const save = useMutation({
    mutationFn: (request: InvokeRequest<'settings:set'>) => api.invoke('settings:set', request),
    onSuccess: (next) => {
      queryClient.setQueryData(queryKeys.settings, next);
      void queryClient.invalidateQueries({ queryKey: queryKeys.info });
      void queryClient.invalidateQueries({ queryKey: queryKeys.connection });
      setPassword('');
      setToken('');
      setSaved(true);
    },
  });

  const concurrencyValue = Number(writeConcurrency);
  const concurrencyValid =
    writeConcurrency.trim() !== '' &&
    Number.isInteger(concurrencyValue) &&
    concurrencyValue >= WRITE_CONCURRENCY.min &&
    concurrencyValue <= WRITE_CONCURRENCY.max;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!concurrencyValid) return;
    const request: InvokeRequest<'settings:set'> = {};
    if (serverUrl !== settings.serverUrl) request.serverUrl = serverUrl.trim();
    if (stationName !== settings.stationName) request.stationName = stationName.trim();
    const concurrency = Number(writeConcurrency);
    if (concurrency !== settings.writeConcurrency) request.writeConcurrency = concurrency;
    if (login && login !== (settings.login ?? '')) request.login = login.trim();
    if (password) request.password = password;
    if (token) request.token = token.trim();
    save.mutate(request);
  };

  const secretHint = settings.hasCredentials ? 'saved; type to replace' : 'not set';

  return (
    <form className="settings-form" aria-label="Settings" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>Station</legend>
        <Field label="Station name">
          <input
            value={stationName}
            maxLength={SETTINGS_TEXT_MAX.stationName}
            required
            onChange={(e) => setStationName(e.target.value)}
          />
        </Field>
        <BenchNote bench={settings.bench} />
        <Field label={`Keys written at once (${WRITE_CONCURRENCY.min}–${WRITE_CONCURRENCY.max})`}>
          <input
            type="number"
            inputMode="numeric"
            min={WRITE_CONCURRENCY.min}
            max={WRITE_CONCURRENCY.max}
            step={1}
            required
            value={writeConcurrency}
            aria-describedby="write-concurrency-help"
            aria-invalid={!concurrencyValid}
            onChange={(e) => setWriteConcurrency(e.target.value)}
          />
        </Field>
        {!concurrencyValid && (
          <p className="result-failed" role="alert">
            Keys written at once must be a whole number from {WRITE_CONCURRENCY.min} to{' '}
            {WRITE_CONCURRENCY.max}.
          </p>
        )}
        <p id="write-concurrency-help" className="muted">
          How many keys a run writes in parallel (default {WRITE_CONCURRENCY.default}). More than the
          hub&apos;s ports only queue at the license manager; fewer helps a slow license manager. Adds stay
          one batch.
        </p>
      </fieldset>

      <fieldset>
        <legend>Guardant server</legend>
        <Field label="Server URL">
          <input type="url" value={serverUrl} required onChange={(e) => setServerUrl(e.target.value)} />
        </Field>
        <Field label="Login">
          <input
            value={login}
            maxLength={SETTINGS_TEXT_MAX.login}
            autoComplete="username"
            onChange={(e) => setLogin(e.target.value)}
          />
        </Field>
        <Field label="Password">
          <input
            type="password"
            value={password}
            maxLength={SETTINGS_TEXT_MAX.password}
            autoComplete="new-password"
            placeholder={secretHint}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <Field label="API token">
          <input
            type="password"
            value={token}
            maxLength={SETTINGS_TEXT_MAX.token}
            autoComplete="off"
            placeholder={secretHint}
            onChange={(e) => setToken(e.target.value)}
          />
        </Field>
        <p className="muted" role="status">
          Credentials: {settings.hasCredentials ? 'saved' : 'none saved'}. They are never shown again once
          saved.
        </p>
        <CredentialStoreNote store={settings.credentialStore} />
        <ConnectionTester
          request={{ serverUrl: serverUrl.trim(), login: login.trim(), password, token: token.trim() }}
        />
      </fieldset>

      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>
          Save settings
        </button>
        {saved && (
          <span role="status" className="result-ok">
            ✓ Saved.
          </span>
        )}
      </div>
      {save.isError && <ErrorNotice title="Could not save the settings" error={save.error} />}
    </form>
  );
}

export function SettingsScreen() {
  const settings = useSettings();
  return (
    <section className="screen" aria-labelledby="settings-title">
      <div className="screen-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      {settings.isPending && <p className="muted">Loading the settings…</p>}
      {settings.isError && (
        <ErrorNotice
          title="Could not load the settings"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      )}
      {settings.data && <SettingsForm settings={settings.data} />}
    </section>
  );
}
