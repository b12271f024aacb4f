import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeyInventory, type IdentifiedKey } from '../../electron/core/inventory/key-inventory';
import { LicenseManagerClient } from '../../electron/core/license-manager/license-manager-client';
import { LicenseManagerError } from '../../electron/core/license-manager/license-manager-error';
import { UsbWatcher, type GuardantUsbDevice } from '../../electron/core/usb/usb-watcher';
import { SimulatedBench, type SimulatedBenchOptions } from '../../electron/simulated-bench/simulated-bench';
import { VirtualUsb, type VirtualPlug } from '../../electron/simulated-bench/virtual-usb';
import { DongleModel } from '../../shared/guardant/codes';
import { GUARDANT_VENDOR_ID } from '../../shared/guardant/usb-ids';
import { startTestServer, TEST_TOKEN, type TestServer } from '../support/server-harness';

const GUARDANT = GUARDANT_VENDOR_ID;
const signKey = (port: string, serialNumber: string | null = null): VirtualPlug => ({
  vendorId: GUARDANT,
  productId: 0x0008,
  serialNumber,
  port,
});
const rutoken = (port: string): VirtualPlug => ({
  vendorId: GUARDANT,
  productId: 0x0020,
  serialNumber: 'RT',
  port,
});
const mouse = (port: string): VirtualPlug => ({
  vendorId: 0x046d,
  productId: 0xc077,
  serialNumber: null,
  port,
});

function record(watcher: UsbWatcher) {
  const log: string[] = [];
  watcher.on('attach', (d: GuardantUsbDevice) => log.push(`+${d.usbPath}`));
  watcher.on('detach', (d: GuardantUsbDevice) => log.push(`-${d.usbPath}`));
  return log;
}

describe('UsbWatcher', () => {
  it('sees only Guardant licence keys: Rutoken and other vendors never reach the station', async () => {
    const usb = new VirtualUsb();
    usb.connect(signKey('1-1.1'));
    usb.connect(rutoken('1-1.2'));
    usb.connect(mouse('1-1.3'));
    usb.connect({ vendorId: GUARDANT, productId: 0x00c1, serialNumber: null, port: '1-1.4' }); // Code Pro
    const watcher = new UsbWatcher(usb);
    const log = record(watcher);

    await watcher.start();
    expect(log).toEqual(['+1-1.1', '+1-1.4']);
    expect(watcher.devices().map((d) => d.family)).toEqual(['sign-time', 'code-pro']);

    usb.connect({ vendorId: GUARDANT, productId: 0x000d, serialNumber: null, port: '2-1' }); // Code
    usb.connect(rutoken('2-2'));
    usb.connect(mouse('2-3'));
    usb.disconnect('1-1.1');
    usb.disconnect('1-1.2');
    expect(log).toEqual(['+1-1.1', '+1-1.4', '+2-1', '-1-1.1']);
    expect(watcher.devices().map((d) => d.usbPath)).toEqual(['1-1.4', '2-1']);
    watcher.stop();
  });

  it('reports each change once when the OS repeats events', async () => {
    const usb = new VirtualUsb();
    const watcher = new UsbWatcher(usb);
    const log = record(watcher);
    await watcher.start();
    const device = usb.connect(signKey('3-1'));
    usb.dispatch('connect', device);
    usb.dispatch('connect', { ...device, serialNumber: null });
    usb.disconnect('3-1');
    usb.dispatch('disconnect', device);
    expect(log).toEqual(['+3-1', '-3-1']);
    watcher.stop();
  });

  it('a device without a usable location is tracked by the device object usb v3 hands to both events', async () => {
    const usb = new VirtualUsb();
    const watcher = new UsbWatcher(usb);
    await watcher.start();
    const odd = {
      vendorId: GUARDANT,
      productId: 0x0009,
      serialNumber: 'ABC',
      bus: '',
      ports: [],
      address: 0,
    };
    usb.dispatch('connect', odd);
    expect(watcher.devices().map((d) => d.key)).toEqual([expect.stringMatching(/^device:/)]);
    usb.dispatch('disconnect', odd);
    expect(watcher.devices()).toEqual([]);
    watcher.stop();
  });

  it('keys plugged or pulled during the initial scan end up right, announced once', async () => {
    const usb = new VirtualUsb({ scanDelayMs: 50 });
    usb.connect(signKey('1-1'));
    usb.connect(signKey('1-2'));
    const watcher = new UsbWatcher(usb);
    const log = record(watcher);
    const started = watcher.start();
    usb.disconnect('1-1'); // in the snapshot, gone by the end of the scan
    usb.connect(signKey('1-3')); // not in the snapshot
    usb.dispatch(
      'connect',
      usb.plugged().find((d) => d.port === '1-2')!,
    ); // a repeat of one that is
    await started;
    expect(log).toEqual(['+1-2', '+1-3']);
    expect(watcher.devices().map((d) => d.usbPath)).toEqual(['1-2', '1-3']);
    watcher.stop();
  });
});

describe('UsbWatcher on the shape usb v3 really gives', () => {
  /** Resolves once `check` holds, looked at after every change the watcher announces. */
  const until = (watcher: UsbWatcher, check: () => boolean) =>
    new Promise<void>((resolve) => {
      const look = () => {
        if (!check()) return;
        for (const e of ['attach', 'detach', 'scanned'] as const) watcher.off(e, look);
        resolve();
      };
      for (const e of ['attach', 'detach', 'scanned'] as const) watcher.on(e, look);
      look();
    });

  it('keeps every key on one bus apart, however deep its hub, and unplugs the right one', async () => {
    const usb = new VirtualUsb();
    for (const port of ['1-1', '1-4.1', '1-4.2', '1-4.3.1', '1-4.3.2.7']) usb.connect(signKey(port));
    expect(new Set(usb.plugged().map((d) => d.bus))).toEqual(new Set(['001'])); // one bus number for all
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: 0 });
    const log = record(watcher);
    await watcher.start();
    expect(watcher.devices().map((d) => d.usbPath)).toEqual([
      '1-1',
      '1-4.1',
      '1-4.2',
      '1-4.3.1',
      '1-4.3.2.7',
    ]);
    usb.disconnect('1-4.2');
    expect(log.at(-1)).toBe('-1-4.2');
    expect(watcher.devices()).toHaveLength(4);
    watcher.stop();
  });

  it('a new plug in a port whose unplug never came replaces the old key; a late unplug of it is ignored', async () => {
    const usb = new VirtualUsb();
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: 0 });
    const log = record(watcher);
    await watcher.start();
    const first = usb.connect(signKey('2-1', 'A'));
    usb.disconnect('2-1', { quietly: true });
    const second = usb.connect(signKey('2-1', 'B')); // a new address in the same port
    expect(second.address).not.toBe(first.address);
    usb.dispatch('disconnect', first); // the lost unplug, arriving late
    expect(log).toEqual(['+2-1', '-2-1', '+2-1']);
    expect(watcher.devices().map((d) => d.serialNumber)).toEqual(['B']);
    watcher.stop();
  });

  it('no USB subsystem: start() resolves, nothing listens until a scan works, then keys are found', async () => {
    let subsystem = false;
    const usb = new VirtualUsb({
      failScan: () =>
        subsystem ? null : new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)'),
    });
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: 10 });
    await watcher.start();
    expect(watcher.status()).toMatchObject({ scan: { ok: false }, listening: false });
    // usb v3's first listener starts a lookup whose rejection nobody catches: none may be added yet.
    expect(usb.listenerCount()).toBe(0);
    subsystem = true;
    usb.connectQuietly(signKey('1-2'));
    await until(watcher, () => watcher.devices().length === 1);
    expect(watcher.status()).toMatchObject({ scan: { ok: true }, listening: true });
    expect(usb.listenerCount()).toBe(2);
    watcher.stop();
    expect(usb.listenerCount()).toBe(0);
  });

  it('a serial number that throws costs the key its serial, not the bench its scan', async () => {
    const usb = new VirtualUsb();
    usb.connect(signKey('1-1', 'OK'));
    usb.connect({ ...signKey('1-2'), serialNumber: new Error('open error: Permission denied (errno 13)') });
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: 0 });
    await watcher.start();
    expect(watcher.devices().map((d) => [d.usbPath, d.serialNumber, d.serialError])).toEqual([
      ['1-1', 'OK', null],
      ['1-2', null, 'open error: Permission denied (errno 13)'],
    ]);
    expect(watcher.status()).toMatchObject({ unreadableSerials: 1, serialError: /Permission denied/ });
    watcher.stop();
  });

  it('without hot-plug events, the periodic rescan still brings keys in and takes them out', async () => {
    const usb = new VirtualUsb();
    const watcher = new UsbWatcher(usb, { rescanIntervalMs: 10 });
    await watcher.start();
    usb.connectQuietly(signKey('3-1'));
    await until(watcher, () => watcher.devices().length === 1);
    usb.disconnect('3-1', { quietly: true });
    await until(watcher, () => watcher.devices().length === 0);
    expect(watcher.status().hotplugSeen).toBe(false);
    watcher.stop();
  });
});

describe('KeyInventory over the simulated bench', () => {
  let server: TestServer;
  const open: Array<{ close(): unknown }> = [];

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());
  afterEach(async () => {
    for (const thing of open.splice(0).reverse()) await thing.close();
  });

  async function station(options: Partial<SimulatedBenchOptions> = {}) {
    const bench = await SimulatedBench.start({
      server: { url: server.server.url, token: TEST_TOKEN },
      ...options,
    });
    const inventory = new KeyInventory({
      usb: new UsbWatcher(bench.usb),
      licenseManager: new LicenseManagerClient({ baseUrl: bench.licenseManagerUrl }),
    });
    open.push(bench, { close: () => inventory.stop() });
    const emissions: IdentifiedKey[][] = [];
    inventory.on('changed', (keys) => emissions.push(keys));
    await inventory.start();
    await inventory.whenSettled();
    return { bench, inventory, emissions };
  }

  it('shows each plugged key with the identity the license manager reads, numbered in plug order', async () => {
    const { bench, inventory } = await station();
    const plugged = bench.plug(4);
    expect(plugged.map((k) => k.model)).toEqual([
      DongleModel.SIGN,
      DongleModel.TIME,
      DongleModel.CODE,
      DongleModel.CODE_TIME,
    ]);
    await inventory.whenSettled();

    const keys = inventory.keys();
    expect(keys).toEqual(
      plugged.map((k, i) => ({
        dongleId: k.dongleId,
        model: k.model,
        publicCode: k.publicCode,
        typeFlags: k.typeFlags,
        netResource: k.netResource,
        driverType: k.driverType,
        usbPath: k.usbPath,
        plugOrder: i + 1,
        pluggedAt: expect.any(Number),
      })),
    );
    expect(keys.map((k) => k.usbPath)).toEqual(['1-1.1', '1-1.2', '1-1.3', '1-1.4']);
    expect(inventory.isPresent(plugged[2]!.dongleId)).toBe(true);
  });

  it('shows ids the license manager lists signed as the unsigned number engraved on the key', async () => {
    const { bench, inventory } = await station({ signedIds: true, seed: 7 });
    const plugged = bench.plug(8);
    const raw = await (await fetch(`${bench.licenseManagerUrl}/v1.0/lm/dongles`)).json();
    expect(raw.dongles.some((d: { dongleId: number }) => d.dongleId < 0)).toBe(true);

    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual(plugged.map((k) => k.dongleId));
    expect(inventory.keys().every((k) => k.dongleId > 0)).toBe(true);
    const negative = raw.dongles.find((d: { dongleId: number }) => d.dongleId < 0).dongleId;
    expect(inventory.isPresent(negative)).toBe(true);
  });

  it('a hub of 50 keys plugged at once shows up in one update with all 50', async () => {
    const { bench, inventory, emissions } = await station();
    const plugged = bench.plug(50);
    await inventory.whenSettled();
    expect(emissions).toHaveLength(1);
    expect(emissions[0]!.map((k) => k.dongleId)).toEqual(plugged.map((k) => k.dongleId));
    expect(emissions[0]!.map((k) => k.plugOrder)).toEqual(plugged.map((_, i) => i + 1));
    expect(new Set(plugged.map((k) => k.model))).toEqual(new Set([2, 3, 4, 5]));
    expect(plugged.some((k) => k.netResource > 0)).toBe(true);
  });

  it('keys plugged one after another without pause show up while the plugging still goes on', async () => {
    const { bench, inventory, emissions } = await station();
    let shownWhilePlugging = false;
    let plugging = true;
    inventory.on('changed', () => (shownWhilePlugging ||= plugging));
    for (let i = 0; i < 30; i++) {
      bench.plug(1);
      await new Promise((r) => setTimeout(r, 40)); // never quiet for the 100 ms window
    }
    plugging = false;
    await inventory.whenSettled();
    // The maximum wait caps the debounce: a trickle that never pauses is not held back until it ends.
    expect(shownWhilePlugging).toBe(true);
    expect(emissions.length).toBeLessThan(10);
    expect(inventory.keys()).toHaveLength(30);
  });

  it('an unplugged key disappears; the others keep their numbers; a new key gets the next one', async () => {
    const { bench, inventory, emissions } = await station();
    const [first, second, third] = bench.plug(3);
    await inventory.whenSettled();
    bench.unplug([second!.dongleId]);
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => [k.dongleId, k.plugOrder])).toEqual([
      [first!.dongleId, 1],
      [third!.dongleId, 3],
    ]);
    expect(inventory.isPresent(second!.dongleId)).toBe(false);

    const [fourth] = bench.plug(1);
    await inventory.whenSettled();
    // The new key takes the freed port, yet is a different key with its own number.
    expect(fourth!.usbPath).toBe(second!.usbPath);
    expect(inventory.keys().at(-1)).toMatchObject({ dongleId: fourth!.dongleId, plugOrder: 4 });

    bench.unplug();
    await inventory.whenSettled();
    expect(inventory.keys()).toEqual([]);
    expect(emissions.at(-1)).toEqual([]);
  });

  it('a key the license manager has not read yet is not shown half-identified, and appears once read', async () => {
    const { bench, inventory, emissions } = await station({ identifyDelayMs: 300 });
    const [key] = bench.plug(1);
    // USB has it, the license manager does not yet.
    await new Promise((r) => setTimeout(r, 150));
    expect(inventory.keys()).toEqual([]);
    expect(inventory.unidentifiedCount()).toBe(1);
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual([key!.dongleId]);
    expect(emissions).toHaveLength(1);
    expect(inventory.unidentifiedCount()).toBe(0);
  });
});

/** A license manager that answers whatever the test says. */
async function scriptedLicenseManager() {
  let answer: { status: number; body: string } = { status: 200, body: '{"dongles":[]}' };
  const server: Server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    answer(status: number, body: unknown) {
      answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const lmDongle = (dongleId: number, usbPath: string) => ({
  dongleId,
  dongleModel: 2,
  publicCode: 1368487351,
  typeFlags: 0,
  netResource: 0,
  driverType: 1,
  usbPath,
});

describe('LicenseManagerClient against a misbehaving license manager', () => {
  let lm: Awaited<ReturnType<typeof scriptedLicenseManager>>;
  beforeAll(async () => {
    lm = await scriptedLicenseManager();
  });
  afterAll(() => lm.close());

  const failure = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LicenseManagerError);
    return error as LicenseManagerError;
  };

  it('normalises signed ids to unsigned', async () => {
    lm.answer(200, {
      dongles: [lmDongle(-1359759134, '1-1'), { ...lmDongle(991846791, '1-2'), publicCode: -1 }],
    });
    const client = new LicenseManagerClient({ baseUrl: lm.url });
    const dongles = await client.listDongles();
    expect(dongles.map((d) => [d.dongleId, d.publicCode])).toEqual([
      [2935208162, 1368487351],
      [991846791, 4294967295],
    ]);
  });

  it.each([
    ['a body that is not JSON', 200, '<html>proxy login</html>', /not JSON/],
    ['a wrong type', 200, { dongles: [{ ...lmDongle(1, '1-1'), dongleId: '1' }] }, /dongles\.0\.dongleId/],
    ['a missing field', 200, { dongles: [{ dongleId: 1, usbPath: '1-1' }] }, /dongles\.0\.dongleModel/],
    ['no list at all', 200, { keys: [] }, /dongles/],
    ['an id beyond 32 bits', 200, { dongles: [lmDongle(2 ** 33, '1-1')] }, /32 bits/],
    ['HTTP 500 with a stack trace', 500, 'Internal Server Error', /HTTP 500/],
    [
      'HTTP 500 with JSON that is not its error body',
      500,
      { message: 'boom' },
      /HTTP 500 without an error body/,
    ],
  ])('%s is a BAD_RESPONSE error, not a crash', async (_what, status, body, message) => {
    lm.answer(status, body);
    const error = await failure(new LicenseManagerClient({ baseUrl: lm.url }).listDongles());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(message);
    expect(error.details.httpStatus).toBe(status);
  });

  it('a refusal with its error body carries the license manager code and the server API code', async () => {
    lm.answer(409, { error: { code: 'SERVER_REJECTED', message: 'not in the order', apiCode: 10038 } });
    const error = await failure(new LicenseManagerClient({ baseUrl: lm.url }).writeLicense(5, 7));
    expect(error).toMatchObject({
      code: 'REFUSED',
      details: { httpStatus: 409, lmCode: 'SERVER_REJECTED', apiCode: 10038 },
    });
    expect(error.retryable).toBe(false);
  });

  it('a license manager that is down or hangs is UNREACHABLE', async () => {
    const down = await scriptedLicenseManager();
    await down.close();
    const refused = await failure(new LicenseManagerClient({ baseUrl: down.url }).listDongles());
    expect(refused.code).toBe('UNREACHABLE');
    expect(refused.retryable).toBe(true);

    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const timedOut = await failure(new LicenseManagerClient({ baseUrl: url, timeoutMs: 100 }).listDongles());
    expect(timedOut.code).toBe('UNREACHABLE');
    expect(timedOut.message).toMatch(/timed out/);
    hanging.closeAllConnections();
    hanging.close();
  });

  it('the inventory keeps its last good list while the license manager misbehaves, and recovers', async () => {
    const usb = new VirtualUsb();
    usb.connect(signKey('1-1'));
    usb.connect(signKey('1-2'));
    lm.answer(200, { dongles: [lmDongle(11, '1-1'), lmDongle(12, '1-2')] });
    const inventory = new KeyInventory({
      usb: new UsbWatcher(usb),
      licenseManager: new LicenseManagerClient({ baseUrl: lm.url }),
      repollAttempts: 1,
      repollDelayMs: 20,
    });
    const errors: LicenseManagerError[] = [];
    inventory.on('lm-error', (e) => errors.push(e));
    await inventory.start();
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual([11, 12]);

    for (const [status, body] of [
      [200, 'not json'],
      [200, { dongles: [{ dongleId: 13 }] }],
      [500, 'oops'],
    ] as const) {
      lm.answer(status, body);
      usb.connect(signKey('1-3'));
      await inventory.whenSettled();
      expect(inventory.keys().map((k) => k.dongleId)).toEqual([11, 12]);
      expect(inventory.lastError?.code).toBe('BAD_RESPONSE');
      usb.disconnect('1-3');
      await inventory.whenSettled();
    }
    expect(errors.length).toBeGreaterThanOrEqual(3);

    // Unplugging still shows while the license manager is broken: USB is the authority on presence.
    usb.disconnect('1-2');
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual([11]);

    lm.answer(200, { dongles: [lmDongle(11, '1-1'), lmDongle(13, '1-3')] });
    usb.connect(signKey('1-3'));
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual([11, 13]);
    expect(inventory.lastError).toBeNull();
    inventory.stop();
  });

  it('joins by serial number where the platform gives no port path', async () => {
    const usb = new VirtualUsb();
    const inventory = new KeyInventory({
      usb: new UsbWatcher(usb),
      licenseManager: new LicenseManagerClient({ baseUrl: lm.url }),
    });
    await inventory.start();
    lm.answer(200, { dongles: [{ ...lmDongle(21, '9-9'), usbPath: null, serialNumber: 'S21' }] });
    usb.dispatch('connect', {
      vendorId: GUARDANT,
      productId: 0x0008,
      serialNumber: 'S21',
      bus: '',
      ports: [],
      address: 0,
    });
    await inventory.whenSettled();
    expect(inventory.keys()).toMatchObject([{ dongleId: 21, usbPath: null, plugOrder: 1 }]);
    inventory.stop();
  });
});

describe('KeyInventory when keys and the license manager change under it', () => {
  const identity = (dongleId: number, usbPath: string, serialNumber: string) => ({
    dongleId,
    dongleModel: DongleModel.SIGN,
    publicCode: 1368487351,
    typeFlags: 0,
    netResource: 0,
    driverType: 1,
    usbPath,
    serialNumber,
  });

  it('a key swapped into the same port during a read gets its own identity, not the one that left', async () => {
    const usb = new VirtualUsb();
    const answers: Array<(list: ReturnType<typeof identity>[]) => void> = [];
    const licenseManager = {
      listDongles: () => new Promise<ReturnType<typeof identity>[]>((resolve) => answers.push(resolve)),
    };
    const inventory = new KeyInventory({
      usb: new UsbWatcher(usb),
      licenseManager,
      quietMs: 5,
      repollDelayMs: 5,
    });
    await inventory.start();
    usb.connect(signKey('1-1.1', 'AAAA'));
    await expect.poll(() => answers.length).toBe(1); // the license manager is reading key A…
    usb.disconnect('1-1.1');
    usb.connect(signKey('1-1.1', 'BBBB')); // …while the operator swaps in key B
    answers.shift()!([identity(111, '1-1.1', 'AAAA')]);
    await expect.poll(() => answers.length).toBe(1);
    answers.shift()!([identity(222, '1-1.1', 'BBBB')]);
    await inventory.whenSettled();
    expect(inventory.keys().map((k) => k.dongleId)).toEqual([222]);
    inventory.stop();
  });

  it('keys plugged while the license manager is down appear by themselves once it is back', async () => {
    const usb = new VirtualUsb();
    let down = true;
    let asked = 0;
    const licenseManager = {
      listDongles: async () => {
        asked++;
        if (down) throw new LicenseManagerError('UNREACHABLE', 'connection refused');
        return [identity(333, '2-1.1', 'CCCC')];
      },
    };
    const inventory = new KeyInventory({
      usb: new UsbWatcher(usb),
      licenseManager,
      quietMs: 5,
      repollAttempts: 2,
      repollDelayMs: 5,
    });
    inventory.on('lm-error', () => undefined);
    await inventory.start();
    usb.connect(signKey('2-1.1', 'CCCC'));
    await expect.poll(() => asked).toBeGreaterThan(4); // past the quick re-polls, still asking
    const appeared = new Promise<IdentifiedKey[]>((resolve) => inventory.once('changed', resolve));
    down = false; // no USB event follows: the key must show up on its own
    expect((await appeared).map((k) => k.dongleId)).toEqual([333]);
    inventory.stop();
  });
});
