import type { OutboxView, PreflightPurpose } from '../../../shared/station/models';
import type { InvokeRequest } from '../../../shared/ipc/contract';

export type OrdersQuery = Omit<InvokeRequest<'orders:list'>, 'offset' | 'limit'>;
export type HistoryQuery = InvokeRequest<'keys:history'>;

/**
 * React Query keys of the station's data, one place, so events and screens name the same entries.
 * Everything derived from the server's orders lives under 'orders' or 'order' so one invalidation
 * after 'cache:updated' reaches it.
 */
export const queryKeys = {
  info: ['station-info'] as const,
  keys: ['keys'] as const,
  usbStatus: ['usb-status'] as const,
  /** The simulated keys that are out, asked again whenever the number plugged changes. */
  unpluggedKeys: ['bench-unplugged'] as const,
  outbox: ['outbox'] as const,
  /** A page of the Queue screen's pending work or history; refetched after every outbox change. */
  outboxPage: (view: OutboxView, offset: number) => ['outbox-page', view, offset] as const,
  anyOutboxPage: ['outbox-page'] as const,
  /** One outbox item someone follows; kept even when it drops off the summary's bounded list. */
  outboxItem: (itemId: number) => ['outbox-item', itemId] as const,
  connection: ['connection'] as const,
  settings: ['settings'] as const,
  products: ['products'] as const,
  orders: ['orders'] as const,
  ordersPage: (query: OrdersQuery, page: number) => ['orders', 'page', query, page] as const,
  ordersCount: (query: OrdersQuery) => ['orders', 'count', query] as const,
  order: (orderId: number) => ['order', orderId] as const,
  anyOrder: ['order'] as const,
  precheck: (orderId: number, dongleIds: number[], purpose: PreflightPurpose, rewriteConfirmed: boolean) =>
    ['order', orderId, 'precheck', purpose, rewriteConfirmed, dongleIds] as const,
  anyHistory: ['key-history'] as const,
  history: (query: HistoryQuery) => ['key-history', query] as const,
  keyOrders: (dongleId: number) => ['orders', 'of-key', dongleId] as const,
  anyShiftLog: ['shiftlog'] as const,
  /** A shift's entries; null: the shift open now. */
  shiftLog: (shiftId: number | null) => ['shiftlog', shiftId] as const,
  currentShift: ['shift', 'current'] as const,
  shifts: ['shift', 'list'] as const,
};
