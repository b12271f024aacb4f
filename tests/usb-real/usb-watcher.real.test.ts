// The station's USB watcher and key inventory on the REAL `usb` package (v3), against a fake kernel
// bus (fake_usb_bus.py: umockdev's sysfs + udev-style netlink messages, in private namespaces).
// One file, one bus: the tests run one after another and leave the bus empty.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyInventory, type IdentifiedKey } from '../../electron/core/inventory/key-inventory';
import { createRealUsb } from '../../electron/core/usb/real-usb';
import type { UsbLike } from '../../electron/core/usb/usb-like';
import { describeUsbStatus } from '../../electron/core/usb/usb-notices';
import { UsbWatcher, type GuardantUsbDevice } from '../../electron/core/usb/usb-watcher';
import type { LmDongle } from '../../shared/license-manager/schemas';
import { FakeUsbBus, GUARDANT, fakeUsbBusUnavailable, guardantSign, udevListenerUp } from './fake-usb-bus';

const skip = fakeUsbBusUnavailable();
if (skip) console.warn(`real-USB tests skipped: ${skip}`);

/** Short enough that a test waiting on a rescan is quick, long enough not to crowd two cores. */
const RESCAN_MS = 300;

describe.skipIf(skip)('UsbWatcher on the real usb package', () => {
  const bus = new FakeUsbBus();
  const running: Array<{ stop(): void }> = [];

  beforeAll(async () => {
    await bus.clear();
  });
  afterEach(async () => {
    for (const thing of running.splice(0)) thing.stop();
    await bus.subsystem('on');
    await bus.udev('on');
    await bus.clear();
  });
  afterAll(() => bus.close());

  async function watch(options: { rescanMs?: number } = {}) {
    const usb: UsbLike = await createRealUsb();
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: options.rescanMs ?? RESCAN_MS });
    running.push(watcher);
    return watcher;
  }

  /** The watcher's keys by port, sorted. */
  const ports = (watcher: UsbWatcher) =>
    watcher
      .devices()
      .map((d) => d.usbPath)
      .sort();

  /** Resolves once `check` holds, looked at after every change the watcher announces. */
  function until(watcher: UsbWatcher, check: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const look = () => {
        if (!check()) return;
        for (const e of ['attach', 'detach', 'scanned', 'status'] as const) watcher.off(e, look);
        resolve();
      };
      for (const e of ['attach', 'detach', 'scanned', 'status'] as const) watcher.on(e, look);
      look();
    });
  }

  /** Hot-plug needs usb v3's netlink listener, which starts a moment after start(). */
  const listening = () => expect.poll(() => udevListenerUp(process.pid), { timeout: 10_000 }).toBe(true);

  it('sees Guardant licence keys only: Rutoken, other vendors and hubs never reach the station', async () => {
    await bus.plug(
      guardantSign('1', 'GS1'),
      { port: '2', vendorId: GUARDANT, productId: 0x0020, serial: 'RUTOKEN' },
      { port: '3', vendorId: 0x046d, productId: 0xc077, serial: 'MOUSE' },
      { port: '5', vendorId: GUARDANT, productId: 0x00c1, serial: 'CP1' },
    );
    const watcher = await watch();
    await watcher.start();
    expect(watcher.devices().map((d) => [d.usbPath, d.family, d.serialNumber])).toEqual([
      ['1-1', 'sign-time', 'GS1'],
      ['1-5', 'code-pro', 'CP1'],
    ]);
    await listening();
    await bus.plug({ port: '6', vendorId: GUARDANT, productId: 0x0030, serial: 'RT2' });
    await bus.plug({ port: '7', vendorId: GUARDANT, productId: 0x000d, serial: 'CODE' });
    await until(watcher, () => ports(watcher).includes('1-7'));
    expect(ports(watcher)).toEqual(['1-1', '1-5', '1-7']);
  });

  // Finding 1: usb v3's `bus` is the bus number, the same for every key on one controller.
  it('keeps every key on one bus apart, behind hubs of several levels, and unplugs the right one', async () => {
    await bus.plug(
      guardantSign('1', 'A'),
      guardantSign('4.1', 'B'),
      guardantSign('4.2', 'C'),
      guardantSign('4.3.1', 'D'),
      guardantSign('4.3.2.7', 'E'),
    );
    const watcher = await watch();
    await watcher.start();
    expect(ports(watcher)).toEqual(['1-1', '1-4.1', '1-4.2', '1-4.3.1', '1-4.3.2.7']);
    expect(new Set(watcher.devices().map((d) => d.key)).size).toBe(5);

    await listening();
    const detached: GuardantUsbDevice[] = [];
    watcher.on('detach', (d) => detached.push(d));
    await bus.unplug('1-4.2');
    await until(watcher, () => detached.length > 0);
    expect(detached.map((d) => [d.usbPath, d.serialNumber])).toEqual([['1-4.2', 'C']]);
    expect(ports(watcher)).toEqual(['1-1', '1-4.1', '1-4.3.1', '1-4.3.2.7']);

    // A key plugged into the freed port is a new attachment, with its own serial.
    await bus.plug(guardantSign('4.2', 'F'));
    await until(watcher, () => ports(watcher).includes('1-4.2'));
    expect(watcher.devices().find((d) => d.usbPath === '1-4.2')?.serialNumber).toBe('F');
  });

  it('keys plugged while the first scan runs all end up on the bench', async () => {
    const watcher = await watch();
    const started = watcher.start();
    const plugging = (async () => {
      for (let i = 1; i <= 6; i++) await bus.plug(guardantSign(`2.${i}`, `P${i}`));
    })();
    await started;
    await plugging;
    // Whatever the hot-plug listener missed while it came up, a rescan finds.
    await until(watcher, () => watcher.devices().length === 6);
    expect(ports(watcher)).toEqual(['1-2.1', '1-2.2', '1-2.3', '1-2.4', '1-2.5', '1-2.6']);
  });

  // Finding 2: the first listener's uncaught lookup rejection killed a host without /sys/bus/usb.
  it('a host without a USB subsystem is a bench state, not a dead process, and recovers', async () => {
    await bus.subsystem('off');
    const watcher = await watch();
    await watcher.start(); // resolves: nothing to reject about
    const status = watcher.status();
    expect(status.scan).toMatchObject({ ok: false, error: expect.stringMatching(/\/sys\/bus\/usb/) });
    expect(status.listening).toBe(false);
    const shown = describeUsbStatus(status, {
      udevRunning: true,
      udevRulesPath: null,
      rescanIntervalMs: RESCAN_MS,
    });
    expect(shown.notices.map((n) => n.code)).toEqual(['no-usb-subsystem']);
    expect(shown.notices[0]!.title).toMatch(/^No USB on this computer/);

    await bus.subsystem('on');
    await bus.plug(guardantSign('3', 'BACK'));
    await until(watcher, () => ports(watcher).includes('1-3'));
    expect(watcher.status()).toMatchObject({ scan: { ok: true }, listening: true });
  });

  // Finding 3: the serialNumber getter throws when sysfs has no serial and the device cannot be opened.
  it('a key whose serial cannot be read is still on the bench, and the operator is told why', async () => {
    await bus.plug(guardantSign('1' /* no serial in sysfs: usb v3 opens the device, which fails */));
    const watcher = await watch();
    await watcher.start(); // resolves: one unreadable serial does not fail the scan
    expect(watcher.devices().map((d) => [d.usbPath, d.serialNumber])).toEqual([['1-1', null]]);
    expect(watcher.devices()[0]!.serialError).toMatch(/open/);
    const status = watcher.status();
    expect(status.unreadableSerials).toBe(1);
    const shown = describeUsbStatus(status, {
      udevRunning: true,
      udevRulesPath: '/opt/Keybench/resources/udev/70-guardant.rules',
      rescanIntervalMs: RESCAN_MS,
    });
    expect(shown.notices).toEqual([
      expect.objectContaining({
        code: 'serial-unreadable',
        command: expect.stringContaining(
          'sudo install -m 0644 /opt/Keybench/resources/udev/70-guardant.rules',
        ),
      }),
    ]);

    // Plugged later, the same: an attach, not a failure, beside a key whose serial reads fine.
    await listening();
    await bus.plug(guardantSign('2', 'READABLE'), guardantSign('3'));
    await until(watcher, () => watcher.devices().length === 3);
    expect(watcher.devices().map((d) => [d.usbPath, d.serialNumber])).toEqual([
      ['1-1', null],
      ['1-2', 'READABLE'],
      ['1-3', null],
    ]);
    expect(watcher.status().unreadableSerials).toBe(2);
  });

  // Finding 4: usb v3 hears hot-plug only from the udev daemon; without one, nothing ever arrives.
  it('without the udev daemon keys still come and go, by the periodic rescan', async () => {
    const watcher = await watch();
    await watcher.start();
    await listening();
    await bus.plugSilently(guardantSign('5.1', 'QUIET'));
    await until(watcher, () => ports(watcher).includes('1-5.1'));
    await bus.unplugSilently('1-5.1');
    await until(watcher, () => watcher.devices().length === 0);
    expect(watcher.status().hotplugSeen).toBe(false);
    const shown = describeUsbStatus(watcher.status(), {
      udevRunning: false,
      udevRulesPath: null,
      rescanIntervalMs: 2000,
    });
    expect(shown.hotplug).toBe('rescan-only');
    expect(shown.notices).toEqual([
      expect.objectContaining({
        code: 'no-hotplug',
        title: 'USB hot-plug is not available: is the udev service running?',
        command: 'systemctl status systemd-udevd',
      }),
    ]);
  });

  it('a swap in one port that no event told of is seen by the rescan as a new key', async () => {
    const watcher = await watch();
    await bus.plug(guardantSign('6', 'OLD'));
    await watcher.start();
    const detached: string[] = [];
    watcher.on('detach', (d) => detached.push(d.serialNumber ?? '?'));
    await bus.unplugSilently('1-6');
    await bus.plugSilently(guardantSign('6', 'NEW')); // same port, a new address
    await until(watcher, () => watcher.devices()[0]?.serialNumber === 'NEW');
    expect(detached).toEqual(['OLD']);
  });

  describe('KeyInventory joining the real watcher to the license manager', () => {
    /** A license manager that knows the keys by the port it is told they are in. */
    function licenseManager() {
      const byPort = new Map<string, LmDongle>();
      return {
        put(usbPath: string, dongleId: number) {
          byPort.set(usbPath, {
            dongleId,
            dongleModel: 2,
            publicCode: 1368487351,
            typeFlags: 0,
            netResource: 0,
            driverType: 1,
            usbPath,
            serialNumber: null,
          } as LmDongle);
        },
        drop(usbPath: string) {
          byPort.delete(usbPath);
        },
        listDongles: async () => [...byPort.values()],
      };
    }

    async function inventory(lm: ReturnType<typeof licenseManager>) {
      // Events only: the fake bus writes a hub's sysfs entries one by one over a second before it
      // announces them, and a rescan in between would find half a hub (a real hub's keys are
      // announced as each one is enumerated).
      const watcher = await watch({ rescanMs: 0 });
      const inv = new KeyInventory({ usb: watcher, licenseManager: lm });
      running.push(inv);
      const emissions: IdentifiedKey[][] = [];
      inv.on('changed', (keys) => emissions.push(keys));
      await inv.start();
      await inv.whenSettled();
      await listening();
      return { inv, emissions };
    }

    const changed = (inv: KeyInventory) =>
      new Promise<IdentifiedKey[]>((resolve) => inv.once('changed', resolve));

    it('a hub of 50 keys plugged at once settles into one update with all 50, each at its port', async () => {
      const lm = licenseManager();
      const { inv, emissions } = await inventory(lm);
      const hub = Array.from({ length: 50 }, (_, i) =>
        guardantSign(`7.${Math.floor(i / 7) + 1}.${(i % 7) + 1}`, `H${i}`),
      );
      hub.forEach((d, i) => lm.put(`1-${d.port}`, 5000 + i));
      const next = changed(inv);
      await bus.plug(...hub);
      const keys = await next;
      await inv.whenSettled();
      expect(emissions).toHaveLength(1);
      expect(keys).toHaveLength(50);
      expect(keys.map((k) => [k.dongleId, k.usbPath])).toEqual(hub.map((d, i) => [5000 + i, `1-${d.port}`]));
    });

    it('a key moved to another port is a new attachment: the license manager says it is the same key', async () => {
      const lm = licenseManager();
      const { inv } = await inventory(lm);
      lm.put('1-8.1', 42);
      lm.put('1-8.2', 43);
      let next = changed(inv);
      await bus.plug(guardantSign('8.1', 'K42'), guardantSign('8.2', 'K43'));
      expect((await next).map((k) => [k.dongleId, k.usbPath, k.plugOrder])).toEqual([
        [42, '1-8.1', 1],
        [43, '1-8.2', 2],
      ]);

      next = changed(inv);
      await bus.unplug('1-8.1');
      lm.drop('1-8.1');
      expect((await next).map((k) => k.dongleId)).toEqual([43]); // the right key went

      lm.put('1-9', 42);
      next = changed(inv);
      await bus.plug(guardantSign('9', 'K42'));
      expect((await next).map((k) => [k.dongleId, k.usbPath, k.plugOrder])).toEqual([
        [43, '1-8.2', 2],
        [42, '1-9', 3],
      ]);
    });
  });
});
