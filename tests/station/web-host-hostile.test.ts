import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeCode,
  frame,
  openSocket,
  rawUpgrade,
  textFrame,
  textFrames,
  upgradeRequest,
  startHostUnderAttack,
  type HostUnderAttack,
} from './web-host-fixture';

let host: HostUnderAttack;

beforeAll(async () => {
  host = await startHostUnderAttack(['--keys', '4']);
});
afterAll(async () => {
  await host?.stop();
});

/**
 * The host is still up and still serves: the client connected at start (so other clients were not
 * dropped) and a new one both get answers. Raced against the host's exit, so a crash fails at once
 * with its log instead of a timeout.
 */
async function expectStillServing(): Promise<void> {
  const check = async () => {
    expect((await host.api.invoke('station:info', {})).benchReady).toBe(true);
    const fresh = await host.connect();
    expect(await fresh.invoke('keys:list', {})).toHaveLength(4);
    fresh.close();
  };
  await Promise.race([check(), host.exited.then((why) => Promise.reject(new Error(why)))]);
  expect(host.isRunning()).toBe(true);
}

describe('refused upgrades', () => {
  it('survive clients that reset the connection, before or after the refusal arrives', async () => {
    // What a hostile page does: open ws://127.0.0.1:8790/ipc?token=guess and abandon it, many times.
    const resetRightAway = async (request: string) => {
      const socket = await openSocket(host.port);
      socket.on('error', () => undefined);
      socket.write(request);
      socket.resetAndDestroy();
    };
    const resetOnAnswer = async (request: string) => {
      const socket = await openSocket(host.port);
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => {
        socket.once('data', () => {
          socket.resetAndDestroy();
          resolve();
        });
        socket.once('close', () => resolve());
        socket.write(request);
      });
    };
    const wrongToken = upgradeRequest(host, { token: 'guess' });
    const wrongOrigin = upgradeRequest(host, { token: host.token, origin: 'http://evil.example' });
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const request = i % 2 ? wrongToken : wrongOrigin;
          return i % 3 ? resetOnAnswer(request) : resetRightAway(request);
        }),
      );
    }
    await expectStillServing();
  });

  it('still answer 401 and 403, and the token and Origin checks still hold', async () => {
    const guess = await rawUpgrade(host, { token: 'guess' });
    expect(guess.status).toBe(401);
    guess.socket.destroy();
    const otherOrigin = await rawUpgrade(host, { token: host.token, origin: 'http://evil.example' });
    expect(otherOrigin.status).toBe(403);
    otherOrigin.socket.destroy();
    await expectStillServing();
  });
});

describe('malformed frames from an authenticated client', () => {
  // Each ends that client's connection with the close code RFC 6455 gives it, and nothing else.
  const cases: { name: string; bytes: () => Buffer; code: number }[] = [
    {
      name: 'a frame claiming 16 MiB',
      bytes: () => frame({ opcode: 0x1, declaredLength: 16 * 1024 * 1024, payload: Buffer.from('{') }),
      code: 1009,
    },
    {
      // Requests are a few KiB at most (1,000 key ids is about 11 KiB): 100 KiB is not a request.
      name: 'a real 100 KiB frame',
      bytes: () => textFrame(JSON.stringify({ pad: 'x'.repeat(100 * 1024) })),
      code: 1009,
    },
    {
      name: 'invalid UTF-8 in a text frame',
      bytes: () => frame({ opcode: 0x1, payload: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) }),
      code: 1007,
    },
    {
      name: 'an unmasked frame',
      bytes: () => frame({ opcode: 0x1, payload: Buffer.from('{}'), masked: false }),
      code: 1002,
    },
    {
      name: 'a reserved opcode',
      bytes: () => frame({ opcode: 0x3, payload: Buffer.from('{}') }),
      code: 1002,
    },
    {
      name: 'RSV1 without a negotiated extension',
      bytes: () => frame({ opcode: 0x1, payload: Buffer.from('{}'), rsv1: true }),
      code: 1002,
    },
    {
      name: 'close code 999',
      bytes: () => frame({ opcode: 0x8, payload: Buffer.from([0x03, 0xe7]) }),
      code: 1002,
    },
  ];

  for (const { name, bytes, code } of cases) {
    it(`${name}: that connection is closed with ${code}, the host keeps serving`, async () => {
      const upgrade = await rawUpgrade(host, { token: host.token });
      expect(upgrade.status).toBe(101);
      const closed = closeCode(upgrade);
      upgrade.socket.write(bytes());
      expect(await Promise.race([closed, host.exited.then((why) => Promise.reject(new Error(why)))])).toBe(
        code,
      );
      await expectStillServing();
    });
  }

  it('a binary frame, a frame that is not JSON and one that is not an invoke message get plain refusals', async () => {
    const upgrade = await rawUpgrade(host, { token: host.token });
    expect(upgrade.status).toBe(101);
    const answers = textFrames(upgrade, 3);
    upgrade.socket.write(frame({ opcode: 0x2, payload: Buffer.from([1, 2, 3]) }));
    upgrade.socket.write(textFrame('{"type":"invoke",'));
    upgrade.socket.write(textFrame('{"type":"invoke","id":7,"channel":42}'));
    const refusals = (await answers).map((text) => JSON.parse(text));
    expect(refusals.map((r) => [r.id, r.result.error.code])).toEqual([
      [-1, 'INVALID_REQUEST'],
      [-1, 'INVALID_REQUEST'],
      [7, 'INVALID_REQUEST'],
    ]);
    expect(refusals[0].result.error.message).toMatch(/not binary/);
    upgrade.socket.destroy();
    await expectStillServing();
  });
});

describe('stalled connections', () => {
  it('a client that never finishes its headers is cut off, and others are still served', async () => {
    const socket = await openSocket(host.port);
    socket.on('error', () => undefined);
    socket.resume(); // read what the host answers, so its close reaches us
    const opened = Date.now();
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
    // Half a request line, then nothing: a slowloris holding a connection slot.
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const heldFor = await closed;
    // The host's headers timeout (10 s) plus its once-a-second check, with room for a loaded machine.
    expect(heldFor).toBeLessThan(25_000);
    await expectStillServing();
  }, 40_000);
});
