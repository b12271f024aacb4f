import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where a stopped write was when the gate stopped it. */
export type StopPoint =
  /** Held before the server: the station sent it, the server never saw it. */
  | 'before-server'
  /** Passed to the server, which recorded it; its answer never reaches the station. */
  | 'after-server';

const WRITE = /^\/v1\.0\/orders\/\d+\/dongles\/-?\d+\/write$/;

/**
 * A loopback proxy in front of the reference server that counts licence writes (the license manager's
 * `POST …/dongles/{id}/write`) and stops the one after a given number, so a test can kill the station
 * at an exact point of its queue instead of after a guessed delay. Everything else passes through.
 */
export async function startWriteGate(target: string) {
  let budget = Infinity;
  let stopAt: StopPoint = 'before-server';
  let onStopped: ((dongleId: number) => void) | null = null;
  const parked = new Set<ServerResponse>();
  /** Writes let through and still on their way to the server. */
  const passing = new Set<Promise<void>>();

  const forward = async (req: IncomingMessage, body: Buffer) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (['host', 'connection', 'content-length', 'keep-alive'].includes(name) || value === undefined)
        continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const res = await fetch(target + req.url, {
      method: req.method,
      headers,
      body: body.length ? new Uint8Array(body) : undefined,
    });
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const write = req.method === 'POST' && WRITE.test(req.url ?? '');
        if (write && budget <= 0) {
          // The station burns several keys at once, so more writes may arrive after the stop: only the
          // first is the stop (and reaches the server for 'after-server'); the rest wait unanswered and
          // unseen by the server, as writes the station sent when it died.
          parked.add(res);
          res.on('close', () => parked.delete(res));
          const notify = onStopped;
          onStopped = null;
          if (!notify) return;
          if (stopAt === 'after-server') await forward(req, body);
          // The writes let through before the stop are on record before the test counts them.
          await Promise.all(passing);
          const dongleId = Number(/dongles\/(-?\d+)\/write/.exec(req.url!)![1]);
          notify(dongleId);
          return;
        }
        if (write) budget--;
        const forwarded = forward(req, body);
        if (write) {
          const settled = forwarded.then(
            () => undefined,
            () => undefined,
          );
          passing.add(settled);
          void settled.then(() => passing.delete(settled));
        }
        const answer = await forwarded;
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))
            headers[name] = value;
        });
        res.writeHead(answer.status, headers).end(answer.body);
      })().catch((error: unknown) => res.destroy(error as Error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    /**
     * Lets `writes` more writes through, then stops the next one at `at`; resolves with that write's
     * key once it is stopped (and, for 'after-server', recorded by the server).
     */
    stopAfter(writes: number, at: StopPoint): Promise<number> {
      budget = writes;
      stopAt = at;
      return new Promise((resolve) => (onStopped = resolve));
    },
    /** Every write passes from now on. */
    open() {
      budget = Infinity;
      onStopped = null;
    },
    async close() {
      for (const res of parked) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
