import { ApiErrorCode } from '../../shared/guardant/codes';
import { ApiError } from './api-error';

/**
 * Runs at most `concurrency` tasks at once, queues up to `maxQueued` more, and refuses the rest with
 * 503/10503 and Retry-After: password hashing takes 16 MiB and ~40 ms of a core each, so it must
 * neither run unbounded in parallel nor queue without end.
 */
export class Limiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly maxQueued: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.queue.length >= this.maxQueued) {
        const error = new ApiError(ApiErrorCode.Unavailable, 'too many logins at once');
        error.retryAfterSeconds = 1;
        throw error;
      }
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, or give it back.
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  get pending(): { running: number; queued: number } {
    return { running: this.running, queued: this.queue.length };
  }
}
