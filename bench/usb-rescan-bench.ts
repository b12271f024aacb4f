// What the periodic USB rescan costs: usb v3's getDevices() (a sysfs walk) and the watcher's whole
// rescan, on a fake bus with 0, 10, 50 and 100 keys. Run under the fake bus (root):
//   npm run bench:usb
import { performance } from 'node:perf_hooks';
import { createRealUsb } from '../electron/core/usb/real-usb';
import { UsbWatcher } from '../electron/core/usb/usb-watcher';
import { FakeUsbBus, fakeUsbBusUnavailable, guardantSign } from '../tests/usb-real/fake-usb-bus';

const ROUNDS = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p90: number; cpu: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const times: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p90: percentile(times, 90),
    cpu: (cpu.user + cpu.system) / 1000 / ROUNDS,
  };
}

async function main(): Promise<void> {
  const skip = fakeUsbBusUnavailable();
  if (skip) {
    console.log(`bench:usb needs the fake USB bus: ${skip}`);
    return;
  }
  const bus = new FakeUsbBus();
  await bus.clear();
  const usb = await createRealUsb();
  const watcher = new UsbWatcher(usb, { rescanIntervalMs: 0 });
  await watcher.start();
  const fmt = (n: number) => n.toFixed(2).padStart(7);
  console.log(
    '| keys on the bus | getDevices p50 ms | p90 ms | watcher rescan p50 ms | p90 ms | CPU ms per rescan |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  let plugged = 0;
  for (const count of [0, 10, 50, 100]) {
    const more = Array.from({ length: count - plugged }, (_, i) => {
      const n = plugged + i;
      return guardantSign(`${Math.floor(n / 7) + 1}.${(n % 7) + 1}`, `B${n}`);
    });
    // Silently, and in slices: the rescan under test is what finds them.
    for (let i = 0; i < more.length; i += 25) await bus.plugSilently(...more.slice(i, i + 25));
    plugged = count;
    await watcher.rescan();
    if (watcher.devices().length !== count)
      throw new Error(`watcher sees ${watcher.devices().length}, not ${count}`);
    const raw = await time(() => usb.getDevices());
    const full = await time(() => watcher.rescan());
    console.log(
      `| ${count} | ${fmt(raw.p50)} | ${fmt(raw.p90)} | ${fmt(full.p50)} | ${fmt(full.p90)} | ${fmt(full.cpu)} |`,
    );
  }
  watcher.stop();
  await bus.clear();
  bus.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
