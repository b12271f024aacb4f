import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

import { StationErrorCode } from '../../shared/ipc/result';
import type { AttachedKey } from '../../shared/station/models';
import { GuardantApiError, ServerUnreachableError } from './api/errors';
import { GuardantClient, type Credentials, type DongleIdentity } from './api/guardant-client';
import { ReadCache } from './cache/read-cache';
import { ConnectionMonitor, probeOrders } from './connection/connection-monitor';
import { openStationDatabase } from './db/open';
import { KeyInventory, type IdentifiedKey } from './inventory/key-inventory';
import { createDispatcher, StationFault, type Dispatch } from './ipc/dispatch';
import type { StationHandlers } from './ipc/handlers';
import { KeyRecords } from './keys/key-records';
import { LicenseManagerClient } from './license-manager/license-manager-client';
import { LicenseManagerError } from './license-manager/license-manager-error';
import type { BackoffPolicy } from './outbox/backoff';
import { Outbox } from './outbox/outbox';
import { OutboxWorker } from './outbox/outbox-worker';
import { clientPorts, PreflightChecker } from './preflight/preflight';
import { memorySecretStore, type SecretStore } from './settings/secret-store';
import { SettingsStore } from './settings/settings-store';
import { ShiftLog } from './shift-log/shift-log';
import { StationEvents } from './station-events';
import type { UsbLike } from './usb/usb-like';
import { udevDaemonRunning } from './usb/udev-probe';
import { describeUsbStatus } from './usb/usb-notices';
import { deviceNodeAccess } from './usb/device-access';
import { UsbWatcher, type UsbWatcherOptions } from './usb/usb-watcher';
import { LicenseWriter } from './writing/license-writer';
import type { SimulatedBench } from '../simulated-bench/simulated-bench';

export type BenchConfig =
  | { kind: 'simulated'; simulated: SimulatedBench }
  | {
      kind: 'real';
      usb: UsbLike;
      licenseManagerUrl: string;
      /** This installation's udev rule file, named in the command the operator is told to run. */
      udevRulesPath?: string;
      /** Whether hot-plug events can come (udevDaemonRunning by default); asked before each rescan. */
      udevRunning?: () => boolean | null;
      /** Whether this user may open a key (deviceNodeAccess by default): the udev rule's effect. */
      deviceAccess?: UsbWatcherOptions['deviceAccess'];
    };

export interface StationConfig {
  dataDir: string;
  host: 'electron' | 'browser';
  serverUrl: string;
  credentials: Credentials;
  bench: BenchConfig;
  secretStore?: SecretStore;
  stationName?: string;
  version?: string;
  /** Short timings for tests; production defaults otherwise. */
  timing?: {
    backoff?: Partial<BackoffPolicy>;
    probeIntervalMs?: number;
    heartbeatMs?: number;
    inventoryQuietMs?: number;
    inventoryMaxWaitMs?: number;
    /** USB rescan interval: with hot-plug events, and where they cannot come (no udev daemon). */
    usbRescanMs?: number;
    usbRescanWithoutHotplugMs?: number;
  };
  log?: (message: string, error?: unknown) => void;
  /** An Electron-ABI build of better-sqlite3, when running inside Electron. */
  nativeBinding?: string;
}

export interface Station {
  dispatch: Dispatch;
  handlers: StationHandlers;
  events: StationEvents;
  /** Resolves once the bench has been scanned and identified for the first time. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export const STATION_DATABASE_FILE = 'station.db';

/** Where hot-plug events come, a rescan only repairs the odd lost one. */
export const RESCAN_WITH_HOTPLUG_MS = 10_000;
/** Where none come, the rescan is how keys are seen: a key shows up within this long. */
export const RESCAN_WITHOUT_HOTPLUG_MS = 2_000;

const identityOf = (key: IdentifiedKey): DongleIdentity => ({
  dongleId: key.dongleId,
  dongleModel: key.model,
  publicCode: key.publicCode,
  typeFlags: key.typeFlags,
  netResource: key.netResource,
});

/** The composition root: every core module is built and wired here, and only here. */
export async function createStation(config: StationConfig): Promise<Station> {
  mkdirSync(config.dataDir, { recursive: true });
  const log = config.log ?? (() => {});
  const db = openStationDatabase(join(config.dataDir, STATION_DATABASE_FILE), {
    nativeBinding: config.nativeBinding,
  });
  const events = new StationEvents();
  const now = () => Date.now();

  const settings = new SettingsStore(db, config.secretStore ?? memorySecretStore, {
    serverUrl: config.serverUrl,
    stationName: config.stationName ?? 'Bench 1',
    bench: config.bench.kind,
    credentials: config.credentials,
  });

  const connection: ConnectionMonitor = new ConnectionMonitor({
    serverUrl: settings.settings().serverUrl,
    probe: () => probeOrders(client)(),
    probeIntervalMs: config.timing?.probeIntervalMs ?? 5_000,
    heartbeatMs: config.timing?.heartbeatMs,
    onChange: (state) => events.emit('connection:changed', state),
    onOnline: () => worker.kick(),
  });
  const client = new GuardantClient({
    baseUrl: () => settings.settings().serverUrl,
    credentials: () => settings.credentials(),
    onReachability: (reachable, error) => connection.report(reachable, error),
  });
  const cache = new ReadCache({ db, client, clock: now });
  const preflight = new PreflightChecker(clientPorts(client, now));
  const keyRecords = new KeyRecords(db, now);
  const shiftLog = new ShiftLog(db, now);

  const licenseManagerUrl =
    config.bench.kind === 'simulated'
      ? config.bench.simulated.licenseManagerUrl
      : config.bench.licenseManagerUrl;
  const licenseManager = new LicenseManagerClient({ baseUrl: licenseManagerUrl });
  const usb = config.bench.kind === 'simulated' ? config.bench.simulated.usb : config.bench.usb;
  // A rescan reconciles events that were lost; where none can come (no udev daemon) it is the only
  // way keys are seen, so it runs often (README, "USB rescan" has what it costs).
  const udevRunning =
    config.bench.kind === 'real' ? (config.bench.udevRunning ?? (() => udevDaemonRunning())) : () => null;
  const udevRulesPath = config.bench.kind === 'real' ? (config.bench.udevRulesPath ?? null) : null;
  // Not listening (no USB subsystem yet) means no events either: look as often as without udev.
  const rescanIntervalMs = (): number =>
    udevRunning() === false || !watcher.status().listening
      ? (config.timing?.usbRescanWithoutHotplugMs ?? RESCAN_WITHOUT_HOTPLUG_MS)
      : (config.timing?.usbRescanMs ?? RESCAN_WITH_HOTPLUG_MS);
  const watcher = new UsbWatcher(usb, {
    rescanIntervalMs,
    deviceAccess: config.bench.kind === 'real' ? (config.bench.deviceAccess ?? deviceNodeAccess) : undefined,
  });
  const usbStatus = () =>
    describeUsbStatus(watcher.status(), {
      udevRunning: udevRunning(),
      udevRulesPath,
      rescanIntervalMs: rescanIntervalMs(),
    });
  let lastUsbStatus = '';
  const pushUsbStatus = () => {
    const status = usbStatus();
    const text = JSON.stringify({ ...status, lastScanAt: null });
    if (text === lastUsbStatus) return;
    lastUsbStatus = text;
    events.emit('usb:changed', status);
  };
  watcher.on('status', pushUsbStatus);
  // The udev daemon may start or stop under a running station: its notice follows at the next scan.
  watcher.on('scanned', pushUsbStatus);
  const inventory = new KeyInventory({
    usb: watcher,
    licenseManager,
    quietMs: config.timing?.inventoryQuietMs,
    maxWaitMs: config.timing?.inventoryMaxWaitMs,
  });

  const attachedKeys = (): AttachedKey[] => {
    const keys = inventory.keys();
    const records = keyRecords.getMany(keys.map((k) => k.dongleId));
    return keys.map((key) => {
      const record = records.get(key.dongleId);
      return {
        ...key,
        state: record?.state ?? 'new',
        orderId: record?.orderId ?? null,
        lastActionResult: record?.actionResult ?? null,
      };
    });
  };
  // Many key-state changes in one tick (a 500-key batch settling) become one push to the renderer.
  let keysPushScheduled = false;
  const pushKeys = () => {
    if (keysPushScheduled) return;
    keysPushScheduled = true;
    setImmediate(() => {
      keysPushScheduled = false;
      // A push scheduled just before close() would read a closed database.
      if (closed) return;
      events.emit('keys:changed', attachedKeys());
    });
  };

  const outbox = new Outbox(db, { clock: now });
  // The worker wakes by itself on every enqueue, retry and cancel; kick() (which also cuts short every
  // backoff, Retry-After included) is kept for the moment the server comes back.
  const worker: OutboxWorker = new OutboxWorker({
    outbox,
    client,
    backoff: config.timing?.backoff,
    performWrite: async (orderId, dongleId) => {
      try {
        const { actionResult } = await licenseManager.writeLicense(dongleId, orderId);
        return { actionResult };
      } catch (error) {
        // Nothing was written and a later attempt may succeed: the outbox keeps the item.
        if (error instanceof LicenseManagerError && error.retryable)
          throw new ServerUnreachableError(error.message);
        // The server refused through the license manager: a decision, and nothing was written or billed.
        if (error instanceof LicenseManagerError && error.details.apiCode !== undefined) {
          const status = error.details.httpStatus ?? 409;
          throw new GuardantApiError(error.details.apiCode, status, {
            status: { code: error.details.apiCode, description: error.message, message: 'Refused', status },
          });
        }
        throw error;
      }
    },
    onChange: (summary) => events.emit('outbox:changed', summary),
    onDrained: () => events.emit('outbox:drained', { at: now() }),
    onItemSettled: (item) => {
      // Bookkeeping after the fact: if it fails, the item is still settled; say so in the log.
      try {
        if (item.kind === 'add-keys' && item.status === 'done' && item.orderId !== null) {
          const orderId = item.orderId;
          const added = Object.entries(item.result ?? {})
            .filter(([, retcode]) => retcode === '0' || retcode === '10168')
            .map(([dongleId]) => Number(dongleId));
          keyRecords.markAddedToOrder(added, orderId);
        }
        if (item.kind === 'write-license' && item.status === 'done' && item.orderId !== null) {
          const [dongleId] = item.dongleIds;
          if (dongleId !== undefined && item.result?.[String(dongleId)] === '0') {
            outbox.supersedeFailedWrites(item.orderId, dongleId, item.id);
          }
        }
        // What the server holds for this order changed: views showing it should read it again.
        if (item.orderId !== null && item.status === 'done') {
          events.emit('cache:updated', { scope: 'order', orderId: item.orderId });
        }
        shiftLog.record({
          action: item.kind,
          orderId: item.orderId,
          dongleId: item.dongleIds.length === 1 ? item.dongleIds[0]! : null,
          outcome: item.status,
          detail:
            item.lastError ??
            (item.kind === 'add-keys'
              ? `${item.dongleIds.length} key(s): ${summariseRetcodes(item.result)}`
              : ''),
        });
        pushKeys();
      } catch (error) {
        log(`could not record the outcome of outbox item ${item.id}`, error);
      }
    },
  });

  const writer = new LicenseWriter({
    enqueueAddKeys: (orderId, keys) => outbox.enqueueAddKeys(orderId, keys),
    enqueueWrite: (orderId, dongleId) => outbox.enqueueWriteLicense(orderId, dongleId),
    settled: (itemId) => worker.waitFor(itemId),
    identity: (dongleId) => {
      const key = inventory.key(dongleId);
      return key ? identityOf(key) : null;
    },
    lastBurn: (orderId, dongleId) => client.lastBurnInfo(orderId, dongleId),
    baselineOf: (itemId) => outbox.queued(itemId)?.payload.baseline ?? null,
    progress: (event) => events.emit('write:progress', event),
    keyState: (dongleId, state, orderId, actionResult) => {
      keyRecords.set(dongleId, state, orderId, actionResult);
      pushKeys();
    },
    log: (entry) => shiftLog.record(entry),
  });

  inventory.on('changed', () => pushKeys());
  inventory.on('lm-error', (error) => log(`license manager: ${error.message}`));

  const pluggedIdentities = (dongleIds: number[]): DongleIdentity[] => {
    const byId = new Map(inventory.keys().map((k) => [k.dongleId, k]));
    const missing = dongleIds.filter((id) => !byId.has(id));
    if (missing.length) {
      throw new StationFault(
        StationErrorCode.InvalidRequest,
        `not plugged in: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}`,
      );
    }
    return dongleIds.map((id) => identityOf(byId.get(id)!));
  };

  let benchReady = false;
  const handlers: StationHandlers = {
    'station:info': async () => ({
      stationName: settings.settings().stationName,
      version: config.version ?? '0.0.0',
      host: config.host,
      bench: config.bench.kind,
      serverUrl: settings.settings().serverUrl,
      benchReady,
    }),
    'keys:list': async () => attachedKeys(),
    'usb:status': async () => usbStatus(),
    'orders:list': async (request) => cache.listOrders(request),
    'orders:get': async ({ orderId }) => cache.getOrder(orderId),
    'products:list': async () => cache.listProducts(),
    'keys:precheck': async ({ dongleIds, ...request }) =>
      preflight.check({ ...request, keys: pluggedIdentities(dongleIds) }),
    'keys:addToOrder': async ({ orderId, dongleIds }) => {
      const item = outbox.enqueueAddKeys(orderId, pluggedIdentities(dongleIds));
      shiftLog.record({
        action: 'add-keys queued',
        orderId,
        outcome: 'pending',
        detail: `${dongleIds.length} key(s)`,
      });
      return item;
    },
    'keys:removeFromOrder': async ({ orderId, dongleId }) => {
      const item = outbox.enqueueRemoveKey(orderId, dongleId);
      return item;
    },
    'keys:setDriverType': async ({ dongleId, driverType }) => {
      const item = outbox.enqueueSetDriverType(dongleId, driverType);
      return item;
    },
    'licenses:write': async ({ orderId, dongleIds }) => {
      const { jobId, done } = writer.start(orderId, dongleIds);
      done.catch((error: unknown) => log(`write job ${jobId} stopped`, error));
      return { jobId };
    },
    'keys:history': async ({ dongleId, ...query }) => cache.keyHistory(dongleId, query),
    'keys:orders': async ({ dongleId }) => cache.keyOrders(dongleId),
    'outbox:list': async () => outbox.list(),
    'outbox:item': async ({ itemId }) => {
      const item = outbox.get(itemId);
      if (!item) throw new StationFault(StationErrorCode.NotFound, `no queued item ${itemId}`);
      return item;
    },
    'outbox:retry': async ({ itemId }) => {
      const item = outbox.retry(itemId);
      return item;
    },
    'outbox:cancel': async ({ itemId }) => outbox.cancel(itemId),
    'connection:get': async () => connection.state,
    'shiftlog:list': async ({ since }) => shiftLog.list(since),
    'shiftlog:csv': async ({ since }) => shiftLog.csv(since),
    'settings:get': async () => settings.settings(),
    'settings:set': async (patch) => {
      const updated = settings.update(patch);
      if (
        patch.serverUrl !== undefined ||
        patch.login !== undefined ||
        patch.password !== undefined ||
        patch.token !== undefined
      ) {
        client.resetSession();
        connection.setServerUrl(updated.serverUrl);
        void connection.probeNow();
      }
      return updated;
    },
    'bench:simulate': async (request) => {
      if (config.bench.kind !== 'simulated') {
        throw new StationFault(
          StationErrorCode.NotSimulated,
          'This station runs a real bench; there is nothing to simulate.',
        );
      }
      const bench = config.bench.simulated;
      switch (request.action) {
        case 'plug':
          bench.plug(request.count, { model: request.model, netResource: request.netResource });
          break;
        case 'unplug':
          bench.unplug(request.dongleIds);
          break;
        case 'fail-next-write':
          await bench.failNextWrite(request.dongleId, request.actionResult);
          break;
        case 'slow':
          bench.slow(request.delayMs);
          break;
      }
      await inventory.whenSettled();
      return attachedKeys();
    },
  };

  const dispatch = createDispatcher(handlers, (error) => log('internal error in a handler', error));

  connection.start();
  worker.start();
  const ready = inventory.start().then(async () => {
    await inventory.whenSettled();
    benchReady = true;
    events.emit('bench:ready', { keys: inventory.keys().length });
    pushKeys();
  });

  let closed = false;
  return {
    dispatch,
    handlers,
    events,
    ready,
    async close() {
      if (closed) return;
      closed = true;
      inventory.stop();
      connection.stop();
      await worker.stop();
      db.close();
    },
  };
}

function summariseRetcodes(result: Record<string, string> | null): string {
  if (!result) return '';
  const counts = new Map<string, number>();
  for (const code of Object.values(result)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${n}× ${code === '0' ? 'added' : code}`).join(', ');
}
