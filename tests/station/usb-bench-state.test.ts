import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedDefault, type EmbeddedDefault } from '../../electron/startup/embedded-default';
import { createStation, type Station } from '../../electron/core/station';
import { deviceNodeAccess } from '../../electron/core/usb/device-access';
import { udevDaemonRunning } from '../../electron/core/usb/udev-probe';
import { VirtualUsb } from '../../electron/simulated-bench/virtual-usb';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import type { AttachedKey, UsbStatus } from '../../shared/station/models';

/** usb v3's own words on a host without /sys/bus/usb, and without permission to open a device. */
const NO_SUBSYSTEM = 'getDevices error: /sys/bus/usb/devices/ not found (errno 2)';
const NO_PERMISSION = 'open error: Permission denied (errno 13)';
const RULES = '/opt/Keybench/resources/udev/70-guardant.rules';

/**
 * The station on a "real" bench whose USB is a VirtualUsb with the host's problems scripted: no USB
 * subsystem, keys that cannot be opened, no udev daemon. The license manager is the simulated one,
 * told about each key the test plugs.
 */
describe('the bench state of the host USB, through the station contract', () => {
  const open: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close();
  });

  async function station(options: {
    usb: VirtualUsb;
    udevRunning?: boolean;
    deviceAccess?: (where: { busNumber: number; address: number }) => 'ok' | 'denied' | 'unknown';
  }) {
    const dataDir = mkdtempSync(join(tmpdir(), 'kb-usb-state-'));
    const embedded: EmbeddedDefault = await startEmbeddedDefault({
      dataDir: join(dataDir, 'server'),
      initialKeys: 0,
    });
    const station: Station = await createStation({
      dataDir,
      host: 'browser',
      serverUrl: embedded.serverUrl,
      credentials: { token: embedded.token },
      bench: {
        kind: 'real',
        usb: options.usb,
        licenseManagerUrl: embedded.bench.licenseManagerUrl,
        udevRulesPath: RULES,
        udevRunning: () => options.udevRunning ?? true,
        deviceAccess: options.deviceAccess ?? (() => 'unknown'),
      },
      timing: { usbRescanMs: 50, usbRescanWithoutHotplugMs: 50, inventoryQuietMs: 5, probeIntervalMs: 100 },
    });
    open.push(async () => {
      await station.close();
      await embedded.close();
      rmSync(dataDir, { recursive: true, force: true });
    });
    await station.ready;
    const invoke = async <T>(channel: string): Promise<T> => {
      const result = await station.dispatch(channel, {});
      if (!result.ok) throw new Error(result.error.message);
      return result.value as T;
    };
    const next = <E extends EventChannel>(event: E, predicate: (p: EventPayload<E>) => boolean) =>
      new Promise<EventPayload<E>>((resolve) => {
        const off = station.events.on(event, (payload) => {
          if (!predicate(payload)) return;
          off();
          resolve(payload);
        });
      });
    /**
     * Plugs a key on USB and tells the simulated license manager it is in that port. `readable`: USB
     * gives its serial; else reading it throws `readable`.
     */
    const plug = (port: string, readable: true | Error, quietly = false) => {
      const [key] = embedded.bench.plug(1); // makes a key (on the simulated bench's own bus)…
      embedded.bench.licenseManager.insert(key!, port); // …and the license manager reads it at `port`
      const serialNumber = readable === true ? key!.serialNumber : readable;
      const plugged = { vendorId: key!.vendorId, productId: key!.productId, serialNumber, port };
      if (quietly) options.usb.connectQuietly(plugged);
      else options.usb.connect(plugged);
      return key!;
    };
    return { station, invoke, next, plug };
  }

  it('no USB subsystem: the station runs, says so in plain words, and finds keys once USB is there', async () => {
    let subsystem = false;
    const usb = new VirtualUsb({ failScan: () => (subsystem ? null : new Error(NO_SUBSYSTEM)) });
    const { invoke, next, plug } = await station({ usb });

    const status = await invoke<UsbStatus>('usb:status');
    expect(status.notices).toEqual([
      expect.objectContaining({
        code: 'no-usb-subsystem',
        severity: 'error',
        title: expect.stringMatching(/^No USB on this computer/),
      }),
    ]);
    // The rest of the station keeps working.
    expect((await invoke<{ orders: unknown[] }>('orders:list')).orders.length).toBeGreaterThan(0);

    subsystem = true;
    const cleared = next('usb:changed', (s) => s.notices.length === 0);
    const shown = next('keys:changed', (keys) => keys.length === 1);
    const key = plug('2-3.1', true, true);
    await cleared;
    expect((await shown).map((k: AttachedKey) => [k.dongleId, k.usbPath])).toEqual([[key.dongleId, '2-3.1']]);
  });

  it('a key that cannot be opened: it is listed by its port, and the operator is told to install the rule', async () => {
    const usb = new VirtualUsb();
    const { invoke, next, plug } = await station({ usb });
    const warned = next('usb:changed', (s) => s.notices.some((n) => n.code === 'no-permission'));
    const shown = next('keys:changed', (keys) => keys.length === 2);
    const readable = plug('1-4.1', true);
    const locked = plug('1-4.2', new Error(NO_PERMISSION));
    const status = await warned;
    expect(status.notices).toEqual([
      {
        code: 'no-permission',
        severity: 'warning',
        title: 'No permission to read Guardant keys: install the udev rule',
        detail: expect.stringContaining('This user may not open 1 key'),
        command: `sudo install -m 0644 ${RULES} /etc/udev/rules.d/ && sudo udevadm control --reload-rules && sudo udevadm trigger`,
      },
    ]);
    expect((await shown).map((k: AttachedKey) => [k.dongleId, k.usbPath])).toEqual([
      [readable.dongleId, '1-4.1'],
      [locked.dongleId, '1-4.2'],
    ]);
    expect((await invoke<UsbStatus>('usb:status')).notices.map((n) => n.code)).toEqual(['no-permission']);
  });

  it('a key whose device node this user may not open: the rule is missing, even with its serial in sysfs', async () => {
    const usb = new VirtualUsb();
    // /dev/bus/usb/001/NNN as the kernel leaves it without the rule: root only, except the first key.
    const { next, plug } = await station({
      usb,
      deviceAccess: ({ address }) => (address === 2 ? 'ok' : 'denied'),
    });
    const warned = next('usb:changed', (s) => s.notices.some((n) => n.detail.includes('2 keys')));
    plug('1-1', true);
    plug('1-2', true);
    plug('1-3', true);
    expect((await warned).notices).toEqual([
      expect.objectContaining({
        code: 'no-permission',
        title: 'No permission to read Guardant keys: install the udev rule',
        detail: expect.stringContaining('may not open 2 keys'),
      }),
    ]);
  });

  it('no udev daemon: the operator is asked whether it runs, and keys still show up by the rescan', async () => {
    const usb = new VirtualUsb();
    const { invoke, next, plug } = await station({ usb, udevRunning: false });
    const status = await invoke<UsbStatus>('usb:status');
    expect(status).toMatchObject({ hotplug: 'rescan-only', rescanIntervalMs: 50 });
    expect(status.notices).toEqual([
      expect.objectContaining({
        code: 'no-hotplug',
        title: 'USB hot-plug is not available: is the udev service running?',
        command: 'systemctl status systemd-udevd',
      }),
    ]);
    const shown = next('keys:changed', (keys) => keys.length === 1);
    const key = plug('1-2', true, true);

    expect((await shown)[0]).toMatchObject({ dongleId: key.dongleId, usbPath: '1-2' });
  });
});

describe('host probes behind the USB notices', () => {
  it('udev runs where its control socket is, and is no question off Linux', () => {
    expect(udevDaemonRunning('linux', (path) => path === '/run/udev/control')).toBe(true);
    expect(udevDaemonRunning('linux', () => false)).toBe(false);
    expect(udevDaemonRunning('win32', () => false)).toBeNull();
  });

  it('a device node that is not there tells nothing about permission', () => {
    expect(deviceNodeAccess({ busNumber: 999, address: 127 }, 'linux')).toBe('unknown');
    expect(deviceNodeAccess({ busNumber: 1, address: 2 }, 'darwin')).toBe('unknown');
  });
});
