import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type {
  EventChannel,
  EventPayload,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
} from '../../../shared/ipc/contract';
import type { StationApi } from '../../../shared/ipc/station-api';
import { StationProvider } from '../../../renderer/src/station/station-context';

type Handler<C extends InvokeChannel> = (
  request: InvokeRequest<C>,
) => InvokeResponse<C> | Promise<InvokeResponse<C>>;
export type Handlers = { [C in InvokeChannel]?: Handler<C> };

export interface FakeStation extends StationApi {
  /** Every invoke, in order: what the screen asked the station for. */
  calls: Array<{ channel: InvokeChannel; request: unknown }>;
  /** Pushes an event to the listeners the screen registered, as main would. */
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
}

/**
 * The renderer's only way to the station, answered by the handlers a test gives: the components run
 * as they do in the app, against the same interface the preload and the browser socket implement.
 * A channel without a handler rejects, so a test sees what it did not expect the screen to ask.
 */
export function fakeStation(handlers: Handlers = {}): FakeStation {
  const calls: FakeStation['calls'] = [];
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  return {
    calls,
    async invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>) {
      calls.push({ channel, request });
      const handler = handlers[channel] as Handler<C> | undefined;
      if (!handler) throw new Error(`fake station: no handler for ${channel}`);
      return handler(request);
    },
    on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
    emit<E extends EventChannel>(event: E, payload: EventPayload<E>) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(payload);
    },
  };
}

/** Renders a piece of the UI inside the providers the app gives it: the station and a fresh query cache. */
export function renderWithStation(ui: ReactElement, station: StationApi = fakeStation()) {
  // No retries: a failed request shows its error at once instead of after the default three tries.
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <StationProvider api={station}>{ui}</StationProvider>
    </QueryClientProvider>,
  );
  return { ...result, queryClient, station };
}
