import { KeyQueryStatus } from '../../components/KeyQueryStatus';
import { StaleBadge } from '../../components/StaleBadge';
import type { useKeyOrders } from '../../station/queries';
import { KeyOrdersTable } from './KeyOrdersTable';

/**
 * "Orders holding the key": the same section in the key's dialog and on the History screen. The caller
 * owns the query, so it starts when the caller mounts; `Heading` fits the section into its page.
 */
export function KeyOrdersSection({
  dongleId,
  orders,
  heading: Heading,
}: {
  dongleId: number;
  orders: ReturnType<typeof useKeyOrders>;
  heading: 'h2' | 'h3';
}) {
  return (
    <>
      <div className="section-head">
        <Heading>Orders holding the key</Heading>
        <StaleBadge view={orders.data} />
      </div>
      <KeyQueryStatus
        query={orders}
        loading="Loading the orders…"
        unknown="The key is in no order."
        failed="Could not load the key's orders"
      />
      {orders.data && <KeyOrdersTable dongleId={dongleId} orders={orders.data.orders} />}
    </>
  );
}
