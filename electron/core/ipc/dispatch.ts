import { invokeChannels, isInvokeChannel } from '../../../shared/ipc/contract';
import { StationErrorCode, type IpcResult, type StationError } from '../../../shared/ipc/result';
import { toStationError } from '../api/errors';
import { licenseManagerStationError } from '../license-manager/to-station-error';
import type { StationHandlers } from './handlers';
import { StationFault } from './station-fault';

/** Core errors that name their IPC code (StationFault and its kin). */
function coreError(error: unknown): StationError | null {
  return error instanceof StationFault ? { code: error.code, message: error.message } : null;
}

function describe(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : 'request'}: ${i.message}`)
    .join('; ');
}

/**
 * The boundary every host funnels through: unknown channels and malformed payloads are refused here,
 * before any handler runs, and every outcome becomes {ok,value} or {ok:false,error}.
 */
export function createDispatcher(handlers: StationHandlers, onInternalError?: (error: unknown) => void) {
  return async function dispatch(channel: unknown, request: unknown): Promise<IpcResult<unknown>> {
    if (!isInvokeChannel(channel)) {
      return {
        ok: false,
        error: {
          code: StationErrorCode.UnknownChannel,
          message: `unknown channel ${String(channel).slice(0, 64)}`,
        },
      };
    }
    // An omitted payload means "no arguments"; null, arrays and scalars are malformed, not empty.
    const parsed = invokeChannels[channel].request.safeParse(request === undefined ? {} : request);
    if (!parsed.success) {
      return {
        ok: false,
        error: { code: StationErrorCode.InvalidRequest, message: describe(parsed.error.issues) },
      };
    }
    try {
      const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      const stationError = coreError(error) ?? licenseManagerStationError(error) ?? toStationError(error);
      if (stationError.code === StationErrorCode.Internal) onInternalError?.(error);
      return { ok: false, error: stationError };
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;
