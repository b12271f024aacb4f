import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

import { ActionResult } from '../../shared/guardant/codes';
import { StationErrorCode } from '../../shared/ipc/result';
import type { AttachedKey, KeyIdentity } from '../../shared/station/models';
import { GuardantApiError, ServerUnreachableError } from './api/errors';
import { GuardantClient, type Credentials } from './api/guardant-client';
import { ReadCache } from './cache/read-cache';
import { ConnectionMonitor, probeOrders } from './connection/connection-monitor';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock';
import { writeActivityOf } from './license-manager/write-activity';
import { openStationDatabase, type StationDatabase } from './db/open';
import { KeyInventory, type IdentifiedKey } from './inventory/key-inventory';
import { createDispatcher, StationFault, type Dispatch } from './ipc/dispatch';
import type { StationHandlers } from './ipc/handlers';
import { KeyRecords } from './keys/key-records';
import { LicenseManagerClient } from './license-manager/license-manager-client';
import { LicenseManagerError } from './license-manager/license-manager-error';
import type { BackoffPolicy } from './outbox/backoff';
import { Outbox } from './outbox/outbox';
import { OutboxWorker } from './outbox/outbox-worker';
import { ItemOutcomes } from './runs/item-outcomes';
import { queueActions } from './runs/queue-actions';
import { pruneExpired } from './runs/retention';
import { RunStore } from './runs/run-store';
import { Runs, type LeftOutKey } from './runs/runs';
import { UpdateRuns } from './runs/update-runs';
import { KeyWaits } from './runs/key-waits';
import { RunResumer } from './runs/run-resumer';
import { stopCheckPorts } from './runs/stop-check-ports';
import { AutoMode } from './runs/auto-mode';
import { autoModePorts } from './runs/auto-mode-ports';
import { WriteVerifier } from './runs/write-verifier';
import { orderFromReadCache, verifyWrite } from './verification/verify-write';
import { clientPorts, PreflightChecker } from './preflight/preflight';
import { memorySecretStore, type SecretStore } from './settings/secret-store';
import { SettingsStore } from './settings/settings-store';
import { CachedOrders } from './cache/cached-orders';
import { entryContext } from './shift-log/entry-context';
import { testConnection } from './settings/connection-test';
import { ShiftLog } from './shift-log/shift-log';
import { shiftHandlers } from './shift-log/shift-handlers';
import { Shifts } from './shift-log/shifts';
import { coalesce } from './coalesce';
import { StationEvents } from './station-events';
import type { UsbLike } from './usb/usb-like';
import { udevDaemonRunning } from './usb/udev-probe';
import { describeUsbStatus } from './usb/usb-notices';
import { deviceNodeAccess } from './usb/device-access';
import { UsbWatcher, type UsbWatcherOptions } from './usb/usb-watcher';
import type { SimulatedBench } from '../simulated-bench/simulated-bench';
import { replugSimulated, unpluggedSimulated } from './simulator/replug';

export type BenchConfig =
  | {
      kind: 'simulated';
      simulated: SimulatedBench;
      /** A license manager in another process (over the same virtual keys) instead of the bench's own. */
      licenseManagerUrl?: string;
    }
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
  /**
   * The data folder's lock when the host took it first (before its embedded server, token file…);
   * otherwise the station takes it. Either way the station releases it when it closes.
   */
  dataDirLock?: DataDirLock;
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
    /** Waits between read-backs after a write that could not be checked (default 1 s doubling to 30 s). */
    verifyBackoff?: { baseMs: number; maxMs: number };
    /** Read-backs that could not be made before a written key fails "Could not be verified" (default 10). */
    verifyMaxAttempts?: number;
  };
  log?: (message: string, error?: unknown) => void;
  /** An Electron-ABI build of better-sqlite3, when running inside Electron. */
  nativeBinding?: string;
  /** Days settled outbox items and finished runs are kept (default 30). */
  retentionDays?: number;
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
/** At most one bench push per this many ms while keys keep changing. */
const KEYS_PUSH_WINDOW_MS = 250;

/** Where hot-plug events come, a rescan only repairs the odd lost one. */
export const RESCAN_WITH_HOTPLUG_MS = 10_000;
/** Where none come, the rescan is how keys are seen: a key shows up within this long. */
export const RESCAN_WITHOUT_HOTPLUG_MS = 2_000;

const identityOf = (key: IdentifiedKey): KeyIdentity => ({
  dongleId: key.dongleId,
  model: key.model,
  publicCode: key.publicCode,
  typeFlags: key.typeFlags,
  netResource: key.netResource,
});

/** The composition root: every core module is built and wired here, and only here. */
export async function createStation(config: StationConfig): Promise<Station> {
  mkdirSync(config.dataDir, { recursive: true });
  const log = config.log ?? (() => {});
  // One station per data folder: a second one would send the same outbox items (billed writes) again.
  const lock = config.dataDirLock ?? lockDataDir(config.dataDir);
  let db: StationDatabase;
  try {
    db = openStationDatabase(join(config.dataDir, STATION_DATABASE_FILE), {
      nativeBinding: config.nativeBinding,
    });
  } catch (error) {
    lock.release();
    throw error;
  }
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
  const shiftContext = entryContext({
    stationName: () => settings.settings().stationName,
    orders: new CachedOrders(db),
    plugged: (dongleId) => inventory.key(dongleId),
  });
  const shifts = new Shifts(db, now, (shift) => events.emit('shift:changed', shift));
  const shiftLog = new ShiftLog(db, now, { shifts, context: shiftContext });

  const licenseManagerUrl =
    config.bench.kind === 'simulated'
      ? (config.bench.licenseManagerUrl ?? config.bench.simulated.licenseManagerUrl)
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
  // Many key-state changes (a 500-key batch settling, eight parallel writes settling a second) become
  // one push of the whole bench per window: each push is the full list, so pushing per write would
  // cost more than the writes themselves.
  const pushKeys = coalesce(KEYS_PUSH_WINDOW_MS, () => {
    if (db.open) events.emit('keys:changed', attachedKeys());
  });

  const outbox = new Outbox(db, { clock: now });
  // The worker wakes by itself on every enqueue, retry and cancel; kick() (which also cuts short every
  // backoff, Retry-After included) is kept for the moment the server comes back.
  const worker: OutboxWorker = new OutboxWorker({
    outbox,
    client,
    backoff: config.timing?.backoff,
    concurrency: () => settings.writeConcurrency(),
    writeActivity: writeActivityOf(licenseManager),
    performWrite: async (orderId, dongleId, idempotencyKey) => {
      // A key the bench no longer lists is not sent to: the answer is the manager's own for it (202,
      // nothing started), which holds the write until the key is back (runs/key-waits.ts).
      if (!inventory.isPresent(dongleId)) return { actionResult: ActionResult.DongleNotFound };
      try {
        const { actionResult } = await licenseManager.writeLicense(dongleId, orderId, idempotencyKey);
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
        outcomes.apply(item);
      } catch (error) {
        log(`could not record the outcome of outbox item ${item.id}`, error);
      }
    },
  });

  const runStore = new RunStore(db, now);
  // Verify after write: a station-side step after the write's outbox item settled done, outside the
  // outbox's exactly-once core; it only reads (the key through the license manager, the order through
  // the read cache, so it works offline for orders seen before).
  const verifier = new WriteVerifier({
    store: runStore,
    keyRecords,
    shiftLog,
    verify: (request) => verifyWrite({ licenseManager, order: orderFromReadCache(cache) }, request),
    progress: (event) => events.emit('write:progress', event),
    keysChanged: pushKeys,
    log,
    backoff: config.timing?.verifyBackoff,
    maxAttempts: config.timing?.verifyMaxAttempts,
    concurrency: () => settings.writeConcurrency(),
    clock: now,
  });
  const outcomes = new ItemOutcomes({
    verify: (task) => verifier.schedule(task),
    store: runStore,
    outbox,
    keyRecords,
    shiftLog,
    progress: (event) => events.emit('write:progress', event),
    lastBurn: (orderId, dongleId) => client.lastBurnInfo(orderId, dongleId),
    present: (dongleId) => inventory.isPresent(dongleId),
    held: () => keyWaits.recheckSoon(),
    keysChanged: pushKeys,
    orderChanged: (orderId) => events.emit('cache:updated', { scope: 'order', orderId }),
    log,
  });
  /** A plugged key's identity, for the runs and auto mode; null when it is not on the bench. */
  const identity = (dongleId: number) => {
    const key = inventory.key(dongleId);
    return key ? identityOf(key) : null;
  };
  const runs = new Runs({
    store: runStore,
    outbox,
    outcomes,
    shiftLog,
    identity,
    place: (dongleId) => inventory.key(dongleId),
    progress: (event) => events.emit('write:progress', event),
    keysChanged: pushKeys,
  });
  const updateRuns = new UpdateRuns({
    order: (id) =>
      cache.getOrder(id).then(
        (v) => v.order,
        () => null,
      ),
    runs,
  });
  const keyWaits = new KeyWaits({
    store: runStore,
    outbox,
    progress: (event) => events.emit('write:progress', event),
    log,
  });
  const resumer = new RunResumer({
    store: runStore,
    outbox,
    shiftLog,
    checks: stopCheckPorts(client, now),
    present: (dongleId) => inventory.isPresent(dongleId),
    progress: (event) => events.emit('write:progress', event),
    keysChanged: pushKeys,
  });
  // Outcomes a crash cut off are applied before pruning, which could otherwise delete an old settled
  // item a running run still waits on.
  runs.resume();
  // Tasks a crash left between their write and its read-back are verified, never written again.
  verifier.resume();
  const pruned = pruneExpired(outbox, runStore, now(), config.retentionDays);
  if (pruned.items || pruned.runs) log(`pruned ${pruned.items} settled item(s) and ${pruned.runs} run(s)`);

  inventory.on('changed', (keys) => {
    shiftContext.seen(keys);
    pushKeys();
  });
  // Keys must stay plugged until written: a pulled key's write is held, and goes on when it is back.
  inventory.on('changed', (keys) => keyWaits.benchChanged(keys.map((k) => k.dongleId)));
  // In memory only: a restart finds auto mode off.
  const autoMode = new AutoMode(
    autoModePorts({ inventory, preflight, runs, events, shiftLog, identity, log }),
  );
  inventory.on('lm-error', (error) => log(`license manager: ${error.message}`));

  const pluggedIdentities = (dongleIds: number[]): KeyIdentity[] => {
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
    'licenses:write': async ({ orderId, dongleIds, rewriteConfirmed }) => {
      const updateRunId = await updateRuns.start(orderId, dongleIds);
      if (updateRunId !== null) return { jobId: String(updateRunId), runId: updateRunId };
      // The run's pre-flight, before anything is stored or sent (Runs.start is one synchronous
      // transaction, so the asking happens first): the run takes only what the verdict selects, and the
      // keys it leaves out are stored as skipped with the verdict's words.
      const plugged = dongleIds.filter((id) => inventory.key(id) !== null);
      let leftOut: LeftOutKey[] = [];
      try {
        const verdict = await preflight.check({
          orderId,
          keys: pluggedIdentities(plugged),
          purpose: 'write',
          rewriteConfirmed,
        });
        const selected = new Set(verdict.selected);
        leftOut = verdict.keys
          .filter((k) => !selected.has(k.dongleId))
          .map((k) => ({
            dongleId: k.dongleId,
            reason: k.message,
            apiCode: k.code !== 0 && k.leftOut !== 'order-full' ? k.code : null,
            leftOut: k.leftOut,
          }));
      } catch (error) {
        // Offline (the server cannot be reached to ask): the run starts as it always did, its items
        // wait in the outbox and the server judges each key when it is back (an add refused for a full
        // order or a foreign key fails that key with the server's reason). Any other refusal is an answer.
        if (!(error instanceof ServerUnreachableError)) throw error;
      }
      const runId = runs.start(orderId, dongleIds, leftOut);
      return { jobId: String(runId), runId };
    },
    'runs:get': async ({ runId }) => {
      const run = runs.view(runId);
      if (!run) throw new StationFault(StationErrorCode.NotFound, `no run ${runId}`);
      return run;
    },
    'runs:list': async ({ limit }) => runs.list(limit),
    'runs:resume': async ({ runId }) => resumer.resume(runId),
    'keys:history': async ({ dongleId, ...query }) => cache.keyHistory(dongleId, query),
    'keys:orders': async ({ dongleId }) => cache.keyOrders(dongleId),
    'outbox:list': async (query) => outbox.list(query),
    'outbox:item': async ({ itemId }) => {
      const item = outbox.get(itemId);
      if (!item) throw new StationFault(StationErrorCode.NotFound, `no queued item ${itemId}`);
      return item;
    },
    'outbox:retry': async ({ itemId }) => {
      const item = outbox.retry(itemId);
      return item;
    },
    'outbox:cancel': async ({ itemId }) => {
      // The worker never sees an item the operator cancels: its meaning for the runs is applied here.
      const item = outbox.cancel(itemId);
      outcomes.apply(item);
      return item;
    },
    'outbox:retryAll': async ({ upToId }) => queueActions(outbox, outcomes).retryAll(upToId),
    'outbox:cancelAll': async ({ upToId }) => queueActions(outbox, outcomes).cancelAll(upToId),
    'connection:get': async () => connection.state,
    ...shiftHandlers(shiftLog),
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
    'auto:start': async ({ orderId }) => autoMode.start(orderId),
    'auto:stop': async () => autoMode.stop(),
    'auto:state': async () => autoMode.state(),
    'bench:unplugged': async () =>
      config.bench.kind === 'simulated' ? unpluggedSimulated(config.bench.simulated) : [],
    'settings:test-connection': async (request) => testConnection(request, { saved: settings.credentials() }),
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
        case 'replug':
          replugSimulated(bench, request.dongleIds);
          break;
        case 'fail-next-write':
          await bench.failNextWrite(request.dongleId, request.actionResult);
          break;
        case 'spoil-next-write':
          bench.spoilNextWrite(request.dongleId, request.how);
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
    // Tasks a restart finds waiting for their keys go on if the keys are plugged now.
    keyWaits.benchChanged(inventory.keys().map((k) => k.dongleId));
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
      autoMode.close();
      inventory.stop();
      connection.stop();
      verifier.stop();
      keyWaits.stop();
      await worker.stop();
      db.close();
      lock.release();
    },
  };
}
