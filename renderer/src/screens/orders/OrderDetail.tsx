import { ErrorNotice } from '../../components/ErrorNotice';
import { formatUnixDate, formatUnixDateTime } from '../../components/format';
import { StaleBadge } from '../../components/StaleBadge';
import { updateOrderKey } from '../../../../shared/station/update-order';
import { orderTakesKeys, useOrder } from '../../station/queries';
import { useUi } from '../../state/ui-store';
import { OrderHeader } from './OrderHeader';
import { OrderKeyFit } from './OrderKeyFit';
import { OrderKeys } from './OrderKeys';
import { OrderNotOffline } from './OrderNotOffline';
import { OrderProducts } from './OrderProducts';
import { customerName, licenceKindName, orderTypeName, statusName } from '../../components/order-text';

/** One order in full: who, what kind, its products and terms, and the keys it holds. */
export function OrderDetail({ orderId }: { orderId: number }) {
  const view = useOrder(orderId);
  const go = useUi((s) => s.go);
  const selectedKeys = useUi((s) => s.selectedKeyIds.length);

  if (view.isPending) return <p className="muted">Loading the order…</p>;
  if (view.isError) {
    return (
      <ErrorNotice title="Could not load the order" error={view.error} onRetry={() => void view.refetch()} />
    );
  }
  if (view.data.summaryOnly) return <OrderNotOffline view={view.data} />;
  const order = view.data.order;
  const takes = orderTakesKeys(order);
  const dongles = order.dongles ?? [];
  // The server lists at most the first 1000 keys; donglescount is how many the order holds.
  const held = order.donglescount ?? dongles.length;

  return (
    <article className="order-detail" aria-labelledby="order-detail-title">
      <OrderHeader order={order}>
        <StaleBadge view={view.data} />
      </OrderHeader>
      <div className="toolbar">
        <button type="button" disabled={!takes.ok} onClick={() => go('add', { orderNumber: order.number })}>
          Add {selectedKeys ? `${selectedKeys} selected` : 'selected'} keys to this order
        </button>
        <button
          type="button"
          // A hardware Update order takes no keys but is written into the key it names.
          disabled={!takes.ok && updateOrderKey(order) === null}
          onClick={() => go('write', { orderNumber: order.number })}
        >
          Write licences for this order
        </button>
        {!takes.ok && <span className="muted">{takes.reason}</span>}
      </div>
      <dl className="facts">
        <dt>Customer</dt>
        <dd>{customerName(order.customer)}</dd>
        <dt>Type</dt>
        <dd>{orderTypeName(order)}</dd>
        <dt>Licence kind</dt>
        <dd>{licenceKindName(order)}</dd>
        <dt>Status</dt>
        <dd>{statusName(order.status)}</dd>
        <dt>Keys</dt>
        <dd className="mono">
          {held} of {order.quantity}
        </dd>
        <dt>Created</dt>
        <dd className="mono">{formatUnixDateTime(order.date)}</dd>
        <dt>Submitted</dt>
        <dd className="mono">{formatUnixDateTime(order.submitdate)}</dd>
        {Boolean(order.activationbirthdate || order.activationdeathdate) && (
          <>
            <dt>Activation period</dt>
            <dd className="mono">
              {formatUnixDate(order.activationbirthdate)} – {formatUnixDate(order.activationdeathdate)}
            </dd>
          </>
        )}
        {Boolean(order.serialnumber) && (
          <>
            <dt>Updates serial</dt>
            <dd className="mono">{order.serialnumber}</dd>
          </>
        )}
        {order.dongleid !== undefined && (
          <>
            <dt>Updates key</dt>
            <dd className="mono">{order.dongleid}</dd>
          </>
        )}
        {Boolean(order.description) && (
          <>
            <dt>Description</dt>
            <dd>{order.description}</dd>
          </>
        )}
      </dl>
      <h3>Keys that fit</h3>
      <OrderKeyFit order={order} />
      <h3>Products</h3>
      <OrderProducts products={order.products ?? []} />
      <h3>Keys in the order</h3>
      <OrderKeys orderNumber={order.number} dongles={dongles} total={held} />
    </article>
  );
}
