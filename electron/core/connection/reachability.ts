type ReachabilityListener = (reachable: boolean, error?: Error) => void;

/**
 * Where the GuardantClient tells whether each exchange reached the server. The client is built first
 * (the cache, the outbox and the connection monitor's probe all use it); the connection monitor, built
 * later, listens here.
 */
export class Reachability {
  private readonly listeners: ReachabilityListener[] = [];

  /** The client's onReachability. */
  readonly report: ReachabilityListener = (reachable, error) => {
    for (const listener of this.listeners) listener(reachable, error);
  };

  listen(listener: ReachabilityListener): void {
    this.listeners.push(listener);
  }
}
