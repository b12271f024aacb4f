import { StationErrorCode } from '../../../shared/ipc/result';
import type { OutboxItem } from '../../../shared/station/models';
import type { KeyIdentity } from '../../../shared/station/models';
import type { StationHandlers } from '../ipc/handlers';
import { StationFault } from '../ipc/station-fault';
import type { ShiftLog } from '../shift-log/shift-log';
import type { Outbox } from './outbox';

type QueueChannels =
  | 'outbox:list'
  | 'outbox:item'
  | 'outbox:retry'
  | 'outbox:cancel'
  | 'outbox:retryAll'
  | 'outbox:cancelAll'
  | 'keys:addToOrder'
  | 'keys:removeFromOrder'
  | 'keys:setDriverType';

export interface QueueHandlerPorts {
  outbox: Pick<
    Outbox,
    'list' | 'get' | 'retry' | 'cancel' | 'enqueueAddKeys' | 'enqueueRemoveKey' | 'enqueueSetDriverType'
  >;
  /** Retry or cancel every failed or pending item up to one (runs/queue-actions.ts). */
  bulk: {
    retryAll: (upToId: number) => { count: number };
    cancelAll: (upToId: number) => { count: number };
  };
  /**
   * An item the operator cancelled: the worker never sees it, so its meaning for the runs is applied
   * by whoever is given it here.
   */
  cancelled: (item: OutboxItem) => void;
  /** The identities of keys named in a request, all of which must be plugged in. */
  identities: (dongleIds: number[]) => KeyIdentity[];
  shiftLog: Pick<ShiftLog, 'record'>;
}

/** The outbox's channels: what is queued for the server, and the operator's hand on it. */
export function queueHandlers(ports: QueueHandlerPorts): Pick<StationHandlers, QueueChannels> {
  const { outbox } = ports;
  return {
    'outbox:list': async (query) => outbox.list(query),
    'outbox:item': async ({ itemId }) => {
      const item = outbox.get(itemId);
      if (!item) throw new StationFault(StationErrorCode.NotFound, `no queued item ${itemId}`);
      return item;
    },
    'outbox:retry': async ({ itemId }) => outbox.retry(itemId),
    'outbox:cancel': async ({ itemId }) => {
      const item = outbox.cancel(itemId);
      ports.cancelled(item);
      return item;
    },
    'outbox:retryAll': async ({ upToId }) => ports.bulk.retryAll(upToId),
    'outbox:cancelAll': async ({ upToId }) => ports.bulk.cancelAll(upToId),
    'keys:addToOrder': async ({ orderId, dongleIds }) => {
      const item = outbox.enqueueAddKeys(orderId, ports.identities(dongleIds));
      ports.shiftLog.record({
        action: 'add-keys queued',
        orderId,
        outcome: 'pending',
        detail: `${dongleIds.length} key(s)`,
      });
      return item;
    },
    'keys:removeFromOrder': async ({ orderId, dongleId }) => outbox.enqueueRemoveKey(orderId, dongleId),
    'keys:setDriverType': async ({ dongleId, driverType }) =>
      outbox.enqueueSetDriverType(dongleId, driverType),
  };
}
