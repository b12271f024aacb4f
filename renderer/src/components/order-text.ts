import { OrderType, orderStatusName } from '../../../shared/guardant/codes';
import type { Customer, Order } from '../../../shared/guardant/responses';

export function customerName(customer: Customer | undefined): string {
  if (!customer) return '—';
  const person = [customer.name, customer.lastname].filter(Boolean).join(' ');
  return customer.companyname ? `${customer.companyname}${person ? ` (${person})` : ''}` : person || '—';
}

export const orderTypeName = (order: Pick<Order, 'type'>) =>
  order.type === OrderType.Sale ? 'Sale' : order.type === OrderType.Update ? 'Update' : `type ${order.type}`;

export const licenceKindName = (order: Pick<Order, 'ishardwarelicense'>) =>
  order.ishardwarelicense ? 'Hardware' : 'Software';

export const statusName = (status: number) => orderStatusName[status] ?? `status ${status}`;
