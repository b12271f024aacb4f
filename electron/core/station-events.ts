import { EventEmitter } from 'node:events';
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';

/** Main's outgoing events, typed by the contract; hosts forward them to their renderer(s). */
export class StationEvents {
  private readonly emitter = new EventEmitter();
  private readonly anyListeners = new Set<(event: EventChannel, payload: unknown) => void>();

  constructor() {
    this.emitter.setMaxListeners(100);
  }

  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit(event, payload);
    for (const listener of this.anyListeners) listener(event, payload);
  }

  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  /** For transports: every event, in order. */
  onAny(listener: (event: EventChannel, payload: unknown) => void): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  once<E extends EventChannel>(
    event: E,
    predicate: (payload: EventPayload<E>) => boolean = () => true,
  ): Promise<EventPayload<E>> {
    return new Promise((resolve) => {
      const off = this.on(event, (payload) => {
        if (!predicate(payload)) return;
        off();
        resolve(payload);
      });
    });
  }
}
