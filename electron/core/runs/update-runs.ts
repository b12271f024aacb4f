import { StationErrorCode } from '../../../shared/ipc/result';
import { OrderType } from '../../../shared/guardant/codes';
import type { Order } from '../../../shared/guardant/responses';
import { updateOrderKey, updateOrderWritable } from '../../../shared/station/update-order';
import { StationFault } from '../ipc/station-fault';
import type { LeftOutKey, Runs } from './runs';

export interface UpdateRunsPorts {
  /** The order as the station knows it (the server, or the read cache offline); null when unknown. */
  order(orderId: number): Promise<Order | null>;
  runs: Pick<Runs, 'start'>;
}

/**
 * Runs of hardware Update orders. Such an order names its key and binds it when submitted, so it takes
 * no adds and answers canadddongle with 10031: the Sale pre-flight does not apply. Its run writes the
 * named key directly, and leaves any other selected key out with the reason.
 */
export class UpdateRuns {
  constructor(private readonly ports: UpdateRunsPorts) {}

  /** Starts the run when the order is an Update order (its id); null when it is not, for the Sale path. */
  async start(orderId: number, dongleIds: number[]): Promise<number | null> {
    const order = await this.ports.order(orderId);
    if (!order || order.type !== OrderType.Update) return null;
    const key = updateOrderKey(order);
    if (key === null) {
      throw new StationFault(
        StationErrorCode.InvalidRequest,
        `Order ${order.number} updates a serial number, not a key: there is nothing to write on the bench.`,
      );
    }
    const writable = updateOrderWritable(order);
    if (!writable.ok) {
      throw new StationFault(StationErrorCode.InvalidRequest, `Order ${order.number}: ${writable.reason}`);
    }
    const leftOut: LeftOutKey[] = dongleIds
      .filter((id) => id !== key)
      .map((dongleId) => ({
        dongleId,
        reason: `Update order ${order.number} is for key ${key} only.`,
        apiCode: null,
        leftOut: 'not-this-key',
      }));
    return this.ports.runs.start(orderId, dongleIds, leftOut, { bound: true });
  }
}
