import { join } from 'node:path';
import { mkdirSync } from 'node:fs';

import type { EventPayload } from '../../shared/ipc/contract';
import { DEFAULT_STATION_NAME } from '../../shared/station/models';
import { GuardantClient, type Credentials } from './api/guardant-client';
import { benchHandlers } from './bench/bench-handlers';
import { BenchUsb } from './bench/bench-usb';
import { BenchView } from './bench/bench-view';
import { identityOnBench, pluggedIdentities } from './bench/plugged-identities';
import type { BenchSimulator } from './bench/simulator-port';
import { CachedOrders } from './cache/cached-orders';
import { orderHandlers } from './cache/order-handlers';
import { ReadCache } from './cache/read-cache';
import { ConnectionMonitor, probeOrders } from './connection/connection-monitor';
import { Reachability } from './connection/reachability';
import { lockDataDir, type DataDirLock } from './db/data-dir-lock';
import { openStationDatabase, type StationDatabase } from './db/open';
import { KeyInventory } from './inventory/key-inventory';
import { createDispatcher, type Dispatch } from './ipc/dispatch';
import { KeyRecords } from './keys/key-records';
import { LicenseManagerClient } from './license-manager/license-manager-client';
import { writeActivityOf } from './license-manager/write-activity';
import { writeThroughManager } from './license-manager/write-through';
import type { BackoffPolicy } from './outbox/backoff';
import { Outbox } from './outbox/outbox';
import { OutboxWorker } from './outbox/outbox-worker';
import { queueHandlers } from './outbox/queue-handlers';
import { clientPorts, PreflightChecker } from './preflight/preflight';
import { AutoMode } from './runs/auto-mode';
import { autoModePorts } from './runs/auto-mode-ports';
import { ItemOutcomes } from './runs/item-outcomes';
import { KeyWaits } from './runs/key-waits';
import { queueActions } from './runs/queue-actions';
import { pruneExpired } from './runs/retention';
import { runHandlers } from './runs/run-handlers';
import { RunResumer } from './runs/run-resumer';
import { RunStore } from './runs/run-store';
import { Runs } from './runs/runs';
import { stopCheckPorts } from './runs/stop-check-ports';
import { UpdateRuns } from './runs/update-runs';
import { WriteVerifier } from './runs/write-verifier';
import { memorySecretStore, type SecretStore } from './settings/secret-store';
import { settingsHandlers } from './settings/settings-handlers';
import { SettingsStore } from './settings/settings-store';
import { entryContext } from './shift-log/entry-context';
import { shiftHandlers } from './shift-log/shift-handlers';
import { ShiftLog } from './shift-log/shift-log';
import { Shifts } from './shift-log/shifts';
import { StationEvents } from './station-events';
import { udevDaemonRunning } from './usb/udev-probe';
import type { UsbLike } from './usb/usb-like';
import { deviceNodeAccess } from './usb/device-access';
import type { UsbWatcherOptions } from './usb/usb-watcher';
import { orderFromReadCache, verifyWrite } from './verification/verify-write';

export type BenchConfig =
  | {
      kind: 'simulated';
      simulated: BenchSimulator;
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
  events: StationEvents;
  /** Resolves once the bench has been scanned and identified for the first time. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export const STATION_DATABASE_FILE = 'station.db';

/**
 * The composition root: every core module is built and wired here, and only here; each domain's IPC
 * handlers come from that domain (bench/, cache/, outbox/, runs/, settings/, shift-log/).
 */
export async function createStation(config: StationConfig): Promise<Station> {
  mkdirSync(config.dataDir, { recursive: true });
  const log = config.log ?? (() => {});
  const timing = config.timing ?? {};
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
  const progress = (event: EventPayload<'write:progress'>) => events.emit('write:progress', event);

  const settings = new SettingsStore(db, config.secretStore ?? memorySecretStore, {
    serverUrl: config.serverUrl,
    stationName: config.stationName ?? DEFAULT_STATION_NAME,
    bench: config.bench.kind,
    credentials: config.credentials,
  });

  // The server, and what the station reads and asks of it.
  const reachability = new Reachability();
  const client = new GuardantClient({
    baseUrl: () => settings.settings().serverUrl,
    credentials: () => settings.credentials(),
    onReachability: reachability.report,
  });
  const cache = new ReadCache({ db, client, clock: now });
  const preflight = new PreflightChecker(clientPorts(client, now));
  const keyRecords = new KeyRecords(db, now);

  // The bench: its USB bus, its license manager, the keys plugged into it.
  const bench = config.bench;
  const simulator = bench.kind === 'simulated' ? bench.simulated : null;
  const licenseManager = new LicenseManagerClient({
    baseUrl:
      bench.kind === 'simulated'
        ? (bench.licenseManagerUrl ?? bench.simulated.licenseManagerUrl)
        : bench.licenseManagerUrl,
  });
  const benchUsb = new BenchUsb(bench.kind === 'simulated' ? bench.simulated.usb : bench.usb, {
    udevRunning: bench.kind === 'real' ? (bench.udevRunning ?? (() => udevDaemonRunning())) : () => null,
    udevRulesPath: bench.kind === 'real' ? (bench.udevRulesPath ?? null) : null,
    deviceAccess: bench.kind === 'real' ? (bench.deviceAccess ?? deviceNodeAccess) : undefined,
    rescanMs: timing.usbRescanMs,
    rescanWithoutHotplugMs: timing.usbRescanWithoutHotplugMs,
    onStatus: (status) => events.emit('usb:changed', status),
  });
  const inventory = new KeyInventory({
    usb: benchUsb.watcher,
    licenseManager,
    quietMs: timing.inventoryQuietMs,
    maxWaitMs: timing.inventoryMaxWaitMs,
  });
  const benchView = new BenchView({
    inventory,
    keyRecords,
    push: (keys) => events.emit('keys:changed', keys),
    open: () => db.open,
  });
  const keysChanged = benchView.changed;
  const identity = identityOnBench(inventory);
  const identities = pluggedIdentities(inventory);
  const present = (dongleId: number) => inventory.isPresent(dongleId);

  const shiftContext = entryContext({
    stationName: () => settings.settings().stationName,
    orders: new CachedOrders(db),
    plugged: (dongleId) => inventory.key(dongleId),
  });
  const shifts = new Shifts(db, now, (shift) => events.emit('shift:changed', shift));
  const shiftLog = new ShiftLog(db, now, { shifts, context: shiftContext });

  // The outbox, and what a settled item means for the runs.
  const outbox = new Outbox(db, { clock: now });
  const runStore = new RunStore(db, now);
  // Verify after write: a station-side step after the write's outbox item settled done, outside the
  // outbox's exactly-once core; it only reads (the key through the license manager, the order through
  // the read cache, so it works offline for orders seen before).
  const verifier = new WriteVerifier({
    store: runStore,
    keyRecords,
    shiftLog,
    verify: (request) => verifyWrite({ licenseManager, order: orderFromReadCache(cache) }, request),
    progress,
    keysChanged,
    log,
    backoff: timing.verifyBackoff,
    maxAttempts: timing.verifyMaxAttempts,
    concurrency: () => settings.writeConcurrency(),
    clock: now,
  });
  const keyWaits = new KeyWaits({ store: runStore, outbox, progress, log });
  const outcomes = new ItemOutcomes({
    verify: (task) => verifier.schedule(task),
    store: runStore,
    outbox,
    keyRecords,
    shiftLog,
    progress,
    lastBurn: (orderId, dongleId) => client.lastBurnInfo(orderId, dongleId),
    present,
    held: () => keyWaits.recheckSoon(),
    keysChanged,
    orderChanged: (orderId) => events.emit('cache:updated', { scope: 'order', orderId }),
    log,
  });
  // The worker wakes by itself on every enqueue, retry and cancel; kick() (which also cuts short every
  // backoff, Retry-After included) is kept for the moment the server comes back.
  const worker = new OutboxWorker({
    outbox,
    client,
    backoff: timing.backoff,
    concurrency: () => settings.writeConcurrency(),
    writeActivity: writeActivityOf(licenseManager),
    performWrite: writeThroughManager({ licenseManager, present }),
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

  const connection = new ConnectionMonitor({
    serverUrl: settings.settings().serverUrl,
    probe: probeOrders(client),
    probeIntervalMs: timing.probeIntervalMs,
    heartbeatMs: timing.heartbeatMs,
    onChange: (state) => events.emit('connection:changed', state),
    onOnline: () => worker.kick(),
  });
  reachability.listen((reachable, error) => connection.report(reachable, error));

  // Runs: an operator's write of many keys, and auto mode.
  const runs = new Runs({
    store: runStore,
    outbox,
    outcomes,
    shiftLog,
    identity,
    place: (dongleId) => inventory.key(dongleId),
    progress,
    keysChanged,
  });
  const updateRuns = new UpdateRuns({
    order: (id) =>
      cache.getOrder(id).then(
        (v) => v.order,
        () => null,
      ),
    runs,
  });
  const resumer = new RunResumer({
    store: runStore,
    outbox,
    shiftLog,
    checks: stopCheckPorts(client, now),
    present,
    progress,
    keysChanged,
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
    keysChanged();
  });
  // Keys must stay plugged until written: a pulled key's write is held, and goes on when it is back.
  inventory.on('changed', (keys) => keyWaits.benchChanged(keys.map((k) => k.dongleId)));
  // In memory only: a restart finds auto mode off.
  const autoMode = new AutoMode(
    autoModePorts({ inventory, preflight, runs, events, shiftLog, identity, log }),
  );
  inventory.on('lm-error', (error) => log(`license manager: ${error.message}`));

  let benchReady = false;
  const bulk = queueActions(outbox, outcomes);
  const dispatch = createDispatcher(
    {
      ...settingsHandlers({
        settings,
        connection,
        client,
        about: { version: config.version ?? '0.0.0', host: config.host, bench: bench.kind },
        benchReady: () => benchReady,
      }),
      ...benchHandlers({
        keys: () => benchView.keys(),
        usbStatus: () => benchUsb.status(),
        simulator,
        settled: () => inventory.whenSettled(),
      }),
      ...orderHandlers(cache),
      ...queueHandlers({
        outbox,
        bulk,
        // The worker never sees an item the operator cancels: its meaning for the runs is applied here.
        cancelled: (item) => outcomes.apply(item),
        identities,
        shiftLog,
      }),
      ...runHandlers({
        preflight,
        runs,
        updateRuns,
        resumer,
        autoMode,
        plugged: (dongleId) => inventory.key(dongleId) !== null,
        identities,
      }),
      ...shiftHandlers(shiftLog),
    },
    (error) => log('internal error in a handler', error),
  );

  connection.start();
  worker.start();
  const ready = inventory.start().then(async () => {
    await inventory.whenSettled();
    benchReady = true;
    // Tasks a restart finds waiting for their keys go on if the keys are plugged now.
    keyWaits.benchChanged(inventory.keys().map((k) => k.dongleId));
    events.emit('bench:ready', { keys: inventory.keys().length });
    keysChanged();
  });

  let closed = false;
  return {
    dispatch,
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
