import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { z } from 'zod';
import { clientMessageSchema, type ServerMessage } from '../../shared/ipc/wire-messages';
import { StationErrorCode, type IpcResult } from '../../shared/ipc/result';
import type { Dispatch } from '../core/ipc/dispatch';
import type { StationEvents } from '../core/station-events';

/** How long a connection may take to send its request line and headers. */
export const HEADERS_TIMEOUT_MS = 10_000;
const MAX_CONNECTIONS = 64;

export interface WebHostOptions {
  dispatch: Dispatch;
  events: StationEvents;
  /** The built renderer (vite build output); when absent the host serves the contract only. */
  staticDir?: string;
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
  /** Where a client's misbehaviour and contained errors are reported; stderr when absent. */
  log?: (message: string, error?: unknown) => void;
  /**
   * Test-only: accept {type:"fault"} messages that make this host fail on purpose, so tests can prove
   * from outside the process that a failure stays contained. Never on in production (main.ts enables
   * it only with KEYBENCH_FAULT_INJECTION=1).
   */
  faultInjection?: boolean;
}

export interface WebHost {
  /** Open this in a browser: the token rides in the fragment, so it never reaches a server log. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * Requests are small (the largest, 1,000 key ids, is about 11 KiB); a bigger frame is not a request,
 * and ws refuses it (close 1009) before it has been buffered.
 */
export const MAX_FRAME_BYTES = 64 * 1024;
/** Unread answers a client may leave with us before we stop reading its requests until it catches up. */
export const SEND_HIGH_WATER_BYTES = 1024 * 1024;
/**
 * Unread data beyond this means the client is not reading at all (events keep coming even while we
 * read nothing from it): its connection is closed, so one client costs the host at most this plus
 * the frame that crossed it.
 */
export const SEND_HARD_LIMIT_BYTES = 16 * 1024 * 1024;
/** Requests of one client handled at once; later ones wait in order, and we stop reading meanwhile. */
const MAX_IN_FLIGHT = 16;
/** A client closed for not reading gets this long to take its close frame before the socket is cut. */
const CLOSE_GRACE_MS = 2_000;

/** Close codes (RFC 6455 §7.4.1) the host sends when it ends a connection itself. */
export const CloseCode = {
  /** The client broke the host's rules: here, it left more than SEND_HARD_LIMIT_BYTES unread. */
  PolicyViolation: 1008,
  /** The host hit an unexpected error handling this connection; the client may reconnect. */
  InternalError: 1011,
} as const;

/** Test-only faults, one for each net they prove (see WebHostOptions.faultInjection). */
const faultMessageSchema = z.strictObject({
  type: z.literal('fault'),
  id: z.number().int().nonnegative(),
  fault: z.enum([
    /** The dispatcher throws instead of answering: the request gets an Internal error answer. */
    'dispatch-throws',
    /** The code handling one incoming message throws: that connection is closed with 1011. */
    'message-handler-throws',
    /** The connection emits an error: logged, that connection is closed with 1011. */
    'connection-error',
    /** An exception nobody catches, outside any connection: the process net logs it. */
    'uncaught-exception',
    /** A rejected promise nobody handles: the process net logs it. */
    'unhandled-rejection',
  ]),
});
type Fault = z.infer<typeof faultMessageSchema>['fault'];

const digest = (s: string) => createHash('sha256').update(s).digest();

/** CSP for the renderer page: own scripts and styles only, and the station socket. */
function contentSecurityPolicy(origin: string): string {
  const ws = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function logToStderr(message: string, error?: unknown): void {
  const detail =
    error instanceof Error ? `: ${error.stack ?? error.message}` : error ? `: ${String(error)}` : '';
  console.error(`keybench station host: ${message}${detail}`);
}

/**
 * Once Node hands an upgrade to us it no longer listens for the raw socket's errors: a client that
 * resets the connection (ECONNRESET, EPIPE) would otherwise be an uncaught 'error' that ends the host.
 * A reset is that client's business; the socket is destroyed by Node either way.
 */
function ignoreSocketError(): void {}

/** Answers an upgrade we refuse, then lets the socket go once the answer is written. */
function refuseUpgrade(socket: Socket, status: 400 | 401 | 403, reason: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

const internalError = {
  code: StationErrorCode.Internal,
  message: 'The station hit an unexpected error; the details are in its log.',
} as const;

interface ClientContext {
  dispatch: Dispatch;
  log: (message: string, error?: unknown) => void;
  faultInjection: boolean;
}

/** A request accepted from a client, waiting for its turn. */
interface Pending {
  id: number;
  run: () => Promise<IpcResult<unknown>>;
}

/**
 * One connected renderer. Everything it can do to us is bounded here: what it sends is validated
 * (zod) before anything acts on it, what we send it is capped, and an error in its connection ends
 * that connection only.
 */
class StationClient {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private shedTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly context: ClientContext,
    /** The client's address and port, so a log line says which connection it is about. */
    private readonly peer: string,
  ) {
    ws.on('message', (data, isBinary) => this.guard(() => this.receive(data, isBinary)));
    // ws reports frames that break the protocol (oversize, invalid UTF-8, unmasked, reserved opcode,
    // RSV1, bad close code) here, after it has started closing with the matching code. Without a
    // listener the 'error' event would be thrown and end the whole host.
    ws.on('error', (error) => {
      context.log(`closed the connection of station client ${peer}: ${error.message}`);
      this.end(CloseCode.InternalError, 'the connection failed');
    });
    ws.on('close', () => {
      if (this.shedTimer) clearTimeout(this.shedTimer);
      this.waiting.length = 0;
    });
  }

  /** Sends one frame unless the client has stopped reading; the only way anything reaches it. */
  send(frame: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    // Only what is already unread counts, not this frame: one large answer (a long shift log, a big
    // order) still reaches a client that keeps up, and the cost stays this limit plus one frame.
    if (this.ws.bufferedAmount > SEND_HARD_LIMIT_BYTES) {
      this.shed();
      return;
    }
    // Called once the frame is handed to the OS: the moment to check whether we may read again.
    this.ws.send(frame, () => this.pump());
  }

  /** Runs `step`; an error escaping it is this connection's failure, not the host's. */
  private guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.context.log(
        `unexpected error handling a message of station client ${this.peer}; that connection is closed`,
        error,
      );
      this.end(CloseCode.InternalError, 'the station hit an unexpected error; reconnect');
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.refuse(-1, 'The station reads JSON text frames, not binary ones.');
    let json: unknown;
    try {
      json = JSON.parse(rawText(data));
    } catch {
      return this.refuse(-1, 'The frame is not JSON.');
    }
    if (this.context.faultInjection) {
      const fault = faultMessageSchema.safeParse(json);
      if (fault.success) return this.inject(fault.data.id, fault.data.fault);
    }
    const message = clientMessageSchema.safeParse(json);
    if (!message.success) {
      return this.refuse(
        idOf(json),
        'Not an invoke message: expected {type:"invoke", id, channel, request}.',
      );
    }
    const { id, channel, request } = message.data;
    this.enqueue({ id, run: () => this.context.dispatch(channel, request) });
  }

  private enqueue(pending: Pending): void {
    this.waiting.push(pending);
    this.pump();
  }

  /**
   * Starts waiting requests while the client keeps up, and reads from it only while it does: a client
   * that sends thousands of requests and never reads their answers stalls itself, not the host.
   */
  private pump(): void {
    const open = () => this.ws.readyState === this.ws.OPEN;
    while (
      open() &&
      this.waiting.length > 0 &&
      this.inFlight < MAX_IN_FLIGHT &&
      this.ws.bufferedAmount < SEND_HIGH_WATER_BYTES
    ) {
      this.inFlight++;
      void this.answer(this.waiting.shift()!).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (!open()) return;
    const behind = this.waiting.length >= MAX_IN_FLIGHT || this.ws.bufferedAmount >= SEND_HIGH_WATER_BYTES;
    if (behind && !this.ws.isPaused) this.ws.pause();
    else if (!behind && this.ws.isPaused) this.ws.resume();
  }

  private async answer(pending: Pending): Promise<void> {
    let result: IpcResult<unknown>;
    try {
      result = await pending.run();
    } catch (error) {
      // The dispatcher turns handler errors into answers; anything reaching here is a bug in the host.
      this.context.log(
        `unexpected error answering a request of station client ${this.peer}; it was answered with an internal error`,
        error,
      );
      result = { ok: false, error: internalError };
    }
    this.reply({ type: 'result', id: pending.id, result });
  }

  private reply(message: ServerMessage): void {
    let frame: string;
    try {
      frame = JSON.stringify(message);
    } catch (error) {
      this.context.log('an answer could not be serialised; it was answered with an internal error', error);
      frame = JSON.stringify({
        type: 'result',
        id: (message as { id?: number }).id ?? -1,
        result: { ok: false, error: internalError },
      });
    }
    this.send(frame);
  }

  private refuse(id: number, message: string): void {
    this.reply({
      type: 'result',
      id,
      result: { ok: false, error: { code: StationErrorCode.InvalidRequest, message } },
    });
  }

  /** The client has left SEND_HARD_LIMIT_BYTES unread: close it rather than hold more for it. */
  private shed(): void {
    if (this.shedTimer) return;
    this.context.log(
      `closed station client ${this.peer}: it left ${SEND_HARD_LIMIT_BYTES / 1024 / 1024} MiB of messages unread`,
    );
    this.ws.close(CloseCode.PolicyViolation, 'too much unread data: the station closed this connection');
    // Its close frame waits behind everything it has not read; if it does not catch up, cut it.
    this.shedTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    this.shedTimer.unref();
  }

  private end(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
  }

  private inject(id: number, fault: Fault): void {
    const injected = new Error(`injected fault: ${fault}`);
    switch (fault) {
      case 'dispatch-throws':
        return this.enqueue({
          id,
          run: () => {
            throw injected;
          },
        });
      case 'message-handler-throws':
        throw injected;
      case 'connection-error':
        this.ws.emit('error', injected);
        return;
      case 'uncaught-exception':
        this.reply({ type: 'result', id, result: { ok: true, value: fault } });
        setImmediate(() => {
          throw injected;
        });
        return;
      case 'unhandled-rejection':
        this.reply({ type: 'result', id, result: { ok: true, value: fault } });
        void Promise.reject(injected);
        return;
    }
  }
}

function rawText(data: RawData): string {
  return Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** The id of a message we refuse, when it has a usable one, so the client can match the refusal. */
function idOf(json: unknown): number {
  const id = (json as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/**
 * Browser mode: the renderer and the IPC contract served to a local browser. Bound to 127.0.0.1 only;
 * the socket needs the session token and our own Origin, so another page or user on the machine
 * cannot drive the bench.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const log = options.log ?? logToStderr;
  const app = Fastify({
    logger: false,
    // A page that opens a connection and then stalls must not hold it forever (the same bounds as the
    // reference server's, issue 8): headers within 10 s, the whole request within 30 s, checked each second.
    requestTimeout: 30_000,
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 1_000 },
  });
  // One operator's browser opens a handful of connections; hundreds are someone else's.
  app.server.maxConnections = MAX_CONNECTIONS;
  let origin = '';

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', contentSecurityPolicy(origin));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
  });
  if (options.staticDir && existsSync(options.staticDir)) {
    await app.register(fastifyStatic, { root: options.staticDir, index: 'index.html' });
  } else {
    app.get('/', async (_request, reply) =>
      reply
        .type('text/plain')
        .send('Keybench station host: the renderer is not built (npm run build:renderer).'),
    );
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
  const clients = new Map<WebSocket, StationClient>();
  const context: ClientContext = {
    dispatch: options.dispatch,
    log,
    faultInjection: options.faultInjection ?? false,
  };

  app.server.on('upgrade', (request, rawSocket, head) => {
    const socket = rawSocket as Socket;
    socket.on('error', ignoreSocketError);
    // Any local process or page can send an upgrade: whatever it sends must cost it the socket, not us the host.
    try {
      let url: URL;
      try {
        url = new URL(request.url ?? '/', origin);
      } catch {
        return refuseUpgrade(socket, 400, 'Bad Request');
      }
      const offered = url.searchParams.get('token') ?? '';
      const tokenOk = url.pathname === '/ipc' && timingSafeEqual(digest(offered), tokenDigest);
      const originOk =
        request.headers.origin === origin ||
        request.headers.origin === origin.replace('127.0.0.1', 'localhost');
      if (!tokenOk) return refuseUpgrade(socket, 401, 'Unauthorized');
      if (!originOk) return refuseUpgrade(socket, 403, 'Forbidden');
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    } catch (error) {
      log('unexpected error during a WebSocket upgrade; that connection is dropped', error);
      socket.destroy();
    }
  });

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const peer = `${request.socket.remoteAddress}:${request.socket.remotePort}`;
    clients.set(ws, new StationClient(ws, context, peer));
    ws.on('close', () => clients.delete(ws));
  });

  const offEvents = options.events.onAny((event, payload) => {
    // This runs inside the station's own event emission: a failure here must not reach the emitter.
    try {
      const frame = JSON.stringify({ type: 'event', event, payload });
      for (const client of clients.values()) client.send(frame);
    } catch (error) {
      log(`could not pass the ${event} event to the station's clients`, error);
    }
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    port,
    token,
    async close() {
      offEvents();
      for (const ws of clients.keys()) ws.terminate();
      wss.close();
      await app.close();
    },
  };
}
