import { useOrder } from '../station/queries';

/**
 * An order named by the number the operator knows. Station records carry the server's order id;
 * the number comes from the order (usually cached already), the id stands in until it does.
 */
export function OrderRef({ orderId }: { orderId: number | null }) {
  const order = useOrder(orderId);
  if (orderId === null) return <>—</>;
  const number = order.data?.order.number;
  return number !== undefined ? (
    <span className="mono">order {number}</span>
  ) : (
    <span className="mono">order id {orderId}</span>
  );
}
