import { EventEmitter } from 'node:events';
import { toUint32 } from '../../../shared/guardant/numbers';
import type { LmDongle } from '../../../shared/license-manager/schemas';
import type { AttachedKey } from '../../../shared/station/models';
import { LicenseManagerError } from '../license-manager/license-manager-error';
import { canonicalPortPath } from '../usb/port-path';
import type { GuardantUsbDevice, UsbWatcher } from '../usb/usb-watcher';

/** A key on the bench whose identity the license manager has read. */
export type IdentifiedKey = Pick<
  AttachedKey,
  | 'dongleId'
  | 'model'
  | 'publicCode'
  | 'typeFlags'
  | 'netResource'
  | 'driverType'
  | 'usbPath'
  | 'plugOrder'
  | 'pluggedAt'
>;

export interface KeyInventoryEvents {
  /** The whole list after a settle that changed it, in plug order. */
  changed: [IdentifiedKey[]];
  /** The license manager could not be asked; the list keeps its last good state. */
  'lm-error': [LicenseManagerError];
}

/** What the inventory needs from USB: UsbWatcher, or anything shaped like it. */
export type UsbPresence = Pick<UsbWatcher, 'start' | 'stop' | 'devices' | 'on' | 'off'>;

export interface KeyInventoryOptions {
  /** Started and stopped with the inventory. */
  usb: UsbPresence;
  licenseManager: { listDongles(): Promise<LmDongle[]> };
  /** A burst of plug events settles once no event came for this long… */
  quietMs?: number;
  /** …or once the burst has lasted this long, so a never-ending trickle still shows up. */
  maxWaitMs?: number;
  /** How often to ask again for keys plugged but not yet read by the license manager. */
  repollAttempts?: number;
  repollDelayMs?: number;
}

interface Slot {
  device: GuardantUsbDevice;
  plugOrder: number;
  /** Null until the license manager has identified the device. */
  key: IdentifiedKey | null;
  /** When the slot appeared, in attach order: an answer asked for before then is about another key. */
  born: number;
}

/** While a key stays unread after the quick re-polls, keep asking, ever slower, up to this often. */
const SLOW_POLL_MAX_MS = 10_000;

/**
 * The keys on the bench: USB presence joined with the identities the license manager reads, by USB
 * port path (or serial number where there is no path). A burst of hot-plug events, such as a hub of
 * fifty keys, settles into one question to the license manager and one 'changed' emission. A key is
 * shown only once identified, and disappears as soon as it is unplugged.
 */
export class KeyInventory extends EventEmitter<KeyInventoryEvents> {
  private readonly slots = new Map<string, Slot>();
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly repollAttempts: number;
  private readonly repollDelayMs: number;
  private nextPlugOrder = 1;
  private running = false;
  private burstStartedAt: number | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private repollTimer: NodeJS.Timeout | null = null;
  private repollsLeft = 0;
  /** Outside the settle accounting: a key the license manager cannot read must not hold whenSettled. */
  private slowPollTimer: NodeJS.Timeout | null = null;
  private slowPollDelayMs = 0;
  private attachCount = 0;
  private inFlight: Promise<void> | null = null;
  private settleAgain = false;
  /** The list changed since it was last emitted. */
  private dirty = false;
  private waiters: Array<() => void> = [];
  private error: LicenseManagerError | null = null;

  constructor(private readonly options: KeyInventoryOptions) {
    super();
    this.quietMs = options.quietMs ?? 100;
    this.maxWaitMs = options.maxWaitMs ?? 1_000;
    this.repollAttempts = options.repollAttempts ?? 5;
    this.repollDelayMs = options.repollDelayMs ?? 200;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.options.usb.on('attach', this.onAttach);
    this.options.usb.on('detach', this.onDetach);
    await this.options.usb.start();
    // A watcher started by someone else does not replay its devices as 'attach'.
    for (const device of this.options.usb.devices()) this.onAttach(device);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.options.usb.off('attach', this.onAttach);
    this.options.usb.off('detach', this.onDetach);
    this.options.usb.stop();
    this.clearTimers();
    this.slots.clear();
    this.notifyIfSettled();
  }

  /** Identified keys in plug order. */
  keys(): IdentifiedKey[] {
    return [...this.slots.values()]
      .flatMap((slot) => (slot.key ? [{ ...slot.key }] : []))
      .sort((a, b) => a.plugOrder - b.plugOrder);
  }

  /** One identified key by id (signed or unsigned), without building and sorting the whole list. */
  key(dongleId: number): IdentifiedKey | null {
    const id = toUint32(dongleId);
    for (const slot of this.slots.values()) if (slot.key?.dongleId === id) return { ...slot.key };
    return null;
  }

  isPresent(dongleId: number): boolean {
    return this.key(dongleId) !== null;
  }

  /** Keys on USB that the license manager has not identified (yet): "3 keys being read". */
  unidentifiedCount(): number {
    let count = 0;
    for (const slot of this.slots.values()) if (!slot.key) count++;
    return count;
  }

  /** Why the last question to the license manager failed; null once it answers again. */
  get lastError(): LicenseManagerError | null {
    return this.error;
  }

  /** Resolves when no settle is pending, running or due for a re-poll. */
  whenSettled(): Promise<void> {
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private readonly onAttach = (device: GuardantUsbDevice): void => {
    if (this.slots.has(device.key)) return;
    this.slots.set(device.key, {
      device,
      plugOrder: this.nextPlugOrder++,
      key: null,
      born: ++this.attachCount,
    });
    this.repollsLeft = this.repollAttempts;
    this.slowPollDelayMs = 0;
    this.schedule();
  };

  private readonly onDetach = (device: GuardantUsbDevice): void => {
    const slot = this.slots.get(device.key);
    if (!slot) return;
    this.slots.delete(device.key);
    if (slot.key) this.dirty = true;
    this.schedule();
  };

  /** Debounce: a quiet window, capped by a maximum wait from the first event of the burst. */
  private schedule(): void {
    if (!this.running) return;
    const now = Date.now();
    this.burstStartedAt ??= now;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    const wait = Math.max(0, Math.min(this.quietMs, this.burstStartedAt + this.maxWaitMs - now));
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.burstStartedAt = null;
      this.settle();
    }, wait);
  }

  private settle(): void {
    if (!this.running) return;
    if (this.inFlight) {
      // Events that came in while the license manager was being asked get their own settle after it.
      this.settleAgain = true;
      return;
    }
    if (this.repollTimer) {
      clearTimeout(this.repollTimer);
      this.repollTimer = null;
    }
    this.inFlight = this.identifyAndEmit().finally(() => {
      this.inFlight = null;
      if (this.settleAgain) {
        this.settleAgain = false;
        this.settle();
      }
      this.notifyIfSettled();
    });
  }

  private async identifyAndEmit(): Promise<void> {
    if (this.unidentifiedCount() > 0) {
      const askedAt = this.attachCount;
      try {
        this.join(await this.options.licenseManager.listDongles(), askedAt);
        this.error = null;
      } catch (error) {
        this.error =
          error instanceof LicenseManagerError
            ? error
            : new LicenseManagerError('UNREACHABLE', error instanceof Error ? error.message : String(error));
        if (this.running) this.emit('lm-error', this.error);
      }
    }
    if (!this.running) return;
    if (this.dirty) {
      this.dirty = false;
      this.emit('changed', this.keys());
    }
    // The license manager reads a freshly plugged key a moment after USB sees it.
    if (this.unidentifiedCount() > 0 && this.repollsLeft > 0 && !this.settleAgain) {
      this.repollsLeft--;
      this.repollTimer = setTimeout(() => {
        this.repollTimer = null;
        this.settle();
      }, this.repollDelayMs);
    } else if (this.unidentifiedCount() > 0 && !this.settleAgain && !this.slowPollTimer) {
      // The license manager is down or slow to read a key: keep asking, backing off, so the key shows
      // up on its own once it can be read rather than waiting for the next USB event.
      this.slowPollDelayMs = Math.min(
        SLOW_POLL_MAX_MS,
        Math.max(this.repollDelayMs, this.slowPollDelayMs * 2),
      );
      this.slowPollTimer = setTimeout(() => {
        this.slowPollTimer = null;
        this.settle();
      }, this.slowPollDelayMs);
      this.slowPollTimer.unref?.();
    }
  }

  /**
   * Matches the license manager's list onto the slots still plugged now (some may have gone meanwhile).
   * Only slots that existed when the list was asked for take part: a key swapped into the same port
   * during the call must not inherit the identity of the key that left it.
   */
  private join(dongles: LmDongle[], askedAt: number): void {
    const byPath = new Map<string, LmDongle>();
    const bySerial = new Map<string, LmDongle>();
    for (const dongle of dongles) {
      // The watcher's path is USB's port path ("1-4.1"); the license manager's is the same port, maybe spelt
      // differently ("001-4.1").
      if (dongle.usbPath) byPath.set(canonicalPortPath(dongle.usbPath), dongle);
      if (dongle.serialNumber) bySerial.set(dongle.serialNumber, dongle);
    }
    for (const slot of this.slots.values()) {
      if (slot.born > askedAt) continue;
      const { usbPath, serialNumber } = slot.device;
      const dongle = (usbPath && byPath.get(usbPath)) || (serialNumber && bySerial.get(serialNumber)) || null;
      // A key the license manager no longer lists but USB still shows keeps its last identity.
      if (!dongle) continue;
      // Same port, different key: the license manager's list is older than the plug; ask again.
      if (serialNumber && dongle.serialNumber && serialNumber !== dongle.serialNumber) continue;
      const key: IdentifiedKey = {
        dongleId: dongle.dongleId,
        model: dongle.dongleModel,
        publicCode: dongle.publicCode,
        typeFlags: dongle.typeFlags,
        netResource: dongle.netResource,
        driverType: dongle.driverType,
        usbPath: usbPath ?? dongle.usbPath,
        plugOrder: slot.plugOrder,
        pluggedAt: slot.device.attachedAt,
      };
      if (!slot.key || !sameKey(slot.key, key)) {
        slot.key = key;
        this.dirty = true;
      }
    }
  }

  private isSettled(): boolean {
    return !this.running || (!this.settleTimer && !this.repollTimer && !this.inFlight);
  }

  private notifyIfSettled(): void {
    if (!this.isSettled()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private clearTimers(): void {
    if (this.slowPollTimer) clearTimeout(this.slowPollTimer);
    this.slowPollTimer = null;
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.repollTimer) clearTimeout(this.repollTimer);
    this.settleTimer = null;
    this.repollTimer = null;
    this.burstStartedAt = null;
  }
}

function sameKey(a: IdentifiedKey, b: IdentifiedKey): boolean {
  return (Object.keys(a) as Array<keyof IdentifiedKey>).every((field) => a[field] === b[field]);
}
