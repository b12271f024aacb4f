import { useMemo } from 'react';
import type { OrdersQuery } from '../../station/query-keys';
import { useUi } from '../../state/ui-store';
import { OrderDetail } from './OrderDetail';
import { OrderFilters } from './OrderFilters';
import { OrdersList } from './OrdersList';

/** Every order the station knows, searchable; the one picked is shown beside the list. */
export function OrdersScreen() {
  const filters = useUi((s) => s.orderFilters);
  const selectedOrderId = useUi((s) => s.selectedOrderId);
  const selectOrder = useUi((s) => s.selectOrder);

  const query = useMemo<OrdersQuery>(
    () => ({
      sortby: filters.sortby,
      direction: filters.direction,
      ...(filters.status.length ? { status: filters.status } : {}),
      ...(filters.kind !== 'any' ? { hardware: filters.kind === 'hardware' } : {}),
      ...(filters.q.trim() ? { q: filters.q.trim() } : {}),
    }),
    [filters],
  );

  return (
    <section className="screen screen-fill" aria-labelledby="orders-title">
      <div className="screen-head">
        <h1 id="orders-title">Orders</h1>
      </div>
      <OrderFilters />
      <div className="orders-layout">
        <OrdersList
          key={JSON.stringify(query)}
          query={query}
          selectedOrderId={selectedOrderId}
          onOpen={(order) => selectOrder(order._id)}
        />
        <div className="orders-detail-pane">
          {selectedOrderId === null ? (
            <p className="empty-state">Pick an order: arrow keys and Enter, or click.</p>
          ) : (
            <OrderDetail orderId={selectedOrderId} />
          )}
        </div>
      </div>
    </section>
  );
}
