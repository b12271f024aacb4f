import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { clientMessageSchema } from '../../shared/ipc/wire-messages';
import { StationErrorCode } from '../../shared/ipc/result';
import type { Dispatch } from '../core/ipc/dispatch';
import type { StationEvents } from '../core/station-events';

export interface WebHostOptions {
  dispatch: Dispatch;
  events: StationEvents;
  /** The built renderer (vite build output); when absent the host serves the contract only. */
  staticDir?: string;
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface WebHost {
  /** Open this in a browser: the token rides in the fragment, so it never reaches a server log. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

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

/**
 * Browser mode: the renderer and the IPC contract served to a local browser. Bound to 127.0.0.1 only;
 * the socket needs the session token and our own Origin, so another page or user on the machine
 * cannot drive the bench.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenDigest = digest(token);
  const app = Fastify({ logger: false });
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

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const sockets = new Set<WebSocket>();

  app.server.on('upgrade', (request, socket, head) => {
    // Any local process can send an upgrade; a malformed one must cost it the socket, not us the host.
    let url: URL;
    try {
      url = new URL(request.url ?? '/', origin);
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const offered = url.searchParams.get('token') ?? '';
    const tokenOk = url.pathname === '/ipc' && timingSafeEqual(digest(offered), tokenDigest);
    const originOk =
      request.headers.origin === origin ||
      request.headers.origin === origin.replace('127.0.0.1', 'localhost');
    if (!tokenOk || !originOk) {
      socket.end(
        `HTTP/1.1 ${tokenOk ? 403 : 401} ${tokenOk ? 'Forbidden' : 'Unauthorized'}\r\nConnection: close\r\n\r\n`,
      );
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let message;
      try {
        message = clientMessageSchema.parse(JSON.parse(String(data)));
      } catch {
        ws.send(
          JSON.stringify({
            type: 'result',
            id: -1,
            result: {
              ok: false,
              error: { code: StationErrorCode.InvalidRequest, message: 'not an invoke message' },
            },
          }),
        );
        return;
      }
      const result = await options.dispatch(message.channel, message.request);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id: message.id, result }));
    });
  });

  const offEvents = options.events.onAny((event, payload) => {
    const frame = JSON.stringify({ type: 'event', event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
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
      for (const ws of sockets) ws.terminate();
      wss.close();
      await app.close();
    },
  };
}
