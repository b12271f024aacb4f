import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { OrderStatus, OrderType, orderStatusName } from '../../../shared/guardant/codes';
import { toUint32 } from '../../../shared/guardant/numbers';
import type { Order } from '../../../shared/guardant/responses';
import type { StationApi } from '../../../shared/ipc/station-api';
import type { OutboxCounts, OutboxView, PreflightPurpose } from '../../../shared/station/models';
import { useStation } from './station-context';
import { queryKeys, type HistoryQuery } from './query-keys';

/*
 * Server state, read through the typed contract. Data main pushes events for (keys, outbox,
 * connection) never goes stale on its own: the events replace it (see StationEventBridge).
 */

export function useStationInfo() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.info,
    queryFn: () => api.invoke('station:info', {}),
    staleTime: Infinity,
  });
}

export function useAttachedKeys() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.keys,
    queryFn: () => api.invoke('keys:list', {}),
    staleTime: Infinity,
  });
}

/** The host's USB as the bench sees it: notices when keys cannot be found or read. Pushed by 'usb:changed'. */
export function useUsbStatus() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.usbStatus,
    queryFn: () => api.invoke('usb:status', {}),
    staleTime: Infinity,
  });
}

/** The outbox's counts per status; 'outbox:changed' replaces them. */
export function useOutbox() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.outbox,
    queryFn: async (): Promise<OutboxCounts> => api.invoke('outbox:list', { limit: 1 }),
    staleTime: Infinity,
  });
}

/** Rows per page of the Queue screen. */
export const OUTBOX_PAGE_SIZE = 50;

/** One page of the Queue's pending work or history; the page shown stays while the next loads. */
export function useOutboxPage(view: OutboxView, offset: number) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.outboxPage(view, offset),
    queryFn: () => api.invoke('outbox:list', { view, offset, limit: OUTBOX_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
}

export function useConnection() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.connection,
    queryFn: () => api.invoke('connection:get', {}),
    staleTime: Infinity,
  });
}

export function useSettings() {
  const api = useStation();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => api.invoke('settings:get', {}) });
}

export function useOrder(orderId: number | null) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.order(orderId ?? 0),
    queryFn: () => api.invoke('orders:get', { orderId: orderId! }),
    enabled: orderId !== null,
  });
}

/**
 * Finds an order by its number (typed or scanned), through the server-side search. A plain call, not
 * a cached query: arming must answer the Enter just pressed, never an earlier or a background lookup.
 */
export async function findOrderByNumber(api: StationApi, number: number) {
  const page = await api.invoke('orders:list', { q: String(number), limit: 100 });
  const order: Order | null = page.orders.find((o) => o.number === number) ?? null;
  return { order, stale: page.stale, fetchedAt: page.fetchedAt };
}

/** The run's pre-flight: each key's verdict, the order's places left, the balance, what the run takes. */
export function usePrecheck(
  orderId: number | null,
  dongleIds: number[],
  purpose: PreflightPurpose,
  rewriteConfirmed: boolean,
) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.precheck(orderId ?? 0, dongleIds, purpose, rewriteConfirmed),
    queryFn: () => api.invoke('keys:precheck', { orderId: orderId!, dongleIds, purpose, rewriteConfirmed }),
    enabled: orderId !== null && dongleIds.length > 0,
    staleTime: 0,
  });
}

export function useKeyHistory(query: HistoryQuery | null) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.history(query ?? { dongleId: 0 }),
    queryFn: () => api.invoke('keys:history', query!),
    enabled: query !== null,
  });
}

export function useKeyOrders(dongleId: number | null) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.keyOrders(dongleId ?? 0),
    queryFn: () => api.invoke('keys:orders', { dongleId: dongleId! }),
    enabled: dongleId !== null,
  });
}

/** A shift's entries; null: the shift open now. */
export function useShiftLog(shiftId: number | null) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.shiftLog(shiftId),
    queryFn: () => api.invoke('shiftlog:list', shiftId === null ? {} : { shiftId }),
  });
}

/** The shift open now (null: none). Pushed by 'shift:changed'. */
export function useCurrentShift() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.currentShift,
    queryFn: () => api.invoke('shift:current', {}),
    staleTime: Infinity,
  });
}

export function useShifts() {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.shifts,
    queryFn: () => api.invoke('shift:list', {}),
  });
}

/** Keys can be added to, and licences written for, Submitted hardware Sale orders only. */
export function orderTakesKeys(order: Order): { ok: true } | { ok: false; reason: string } {
  if (!order.ishardwarelicense)
    return { ok: false, reason: 'It is a software licence order; it takes no keys.' };
  if (order.type !== OrderType.Sale)
    return {
      ok: false,
      reason:
        order.dongleid !== undefined
          ? `It is an Update order for key ${toUint32(order.dongleid)}: its licence is written into that key from Write licences.`
          : 'It is an Update order; it names its key when it is created.',
    };
  if (order.status !== OrderStatus.Submitted) {
    const status = orderStatusName[order.status] ?? `status ${order.status}`;
    return { ok: false, reason: `It is ${status}; only Submitted orders take keys.` };
  }
  return { ok: true };
}
