import { describe, expect, it } from 'vitest';
import { NotCachedError } from '../../electron/core/cache/not-cached-error';
import { createDispatcher } from '../../electron/core/ipc/dispatch';
import type { StationHandlers } from '../../electron/core/ipc/handlers';
import { StationFault } from '../../electron/core/ipc/station-fault';
import { OutboxError } from '../../electron/core/outbox/outbox-error';

/** A dispatcher whose every channel throws `error`. */
function throwing(error: unknown) {
  const handlers = new Proxy({} as StationHandlers, {
    get: () => async () => {
      throw error;
    },
  });
  const internal: unknown[] = [];
  return { dispatch: createDispatcher(handlers, (e) => internal.push(e)), internal };
}

describe('the station faults the dispatcher answers with their own code', () => {
  it.each([
    ['StationFault', new StationFault('NOT_SIMULATED', 'a real bench'), 'NOT_SIMULATED'],
    ['OutboxError', new OutboxError('CONFLICT', 'already settled'), 'CONFLICT'],
    ['NotCachedError', new NotCachedError('order 7', new Error('offline')), 'NOT_CACHED'],
  ])('%s', async (_, error, code) => {
    const { dispatch, internal } = throwing(error);
    expect(await dispatch('keys:list', {})).toEqual({
      ok: false,
      error: { code, message: (error as Error).message },
    });
    expect(internal).toEqual([]);
  });

  it('takes an error that only looks coded for an internal one', async () => {
    const lookalike = Object.assign(new Error('not ours'), { code: 'NOT_FOUND' });
    const { dispatch, internal } = throwing(lookalike);
    expect(await dispatch('keys:list', {})).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'not ours' },
    });
    expect(internal).toEqual([lookalike]);
  });
});
