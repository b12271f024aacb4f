import type { OrderView } from '../../../../shared/station/models';
import { formatAgo } from '../../components/format';
import { customerName } from '../../components/order-text';
import { useNow } from '../../components/use-now';
import { OrderHeader } from './OrderHeader';

/**
 * Offline, an order this station only ever saw in a list: what the list said (number, status,
 * customer) and, in words, that its products and keys are not here. Nothing is shown as empty that
 * was simply never fetched.
 */
export function OrderNotOffline({ view }: { view: OrderView }) {
  const order = view.order;
  const now = useNow();
  // The age is the list's, so the badge says "listed", never "cached": nothing else of it is cached.
  const listed = view.fetchedAt === null ? 'listed earlier' : `listed ${formatAgo(now - view.fetchedAt)}`;
  return (
    <article className="order-detail" aria-labelledby="order-detail-title">
      <OrderHeader order={order}>
        <span className="badge badge-stale">{listed}</span>
      </OrderHeader>
      <div className="notice notice-warning" role="status">
        <p className="notice-title">The details of this order are not available offline.</p>
        <p>
          This station has listed the order ({customerName(order.customer)}) but never opened it while the
          server could be reached, so its products and keys are not here. They show as soon as the server is
          back.
        </p>
      </div>
    </article>
  );
}
