import { ActionResult, actionResultValues } from '../../shared/guardant/codes';
import { envelopes } from '../../shared/guardant/responses';
import { toUint32 } from '../../shared/guardant/numbers';
import type { SpoiledWrite } from '../../shared/license-manager/schemas';
import { GuardantClient } from '../core/api/guardant-client';
import { VirtualKeyFactory, type KeyRequest, type VirtualKey } from './virtual-key';
import { VirtualLicenseManager, type DeviceFailure } from './virtual-license-manager';
import { VirtualUsb } from './virtual-usb';
import { BenchStateFile } from './bench-state';

export interface SimulatedBenchOptions {
  /** The Guardant Station server: writes are recorded there, server-side faults are scripted there. */
  server: { url: string; token: string };
  /** Same seed, same keys in the same order: demos and tests see the same ids every run. */
  seed?: number;
  /** How long the license manager takes to read a freshly plugged key (0: at once). */
  identifyDelayMs?: number;
  /** The license manager lists ids signed, as some Guardant tools print them. */
  signedIds?: boolean;
  /** Ports per hub; keys fill "1-1.1", "1-1.2"… then "1-2.1"… */
  portsPerHub?: number;
  /** Where the virtual keys' memory is kept across restarts (see VirtualLicenseManagerOptions). */
  keyMemoryFile?: string;
  /**
   * Where the bench keeps its seed and every key it made (SIMULATED_BENCH_STATE_FILE in a data folder):
   * key ids then never repeat across restarts, and any key made before can be plugged back in.
   */
  stateFile?: string;
}

/** The file in a data folder where the simulated keys' memory is kept. */
export const SIMULATED_KEY_MEMORY_FILE = 'simulated-keys.json';

/** A key on the simulated bench, with the USB port it is in. */
export interface PluggedKey extends VirtualKey {
  usbPath: string;
}

/**
 * The embedded bench of the station's simulated mode, and what the tests drive: virtual keys on a
 * virtual USB bus, read by a virtual license manager that records writes on the real Guardant server.
 * Scriptable for demos and training: plug, unplug, fail or spoil the next write, slow writes down.
 */
export class SimulatedBench {
  private readonly plugged = new Map<number, PluggedKey>();
  /** Every key ever made, so an unplugged key can be plugged back in. */
  private readonly made = new Map<number, VirtualKey>();
  private readonly keyFactory: VirtualKeyFactory;
  private readonly portsPerHub: number;
  private readonly stateFile: BenchStateFile | null;

  private constructor(
    readonly usb: VirtualUsb,
    readonly licenseManager: VirtualLicenseManager,
    private readonly guardant: GuardantClient,
    options: SimulatedBenchOptions,
  ) {
    this.stateFile = options.stateFile ? new BenchStateFile(options.stateFile, options.seed) : null;
    if (this.stateFile) {
      const { seed, made, keys } = this.stateFile.state;
      for (const key of keys) this.made.set(key.dongleId, key);
      this.keyFactory = new VirtualKeyFactory(seed, undefined, { made, issued: this.made.keys() });
    } else {
      this.keyFactory = new VirtualKeyFactory(options.seed ?? 1);
    }
    this.portsPerHub = options.portsPerHub ?? 10;
  }

  /** Why a saved state could not be used (the bench started afresh); null otherwise. */
  get stateProblem(): string | null {
    return this.stateFile?.problem ?? null;
  }

  static async start(options: SimulatedBenchOptions): Promise<SimulatedBench> {
    const guardant = new GuardantClient({
      baseUrl: options.server.url,
      credentials: () => ({ token: options.server.token }),
    });
    const licenseManager = await VirtualLicenseManager.start({
      guardant,
      identifyDelayMs: options.identifyDelayMs ?? 0,
      signedIds: options.signedIds ?? false,
      memoryFile: options.keyMemoryFile,
    });
    const bench = new SimulatedBench(new VirtualUsb(), licenseManager, guardant, options);
    // The keys that were in the hub when the bench stopped are still in it.
    const inHub = bench.stateFile?.state.plugged.filter((id) => bench.made.has(id)) ?? [];
    if (inHub.length) bench.replug(inHub);
    return bench;
  }

  /** Where the station's LicenseManagerClient should point. */
  get licenseManagerUrl(): string {
    return this.licenseManager.url;
  }

  /** Keys now on the bench, in the order they were plugged. */
  keys(): PluggedKey[] {
    return [...this.plugged.values()];
  }

  /** Plugs `count` new keys at once (a hub's worth arrives as one burst of USB events). */
  plug(count: number, request: KeyRequest = {}): PluggedKey[] {
    const plugged = Array.from({ length: count }, () => this.insert(this.keyFactory.next(request)));
    this.saveState();
    return plugged;
  }

  private saveState(): void {
    this.stateFile?.save(this.keyFactory.count, this.made.values(), this.plugged.keys());
  }

  /** Keys made on this bench (in this data folder, across restarts) that are not plugged in now. */
  unpluggedKeys(): VirtualKey[] {
    return [...this.made.values()].filter((k) => !this.plugged.has(k.dongleId));
  }

  /**
   * Plugs keys that were unplugged earlier back in, each into the first free port, or into the port
   * named for it (`ports[i]` for `dongleIds[i]`): an operator rarely finds the same port again.
   */
  replug(dongleIds: number[], ports: ReadonlyArray<string | undefined> = []): PluggedKey[] {
    // Every key is checked before any goes in: a refused list plugs nothing.
    const keys = dongleIds.map((id, i) => {
      const key = this.made.get(toUint32(id));
      if (!key)
        throw new RangeError(
          `Key ${toUint32(id)} was never on this bench: only keys it made can be plugged back.`,
        );
      if (this.plugged.has(key.dongleId)) throw new RangeError(`Key ${key.dongleId} is already plugged in.`);
      const port = ports[i];
      if (port !== undefined && this.usb.isPlugged(port)) throw new RangeError(`USB port ${port} is taken.`);
      return key;
    });
    const plugged = keys.map((key, i) => this.insert(key, ports[i]));
    this.saveState();
    return plugged;
  }

  /** Pulls the keys out (all of them when none are named); returns those that were plugged. */
  unplug(dongleIds?: number[]): PluggedKey[] {
    const targets = dongleIds ? dongleIds.map(toUint32) : [...this.plugged.keys()];
    const removed: PluggedKey[] = [];
    for (const id of targets) {
      const key = this.plugged.get(id);
      if (!key) continue;
      this.plugged.delete(id);
      this.usb.disconnect(key.usbPath);
      this.licenseManager.remove(id);
      removed.push(key);
    }
    if (removed.length) this.saveState();
    return removed;
  }

  /**
   * Makes the next write into the key fail. 201 and 202 happen on the device, so the license manager
   * reports them to the server; every other code is the server's decision, scripted on the server.
   */
  async failNextWrite(dongleId: number, actionResult: number): Promise<void> {
    if (!(actionResultValues as number[]).includes(actionResult) || actionResult === ActionResult.Success) {
      throw new RangeError(`${actionResult} is not a failing ActionResultCode`);
    }
    if (actionResult === ActionResult.DongleBurnFailed || actionResult === ActionResult.DongleNotFound) {
      this.licenseManager.failNextWrite(dongleId, actionResult as DeviceFailure);
      return;
    }
    await this.guardant.call('POST', '/v1.0/admin/faults', envelopes.ok, {
      body: { dongleId: toUint32(dongleId), actionResult, count: 1 },
    });
  }

  /**
   * Spoils the next successful write into the key: it reports success, and the server records one, but
   * the key then holds nothing, its previous licence, or a damaged copy (see SpoiledWrite). Only a
   * read-back (GET /v1.0/lm/dongles/{id}/licence) tells.
   */
  spoilNextWrite(dongleId: number, how: SpoiledWrite): void {
    this.licenseManager.spoilNextWrite(dongleId, how);
  }

  /** Each write into a key takes this long (listing keys stays prompt); 0 restores full speed. */
  slow(delayMs: number): void {
    this.licenseManager.slow(delayMs);
  }

  async close(): Promise<void> {
    await this.licenseManager.close();
  }

  private insert(key: VirtualKey, port = this.freePort()): PluggedKey {
    const plugged: PluggedKey = { ...key, usbPath: port };
    this.made.set(key.dongleId, key);
    this.plugged.set(key.dongleId, plugged);
    // USB sees the key first; the license manager reads it after (identifyDelayMs).
    this.usb.connect({
      vendorId: key.vendorId,
      productId: key.productId,
      serialNumber: key.serialNumber,
      port: plugged.usbPath,
    });
    this.licenseManager.insert(key, plugged.usbPath);
    return plugged;
  }

  private freePort(): string {
    for (let slot = 0; ; slot++) {
      const port = `1-${Math.floor(slot / this.portsPerHub) + 1}.${(slot % this.portsPerHub) + 1}`;
      if (!this.usb.isPlugged(port)) return port;
    }
  }
}
