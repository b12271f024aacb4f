import type { Connection } from '../../../shared/station/models';
import { ServerUnreachableError } from '../api/errors';
import type { GuardantClient } from '../api/guardant-client';

/** How often an unreachable (or not yet heard from) server is probed: it is seen back within this long. */
export const PROBE_INTERVAL_MS = 5_000;

export interface ConnectionMonitorOptions {
  serverUrl: string;
  /**
   * One cheap request to the server; resolving (or the server refusing it) means reachable.
   * See probeOrders().
   */
  probe: () => Promise<unknown>;
  /** How often to probe while the server is not known to be reachable (PROBE_INTERVAL_MS by default). */
  probeIntervalMs?: number;
  /**
   * How often to check a server believed reachable. Without it an idle station would show "Online"
   * long after the server went away, until the operator's next action failed.
   */
  heartbeatMs?: number;
  /** Epoch ms. */
  clock?: () => number;
  /** Called when state, server URL or last error change; not for every successful request. */
  onChange?: (connection: Connection) => void;
  /** The server became reachable (the station wires this to OutboxWorker.kick()). */
  onOnline?: () => void;
}

/** GET /v1.0/orders?limit=1: the smallest authenticated read. */
export const probeOrders = (client: Pick<GuardantClient, 'listOrders'>) => () =>
  client.listOrders({ limit: 1 });

/**
 * Whether the Guardant server is reachable, as every exchange of the GuardantClient tells it (wire
 * report() to the client's onReachability). While the server is unreachable (or not yet heard from)
 * the monitor probes it every probeIntervalMs, so the station notices it is back even when the
 * operator does nothing; while it is reachable, a slower heartbeat notices when it goes away.
 */
export class ConnectionMonitor {
  private connection: Connection;
  private readonly clock: () => number;
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private running = false;

  constructor(private readonly options: ConnectionMonitorOptions) {
    this.clock = options.clock ?? Date.now;
    this.intervalMs = options.probeIntervalMs ?? PROBE_INTERVAL_MS;
    this.heartbeatMs = options.heartbeatMs ?? 15_000;
    this.connection = { state: 'unknown', serverUrl: options.serverUrl, lastOkAt: null, lastError: null };
  }

  get state(): Connection {
    return { ...this.connection };
  }

  /** Probes now, then keeps probing while the server is not reachable. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.probeNow();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Fed by GuardantClient's onReachability for every exchange. */
  report(reachable: boolean, error?: Error): void {
    const before = this.connection;
    if (reachable) {
      this.connection = { ...before, state: 'online', lastOkAt: this.clock(), lastError: null };
    } else {
      this.connection = { ...before, state: 'offline', lastError: error?.message ?? 'unreachable' };
    }
    const after = this.connection;
    this.scheduleProbe();
    if (after.state === before.state && after.lastError === before.lastError) return;
    this.options.onChange?.(this.state);
    if (after.state === 'online' && before.state !== 'online') this.options.onOnline?.();
  }

  /** After the operator changes the server: its reachability is unknown until it answers. */
  setServerUrl(serverUrl: string): void {
    this.connection = { state: 'unknown', serverUrl, lastOkAt: null, lastError: null };
    this.options.onChange?.(this.state);
    if (this.running) void this.probeNow();
  }

  /** One probe now; resolves with the state it left. */
  async probeNow(): Promise<Connection> {
    if (this.probing) return this.state;
    this.probing = true;
    try {
      await this.options.probe();
      this.report(true);
    } catch (error) {
      // Only an unreachable server is "offline"; a refusal or an odd answer still came from it.
      if (error instanceof ServerUnreachableError) this.report(false, error);
      else this.report(true);
    } finally {
      this.probing = false;
    }
    return this.state;
  }

  private scheduleProbe(): void {
    if (!this.running || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.running) void this.probeNow();
      },
      this.connection.state === 'online' ? this.heartbeatMs : this.intervalMs,
    );
    this.timer.unref?.();
  }
}
