import type { Order } from '../../../shared/guardant/responses';
import type { OrderView } from '../../../shared/station/models';
import { OrderSummary } from './OrderSummary';
import { customerShortName } from './order-text';

/**
 * Which order the screen's start button will use, in a box that cannot be missed: nothing until a
 * number is confirmed with Enter, and nothing again as soon as anything new is typed or scanned.
 */
export function ArmedOrder({ armed, view }: { armed: Order | null; view: OrderView | undefined }) {
  if (!armed) {
    return (
      <div className="armed armed-none" role="status" aria-label="Armed order">
        <span className="armed-badge">Nothing armed</span>
        <span>Scan or type an order number, then Enter.</span>
      </div>
    );
  }
  return (
    <div className="armed armed-on" role="status" aria-label="Armed order">
      <span className="armed-badge">Armed</span>
      {view && view.order._id === armed._id ? (
        <OrderSummary view={view} />
      ) : (
        <span>
          <span className="order-summary-number mono">Order {armed.number}</span>{' '}
          {customerShortName(armed.customer)} <span className="muted">Loading the order…</span>
        </span>
      )}
    </div>
  );
}
