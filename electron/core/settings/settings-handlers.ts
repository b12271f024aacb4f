import type { StationInfo } from '../../../shared/station/models';
import type { GuardantClient } from '../api/guardant-client';
import type { ConnectionMonitor } from '../connection/connection-monitor';
import type { StationHandlers } from '../ipc/handlers';
import { testConnection } from './connection-test';
import type { SettingsStore } from './settings-store';

type SettingsChannels =
  'station:info' | 'settings:get' | 'settings:set' | 'settings:test-connection' | 'connection:get';

export interface SettingsHandlerPorts {
  settings: Pick<SettingsStore, 'settings' | 'update' | 'credentials'>;
  connection: Pick<ConnectionMonitor, 'state' | 'setServerUrl' | 'probeNow'>;
  client: Pick<GuardantClient, 'resetSession'>;
  /** What the host says of itself; fixed for the station's life. */
  about: Pick<StationInfo, 'version' | 'host' | 'bench'>;
  /** Whether the bench has been scanned and identified for the first time. */
  benchReady: () => boolean;
}

/** The station's settings, what it says about itself, and its connection to the server. */
export function settingsHandlers(ports: SettingsHandlerPorts): Pick<StationHandlers, SettingsChannels> {
  const { settings, connection } = ports;
  return {
    'station:info': async () => ({
      stationName: settings.settings().stationName,
      version: ports.about.version,
      host: ports.about.host,
      bench: ports.about.bench,
      serverUrl: settings.settings().serverUrl,
      benchReady: ports.benchReady(),
    }),
    'settings:get': async () => settings.settings(),
    'settings:set': async (patch) => {
      const updated = settings.update(patch);
      // Another server or other credentials: the session and what is known of the connection are stale.
      if (
        patch.serverUrl !== undefined ||
        patch.login !== undefined ||
        patch.password !== undefined ||
        patch.token !== undefined
      ) {
        ports.client.resetSession();
        connection.setServerUrl(updated.serverUrl);
        void connection.probeNow();
      }
      return updated;
    },
    'settings:test-connection': async (request) => testConnection(request, { saved: settings.credentials() }),
    'connection:get': async () => connection.state,
  };
}
