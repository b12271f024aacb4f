import { StationErrorCode } from '../../../shared/ipc/result';
import { StationFault } from '../ipc/station-fault';
import type { StationHandlers } from '../ipc/handlers';
import type { ShiftLog } from './shift-log';
import { ShiftOpenError } from './shifts';

type ShiftChannels =
  | 'shift:start'
  | 'shift:end'
  | 'shift:current'
  | 'shift:list'
  | 'shiftlog:list'
  | 'shiftlog:csv'
  | 'shiftlog:summaryCsv';

/** The shift and shift-log channels; station.ts only spreads them into its handlers. */
export function shiftHandlers(shiftLog: ShiftLog): Pick<StationHandlers, ShiftChannels> {
  const { shifts } = shiftLog;
  /** The filter as asked, once its shift is known to exist (none named: the open shift). */
  const known = <F extends { shiftId?: number }>(filter: F): F => {
    if (filter.shiftId !== undefined && !shifts.get(filter.shiftId))
      throw new StationFault(
        StationErrorCode.NotFound,
        `There is no shift ${filter.shiftId} at this station.`,
      );
    return filter;
  };
  return {
    'shift:start': async ({ operator }) => {
      try {
        return shifts.start(operator);
      } catch (error) {
        if (error instanceof ShiftOpenError) throw new StationFault(StationErrorCode.Conflict, error.message);
        throw error;
      }
    },
    'shift:end': async () => shifts.end(),
    'shift:current': async () => shifts.current(),
    'shift:list': async ({ limit }) => shifts.list(limit),
    'shiftlog:list': async (filter) => shiftLog.list(known(filter)),
    'shiftlog:csv': async (filter) => shiftLog.csv(known(filter)),
    'shiftlog:summaryCsv': async (filter) => shiftLog.summaryCsv(known(filter)),
  };
}
