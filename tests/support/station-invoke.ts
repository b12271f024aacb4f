import type { InvokeChannel, InvokeRequest, InvokeResponse } from '../../shared/ipc/contract';
import { StationRequestError, type StationApi } from '../../shared/ipc/station-api';
import type { Station } from '../../electron/core/station';

/**
 * A channel asked of a station in this process, through its dispatcher (as every host asks it): the
 * request is checked against the contract, and a refusal is thrown as the renderer would see it.
 */
export async function invoke<C extends InvokeChannel>(
  station: Pick<Station, 'dispatch'>,
  channel: C,
  request: InvokeRequest<C>,
): Promise<InvokeResponse<C>> {
  const result = await station.dispatch(channel, request);
  if (!result.ok) throw new StationRequestError(result.error);
  return result.value as InvokeResponse<C>;
}

/** The renderer's invoke over a station in this process, without a host between them. */
export function inProcessApi(station: Pick<Station, 'dispatch'>): Pick<StationApi, 'invoke'> {
  return { invoke: (channel, request) => invoke(station, channel, request) };
}
