import type { StationHandlers } from '../ipc/handlers';
import type { ReadCache } from './read-cache';

type OrderChannels = 'orders:list' | 'orders:get' | 'products:list' | 'keys:history' | 'keys:orders';

/** The server's orders, products and key histories, read through the cache (so they work offline). */
export function orderHandlers(
  cache: Pick<ReadCache, 'listOrders' | 'getOrder' | 'listProducts' | 'keyHistory' | 'keyOrders'>,
): Pick<StationHandlers, OrderChannels> {
  return {
    'orders:list': async (request) => cache.listOrders(request),
    'orders:get': async ({ orderId }) => cache.getOrder(orderId),
    'products:list': async () => cache.listProducts(),
    'keys:history': async ({ dongleId, ...query }) => cache.keyHistory(dongleId, query),
    'keys:orders': async ({ dongleId }) => cache.keyOrders(dongleId),
  };
}
