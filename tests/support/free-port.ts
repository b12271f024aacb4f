import { createServer } from 'node:net';

/**
 * A loopback port free right now: for a server or host that must go down and come back at the same
 * URL, which port 0 would not give twice.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
