import type { ReactNode } from 'react';
import type { OrderView } from '../../../../shared/station/models';
import { statusName } from '../../components/order-text';

/**
 * An order's title line: its number and status, then the caller's badge (how fresh the view is). It
 * names the article the order is shown in (aria-labelledby="order-detail-title").
 */
export function OrderHeader({
  order,
  children,
}: {
  order: Pick<OrderView['order'], 'number' | 'status'>;
  children: ReactNode;
}) {
  return (
    <div className="screen-head">
      <h2 id="order-detail-title">
        Order <span className="mono">{order.number}</span>
      </h2>
      <span className={`status status-${order.status}`}>{statusName(order.status)}</span>
      {children}
    </div>
  );
}
