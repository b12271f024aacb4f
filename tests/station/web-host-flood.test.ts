import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  closeCode,
  rawUpgrade,
  readFrames,
  startHostUnderAttack,
  textFrame,
  type HostUnderAttack,
} from './web-host-fixture';

/** Enough keys that one keys:list answer is about 65 KB, so 3,000 unread answers would be ~200 MB. */
const KEYS = 300;
const REQUESTS = 3000;
const BOUND_MIB = 50;

let host: HostUnderAttack;

// A host of its own for each test: the 1008 test leaves 1,000 keys on its bench, and the memory test
// counts on its answers being 300 keys long.
beforeEach(async () => {
  host = await startHostUnderAttack(['--keys', String(KEYS)]);
});
afterEach(async () => {
  await host?.stop();
});

/** The well-behaved client is answered, raced against the host's exit so a crash fails with its log. */
async function served(rounds: number): Promise<void> {
  const work = async () => {
    for (let i = 0; i < rounds; i++) expect(await host.api.invoke('keys:list', {})).toHaveLength(KEYS);
  };
  await Promise.race([work(), host.exited.then((why) => Promise.reject(new Error(why)))]);
}

describe('a client that never reads', () => {
  it(`costs the host under ${BOUND_MIB} MiB for ${REQUESTS} requests, and gets every answer once it reads`, async () => {
    // Warm up under the load the flood brings (16 answers in flight at once) and take the highest RSS
    // seen as the baseline: the host's working set for this work, young-generation garbage included,
    // rather than a moment just after a garbage collection (which alone moves RSS by 20-30 MiB).
    let baseline = 0;
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 16 }, () => served(1)));
      baseline = Math.max(baseline, host.memory().rssMiB);
    }
    const before = host.memory();

    const flood = await rawUpgrade(host, { token: host.token });
    try {
      expect(flood.status).toBe(101);
      const requests = Array.from({ length: REQUESTS }, (_, i) =>
        textFrame(JSON.stringify({ type: 'invoke', id: i + 1, channel: 'keys:list', request: {} })),
      );
      flood.socket.write(Buffer.concat(requests));
      // The flood's bytes reached the host before these requests were sent, so the host has read and
      // handled whatever of them it was going to by the time they are answered.
      await served(20);
      const after = host.memory();
      console.log(
        `host memory: RSS ${baseline.toFixed(1)} MiB (working set) → ${after.rssMiB.toFixed(1)} MiB, ` +
          `peak ${before.peakMiB.toFixed(1)} → ${after.peakMiB.toFixed(1)} MiB`,
      );
      expect(after.rssMiB - baseline).toBeLessThan(BOUND_MIB);
      // The peak since start-up is only known to have grown if it rose above the earlier peak.
      expect(after.peakMiB).toBeLessThan(Math.max(before.peakMiB, baseline + BOUND_MIB));

      // Stalled, not dropped: once the client reads, every request is answered, in order.
      const answered = new Promise<number[]>((resolve) => {
        const ids: number[] = [];
        readFrames(flood, (opcode, payload) => {
          if (opcode !== 0x1) return;
          ids.push(JSON.parse(payload.toString('utf8')).id);
          if (ids.length === REQUESTS) resolve(ids);
        });
      });
      const ids = await Promise.race([answered, host.exited.then((why) => Promise.reject(new Error(why)))]);
      expect(ids).toEqual(Array.from({ length: REQUESTS }, (_, i) => i + 1));
    } finally {
      flood.socket.destroy();
    }
    await served(1);
  }, 120_000);

  it('is closed with 1008 once it leaves 16 MiB of events unread; others are still served', async () => {
    // Every plug and unplug sends every client the whole bench (keys:changed): with 1,000 keys on the
    // bench that is ~220 KB a change, so the idle client below falls 16 MiB behind in a few dozen.
    await host.api.invoke('bench:simulate', { action: 'plug', count: 1000 - KEYS });
    const idle = await rawUpgrade(host, { token: host.token });
    expect(idle.status).toBe(101);
    const shed = host.waitForOutput(
      new RegExp(
        `closed station client 127\\.0\\.0\\.1:${idle.socket.localPort}: it left 16 MiB of messages unread`,
      ),
    );
    let shedSeen = false;
    void shed.then(
      () => (shedSeen = true),
      () => undefined,
    );
    const churn = async () => {
      while (!shedSeen) {
        // The answer is the whole bench in plug order: the new key is the last one.
        const bench = await host.api.invoke('bench:simulate', { action: 'plug', count: 1 });
        await host.api.invoke('bench:simulate', { action: 'unplug', dongleIds: [bench.at(-1)!.dongleId] });
      }
    };
    await Promise.race([
      Promise.all([shed, churn()]),
      host.exited.then((why) => Promise.reject(new Error(why))),
    ]);
    expect([1008, null]).toContain(await closeCode(idle, { skipData: true }));
    expect((await host.api.invoke('keys:list', {})).length).toBe(1000);
  }, 120_000);
});
