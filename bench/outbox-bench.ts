import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStationDatabase } from '../electron/core/db/open';
import { Outbox } from '../electron/core/outbox/outbox';

/**
 * Enqueue throughput of the outbox on a real station database file: n separate enqueue calls (each
 * its own committed transaction, as the operator's clicks are), cycling through the four kinds.
 * Returns items per second.
 */
export async function benchOutboxEnqueue(n = 10_000): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kb-outbox-bench-'));
  const db = openStationDatabase(join(dir, 'station.db'));
  try {
    const outbox = new Outbox(db);
    const key = (dongleId: number) => ({
      dongleId,
      model: 2,
      publicCode: 1368487351,
      typeFlags: 0,
      netResource: 0,
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const orderId = 1 + (i % 50);
      switch (i % 4) {
        case 0:
          outbox.enqueueAddKeys(orderId, [key(100_000 + i)]);
          break;
        case 1:
          outbox.enqueueRemoveKey(orderId, 100_000 + i);
          break;
        case 2:
          outbox.enqueueSetDriverType(100_000 + i, 2);
          break;
        default:
          outbox.enqueueWriteLicense(orderId, 100_000 + i);
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return n / seconds;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.argv[2] ?? 10_000);
  const rate = await benchOutboxEnqueue(n);
  console.log(
    `outbox enqueue: ${Math.round(rate).toLocaleString('en')} items/s (${n.toLocaleString('en')} items)`,
  );
}
