import { OrderType, orderStatusName } from '../../../shared/guardant/codes';
import type { Customer, Order } from '../../../shared/guardant/responses';

export function customerName(customer: Customer | undefined): string {
  if (!customer) return '—';
  const person = [customer.name, customer.lastname].filter(Boolean).join(' ');
  return customer.companyname ? `${customer.companyname}${person ? ` (${person})` : ''}` : person || '—';
}

/** The customer in a few words: the company, else the person; empty when the order has none. */
export function customerShortName(customer: Customer | undefined): string {
  if (!customer) return '';
  return customer.companyname || [customer.name, customer.lastname].filter(Boolean).join(' ');
}

/** "order 34 · Acme GmbH": how a start button names the order it will use. */
export function orderRunName(order: Pick<Order, 'number' | 'customer'>): string {
  const customer = customerShortName(order.customer);
  return `order ${order.number}${customer ? ` · ${customer}` : ''}`;
}

export const orderTypeName = (order: Pick<Order, 'type'>) =>
  order.type === OrderType.Sale ? 'Sale' : order.type === OrderType.Update ? 'Update' : `type ${order.type}`;

export const licenceKindName = (order: Pick<Order, 'ishardwarelicense'>) =>
  order.ishardwarelicense ? 'Hardware' : 'Software';

export const statusName = (status: number) => orderStatusName[status] ?? `status ${status}`;
