// The whole station host (electron/web-host/main.ts) with `--bench real` on the fake bus: the real
// `usb` package in the host process, the simulated license manager at --lm, the reference server,
// all checked over the host's WebSocket contract as the renderer sees it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GuardantClient } from '../../electron/core/api/guardant-client';
import { VirtualKeyFactory, type VirtualKey } from '../../electron/simulated-bench/virtual-key';
import { VirtualLicenseManager } from '../../electron/simulated-bench/virtual-license-manager';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import { killHost, spawnStationHost, type HostProcess } from '../support/host-process';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';
import { FakeUsbBus, fakeUsbBusUnavailable, udevListenerUp } from './fake-usb-bus';

const skip = fakeUsbBusUnavailable();

describe.skipIf(skip)('the station host with --bench real on the fake bus', () => {
  const bus = new FakeUsbBus();
  const keys = new VirtualKeyFactory(77);
  let server: TestServer;
  let lm: VirtualLicenseManager;
  let dataDir: string;
  const hosts: HostProcess[] = [];

  beforeAll(async () => {
    await bus.clear();
    server = await startTestServer();
    lm = await VirtualLicenseManager.start({
      guardant: new GuardantClient({
        baseUrl: server.server.url,
        credentials: () => ({ token: TEST_TOKEN }),
      }),
    });
    dataDir = mkdtempSync(join(tmpdir(), 'kb-usb-host-'));
  });
  afterEach(async () => {
    for (const host of hosts.splice(0)) await killHost(host, 'SIGTERM');
    await bus.subsystem('on');
    await bus.udev('on');
    await bus.clear();
  });
  afterAll(async () => {
    bus.close();
    await lm?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function startHost(): Promise<HostProcess> {
    const host = await spawnStationHost([
      '--server',
      server.server.url,
      '--token',
      TEST_TOKEN,
      '--bench',
      'real',
      '--lm',
      lm.url,
      '--data',
      dataDir,
    ]);
    hosts.push(host);
    return host;
  }

  function next<E extends EventChannel>(host: HostProcess, event: E, check: (p: EventPayload<E>) => boolean) {
    return new Promise<EventPayload<E>>((resolve) => {
      const off = host.api.on(event, (payload) => {
        if (!check(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  /** Plugs keys into the fake bus and tells the license manager which key is in which port. */
  async function plug(ports: string[], options: { silently?: boolean } = {}): Promise<VirtualKey[]> {
    const made = ports.map(() => keys.next());
    made.forEach((key, i) => lm.insert(key, `1-${ports[i]}`));
    const devices = made.map((key, i) => ({
      port: ports[i]!,
      vendorId: key.vendorId,
      productId: key.productId,
      serial: key.serialNumber,
    }));
    if (options.silently) await bus.plugSilently(...devices);
    else await bus.plug(...devices);
    return made;
  }

  it('keys plugged on the bus appear in keys:list with the identities the license manager reads', async () => {
    const host = await startHost();
    expect(await host.api.invoke('keys:list', {})).toEqual([]);
    await expect.poll(() => udevListenerUp(host.child.pid!), { timeout: 10_000 }).toBe(true);

    const shown = next(host, 'keys:changed', (list) => list.length === 3);
    const plugged = await plug(['3.1', '3.2', '3.3.1']);
    await shown;
    const listed = await host.api.invoke('keys:list', {});
    expect(listed.map((k) => [k.dongleId, k.model, k.publicCode, k.usbPath, k.plugOrder])).toEqual(
      plugged.map((key, i) => [
        key.dongleId,
        key.model,
        key.publicCode,
        `1-${['3.1', '3.2', '3.3.1'][i]}`,
        i + 1,
      ]),
    );

    // The right key goes when it is pulled out.
    const gone = next(host, 'keys:changed', (list) => list.length === 2);
    await bus.unplug('1-3.2');
    lm.remove(plugged[1]!.dongleId);
    expect((await gone).map((k) => k.dongleId)).toEqual([plugged[0]!.dongleId, plugged[2]!.dongleId]);
    // Serials readable, hot-plug working, USB there: nothing to tell the operator.
    expect(await host.api.invoke('usb:status', {})).toMatchObject({ hotplug: 'events', notices: [] });
  });

  it('a host without USB keeps serving, says why no keys can be found, and finds them once USB is back', async () => {
    await bus.subsystem('off');
    const host = await startHost();
    const status = await host.api.invoke('usb:status', {});
    expect(status.notices.map((n) => n.code)).toEqual(['no-usb-subsystem']);
    expect((await host.api.invoke('station:info', {})).benchReady).toBe(true);
    expect((await host.api.invoke('outbox:list', {})).items).toEqual([]);

    const cleared = next(host, 'usb:changed', (s) => s.notices.length === 0);
    const shown = next(host, 'keys:changed', (list) => list.length === 1);
    await bus.subsystem('on');
    const [key] = await plug(['4']);
    await cleared;
    expect((await shown)[0]).toMatchObject({ dongleId: key!.dongleId, usbPath: '1-4' });
  });

  it('no udev daemon: the operator is asked about it, and keys plugged still show up', async () => {
    await bus.udev('off');
    const host = await startHost();
    const status = await host.api.invoke('usb:status', {});
    expect(status.hotplug).toBe('rescan-only');
    expect(status.notices).toEqual([
      expect.objectContaining({
        code: 'no-hotplug',
        title: 'USB hot-plug is not available: is the udev service running?',
      }),
    ]);
    const shown = next(host, 'keys:changed', (list) => list.length === 1);
    const [key] = await plug(['5'], { silently: true });
    expect((await shown)[0]).toMatchObject({ dongleId: key!.dongleId, usbPath: '1-5' });
  });
});
