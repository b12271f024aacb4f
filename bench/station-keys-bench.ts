/**
 * How long from plugging n keys at once (one burst of USB events) until the station lists all n,
 * identified by the license manager: USB watcher → debounce → one license-manager call → one update.
 * The station benchmark calls benchKeysIdentified(); run alone it prints the figure:
 *
 *   npx tsx bench/station-keys-bench.ts [n]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KeyInventory } from '../electron/core/inventory/key-inventory';
import { LicenseManagerClient } from '../electron/core/license-manager/license-manager-client';
import { UsbWatcher } from '../electron/core/usb/usb-watcher';
import { SimulatedBench } from '../electron/simulated-bench/simulated-bench';
import { startServer } from '../server/start';

const TOKEN = 'bench-token-0123456789abcdef';
const TIMEOUT_MS = 60_000;

/** Milliseconds from plugging `n` keys to all `n` shown identified. Includes the 100 ms quiet window. */
export async function benchKeysIdentified(n = 500): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-keys-bench-'));
  const server = await startServer({ dataDir, token: TOKEN, adminEnabled: true });
  const bench = await SimulatedBench.start({ server: { url: server.url, token: TOKEN } });
  const inventory = new KeyInventory({
    usb: new UsbWatcher(bench.usb),
    licenseManager: new LicenseManagerClient({ baseUrl: bench.licenseManagerUrl }),
  });
  try {
    await inventory.start();
    await inventory.whenSettled();
    let timer: NodeJS.Timeout | undefined;
    const allIdentified = new Promise<void>((resolve, reject) => {
      inventory.on('changed', (keys) => {
        if (keys.length === n) resolve();
      });
      // A broken inventory must fail the benchmark, not hang it.
      timer = setTimeout(
        () => reject(new Error(`not all ${n} keys identified within ${TIMEOUT_MS} ms`)),
        TIMEOUT_MS,
      );
    });
    const started = performance.now();
    bench.plug(n);
    await allIdentified.finally(() => clearTimeout(timer));
    return performance.now() - started;
  } finally {
    inventory.stop();
    await bench.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2] ?? 500);
  benchKeysIdentified(n).then(
    (ms) => console.log(`${n} keys plugged at once → all identified in ${ms.toFixed(0)} ms`),
    (error: unknown) => {
      console.error('bench failed:', error);
      process.exitCode = 1;
    },
  );
}
