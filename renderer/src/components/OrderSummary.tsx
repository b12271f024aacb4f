import type { OrderView } from '../../../shared/station/models';
import { customerName, licenceKindName, orderTypeName, statusName } from './order-text';
import { orderTakesKeys } from '../station/queries';
import { StaleBadge } from './StaleBadge';
import { updateOrderKey } from '../../../shared/station/update-order';

/** The order a batch goes into, in one line, and whether it can take keys. */
export function OrderSummary({ view }: { view: OrderView }) {
  const order = view.order;
  const takes = orderTakesKeys(order);
  // An Update order takes no keys, which is no refusal: it is written into the key it names.
  const updates = updateOrderKey(order);
  // The detail lists at most the first 1000 keys; donglescount is how many the order holds.
  const held = order.donglescount ?? order.dongles?.length ?? 0;
  return (
    <div
      className={`order-summary ${takes.ok || updates !== null ? '' : 'order-summary-refused'}`}
      aria-label="Chosen order"
      role="group"
    >
      <span className="order-summary-number mono">Order {order.number}</span>
      <span>{customerName(order.customer)}</span>
      <span className={`status status-${order.status}`}>{statusName(order.status)}</span>
      <span>
        {licenceKindName(order)} {orderTypeName(order)}
      </span>
      <span className="mono">
        {/* Offline with only the order's summary, how many keys it holds is not known here. */}
        {view.summaryOnly
          ? `? of ${order.quantity} keys (not available offline)`
          : `${held} of ${order.quantity} keys`}
      </span>
      <StaleBadge view={view} />
      {updates !== null && (
        <p className="notice">
          Updates key <span className="mono">{updates}</span>: it takes no keys; its licence is written into
          that key.
        </p>
      )}
      {!takes.ok && updates === null && (
        <p className="notice notice-error" role="alert">
          This order cannot take keys. {takes.reason}
        </p>
      )}
    </div>
  );
}
