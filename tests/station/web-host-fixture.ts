import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  createWsStationApi,
  type SocketLike,
  type WsStationApi,
} from '../../renderer/src/station/ws-station-client';
import { launchTsx, stopProcess } from '../support/processes';

/**
 * The browser-mode station host as its own process on the embedded default (reference server with
 * demo data, simulated bench), seen from outside the way an attacker or a broken client sees it:
 * its port, its token, raw sockets, its log and its memory.
 */
export interface HostUnderAttack {
  child: ChildProcess;
  port: number;
  origin: string;
  token: string;
  /** A well-behaved client, connected once the bench is ready. */
  api: WsStationApi;
  /** Everything the host printed since it announced its URL. */
  output(): string;
  /** Resolves once the host's output matches; rejects if the host exits first. */
  waitForOutput(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves when the host exits (for tests that race an answer against a crash). */
  exited: Promise<string>;
  isRunning(): boolean;
  /** Another well-behaved client. */
  connect(): Promise<WsStationApi>;
  /** Resident and peak memory of the host process, in MiB (from /proc). */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

export async function startHostUnderAttack(
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<HostUnderAttack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kb-host-'));
  const clients: WsStationApi[] = [];
  let child: ChildProcess | undefined;
  try {
    const launched = await launchTsx(
      ['electron/web-host/main.ts', '--port', '0', '--data', dataDir, ...args],
      /open (http:\/\/\S+)/,
      { KEYBENCH_LOG_LEVEL: 'warn', ...env },
    );
    child = launched.child;
    const running = child;
    let out = '';
    const outputListeners = new Set<() => void>();
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const listener of outputListeners) listener();
    };
    running.stdout!.on('data', onData);
    running.stderr!.on('data', onData);
    const exited = new Promise<string>((resolve) =>
      running.once('exit', (code, signal) => resolve(`the host exited (${signal ?? code}):\n${out}`)),
    );

    const url = new URL(launched.match[1]!);
    const token = url.hash.slice('#token='.length);
    const origin = url.origin;
    const connectClient = async () => {
      const socket = new WebSocket(`${origin.replace('http', 'ws')}/ipc?token=${token}`, {
        headers: { origin },
      });
      const api = createWsStationApi(socket as unknown as SocketLike, 60_000);
      clients.push(api);
      await api.ready;
      return api;
    };
    const api = await connectClient();
    // Wait on the app's own event, never a fixed sleep: subscribe first, then ask whether it already fired.
    const ready = new Promise<void>((resolve) => api.on('bench:ready', () => resolve()));
    if (!(await api.invoke('station:info', {})).benchReady) await ready;

    const status = () => readFileSync(`/proc/${running.pid}/status`, 'utf8');
    const kib = (text: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)![1]);
    return {
      child: running,
      port: Number(url.port),
      origin,
      token,
      api,
      output: () => out,
      waitForOutput: (pattern) =>
        new Promise((resolve, reject) => {
          const check = () => {
            const match = pattern.exec(out);
            if (!match) return;
            outputListeners.delete(check);
            resolve(match);
          };
          outputListeners.add(check);
          void exited.then((why) => reject(new Error(why)));
          check();
        }),
      exited,
      isRunning: () => running.exitCode === null && running.signalCode === null,
      connect: connectClient,
      memory: () => {
        const text = status();
        return { rssMiB: kib(text, 'VmRSS') / 1024, peakMiB: kib(text, 'VmHWM') / 1024 };
      },
      async stop() {
        for (const client of clients) client.close();
        await stopProcess(running, 'SIGKILL');
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    // A host that started but failed later must not outlive the test.
    if (child) await stopProcess(child, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A raw TCP connection that sent a WebSocket upgrade request; `status` is the host's HTTP answer. */
export interface RawUpgrade {
  socket: Socket;
  status: number;
  /** Bytes the host sent after its HTTP headers (frames, for an accepted upgrade). */
  rest: Buffer;
}

export function upgradeRequest(
  host: Pick<HostUnderAttack, 'port' | 'origin'>,
  { token, origin = host.origin }: { token: string; origin?: string },
): string {
  return [
    `GET /ipc?token=${encodeURIComponent(token)} HTTP/1.1`,
    `Host: 127.0.0.1:${host.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    'Sec-WebSocket-Version: 13',
    `Origin: ${origin}`,
    '',
    '',
  ].join('\r\n');
}

/** Opens a TCP connection to the host and resolves once it is connected. */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends an upgrade request and resolves with the host's HTTP status once its headers have arrived. */
export async function rawUpgrade(
  host: Pick<HostUnderAttack, 'port' | 'origin'>,
  options: { token: string; origin?: string },
): Promise<RawUpgrade> {
  const socket = await openSocket(host.port);
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received.toString('latin1'))?.[1]);
      resolve({ socket, status, rest: received.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the host closed the connection before answering')));
    socket.write(upgradeRequest(host, options));
  });
}

/** One client-to-server WebSocket frame, built by hand so it can break every rule. */
export function frame({
  opcode,
  payload = Buffer.alloc(0),
  fin = true,
  rsv1 = false,
  masked = true,
  declaredLength,
}: {
  opcode: number;
  payload?: Buffer;
  fin?: boolean;
  rsv1?: boolean;
  masked?: boolean;
  /** Claims this payload length in the header whatever the payload really is (an oversize frame). */
  declaredLength?: number;
}): Buffer {
  const length = declaredLength ?? payload.length;
  const first = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([first, maskBit | length]);
  } else if (length < 65536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = Buffer.from([0x37, 0xfa, 0x21, 0x3d]);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

export const textFrame = (text: string) => frame({ opcode: 0x1, payload: Buffer.from(text) });

/** Splits complete server frames off the front of `buffered`; `rest` is an incomplete tail. */
function splitFrames(buffered: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  for (;;) {
    if (buffered.length < 2) break;
    let length = buffered[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffered.length < 4) break;
      length = buffered.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffered.length < 10) break;
      length = Number(buffered.readBigUInt64BE(2));
      offset = 10;
    }
    if (buffered.length < offset + length) break;
    frames.push({ opcode: buffered[0]! & 0x0f, payload: buffered.subarray(offset, offset + length) });
    buffered = buffered.subarray(offset + length);
  }
  return { frames, rest: buffered };
}

/** Calls `onFrame` for every frame the host sends on an upgraded raw socket, from the first. */
export function readFrames(upgrade: RawUpgrade, onFrame: (opcode: number, payload: Buffer) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  const take = (chunk: Buffer) => {
    const { frames, rest } = splitFrames(Buffer.concat([buffered, chunk]));
    buffered = rest;
    for (const { opcode, payload } of frames) onFrame(opcode, payload);
  };
  upgrade.socket.on('data', take);
  upgrade.socket.on('error', () => undefined); // the host may reset a connection it ends; fine here
  upgrade.socket.resume();
  take(upgrade.rest);
}

/**
 * Resolves once the host ends an upgraded raw connection: with its close code, null when it dropped
 * the connection without one, or 'answered' when it sent a data frame first (took the frame for a
 * message) unless `skipData` says data frames are expected before the close.
 */
export function closeCode(
  upgrade: RawUpgrade,
  { skipData = false } = {},
): Promise<number | null | 'answered'> {
  return new Promise((resolve) => {
    upgrade.socket.once('close', () => resolve(null));
    readFrames(upgrade, (opcode, payload) => {
      if (opcode === 0x8) resolve(payload.length >= 2 ? payload.readUInt16BE(0) : null);
      else if ((opcode === 0x1 || opcode === 0x2) && !skipData) resolve('answered');
      else return;
      upgrade.socket.destroy();
    });
  });
}

/** Resolves with the payloads of the first `count` text frames the host sends on an upgraded raw socket. */
export function textFrames(upgrade: RawUpgrade, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const texts: string[] = [];
    upgrade.socket.once('close', () =>
      reject(new Error(`the host closed the connection after ${texts.length} frame(s)`)),
    );
    readFrames(upgrade, (opcode, payload) => {
      if (opcode === 0x1) texts.push(payload.toString('utf8'));
      if (texts.length === count) resolve(texts);
    });
  });
}
