import type { OrderView } from '../../../shared/station/models';
import { customerName, licenceKindName, orderTypeName, statusName } from './order-text';
import { orderTakesKeys } from '../station/queries';
import { StaleBadge } from './StaleBadge';

/** The order a batch goes into, in one line, and whether it can take keys. */
export function OrderSummary({ view }: { view: OrderView }) {
  const order = view.order;
  const takes = orderTakesKeys(order);
  // The detail lists at most the first 1000 keys; donglescount is how many the order holds.
  const held = order.donglescount ?? order.dongles?.length ?? 0;
  return (
    <div
      className={`order-summary ${takes.ok ? '' : 'order-summary-refused'}`}
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
      {!takes.ok && (
        <p className="notice notice-error" role="alert">
          This order cannot take keys. {takes.reason}
        </p>
      )}
    </div>
  );
}
