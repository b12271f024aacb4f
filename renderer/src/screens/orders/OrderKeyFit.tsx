import { modelText } from '../../../../shared/guardant/codes';
import { orderKeyNeeds } from '../../../../shared/guardant/key-fit';
import type { OrderDetail } from '../../../../shared/guardant/responses';

const listWords = (names: string[]) =>
  names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

/**
 * Which keys the order fits, in words, before any is tried: the key model (a time-limited licence needs
 * a key with a clock) and the network resource (at least the network licences the order carries).
 */
export function OrderKeyFit({ order }: { order: OrderDetail }) {
  if (!order.ishardwarelicense) {
    return <p>A software order: it issues serial numbers, no keys go into it.</p>;
  }
  if (!order.products) {
    return <p className="muted">Which keys fit is known once the order&apos;s products are loaded.</p>;
  }
  const needs = orderKeyNeeds(order.products);
  const models =
    needs.models === 'any'
      ? 'Any key model fits: nothing in the order is time-limited.'
      : `Key model: ${listWords(needs.models.map(modelText))} only, because a licence in the order is time-limited and needs the key's clock.`;
  const network =
    needs.netLicenses > 0
      ? `Network resource: at least ${needs.netLicenses}, the network licences the order carries.`
      : 'Network resource: any, including none; the order carries no network licences.';
  return (
    <ul className="key-fit" aria-label="Keys that fit this order">
      <li>{models}</li>
      <li>{network}</li>
    </ul>
  );
}
