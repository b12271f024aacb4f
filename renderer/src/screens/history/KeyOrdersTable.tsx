import type { Order } from '../../../../shared/guardant/responses';
import { customerName, licenceKindName, orderTypeName, statusName } from '../../components/order-text';
import { formatUnixDate } from '../../components/format';
import { useUi } from '../../state/ui-store';

/** The orders that hold a key now; each opens in Orders. */
export function KeyOrdersTable({ dongleId, orders }: { dongleId: number; orders: Order[] }) {
  const selectOrder = useUi((s) => s.selectOrder);
  const go = useUi((s) => s.go);
  if (!orders.length) return <p className="empty-state">The key is in no order.</p>;
  return (
    <table className="data-table" aria-label={`Orders of key ${dongleId}`}>
      <thead>
        <tr>
          <th scope="col">Order</th>
          <th scope="col">Customer</th>
          <th scope="col">Status</th>
          <th scope="col">Kind</th>
          <th scope="col">Submitted</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o._id}>
            <td>
              <button
                type="button"
                className="link mono"
                aria-label={`Open order ${o.number}`}
                onClick={() => {
                  selectOrder(o._id);
                  go('orders');
                }}
              >
                {o.number}
              </button>
            </td>
            <td>{customerName(o.customer)}</td>
            <td className={`status status-${o.status}`}>{statusName(o.status)}</td>
            <td>
              {licenceKindName(o)} {orderTypeName(o)}
            </td>
            <td className="mono">{formatUnixDate(o.submitdate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
