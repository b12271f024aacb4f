import { useQueries, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys, type OrdersQuery } from '../../station/query-keys';
import { useStation } from '../../station/station-context';
import { countRows } from './count-orders';

export const ORDERS_PAGE_SIZE = 100;

/** How far the list is known to reach while its length is not: `pages` pages, the last one `lastPageSize` long. */
interface Extent {
  pages: number;
  lastPageSize: number | null;
}

function grow(prev: Extent, page: number, size: number): Extent {
  if (size < ORDERS_PAGE_SIZE) {
    // A short page is the end of the list.
    if (prev.pages === page + 1 && prev.lastPageSize === size) return prev;
    return { pages: page + 1, lastPageSize: size };
  }
  // A full page: at least one more page may follow it.
  if (prev.pages >= page + 2) return prev;
  return { pages: page + 2, lastPageSize: null };
}

/**
 * The orders list fetched page by page (server-side offset/limit) for the rows on screen only, so
 * 100,000 orders scroll like 100. Each page is its own query: a refresh refetches the pages on
 * screen, not every page ever seen.
 *
 * The API gives no total. A list that fills its first page is counted with one-row probes, so the
 * scrollbar spans the whole list; until the count is in (or if it fails) the list is one page longer
 * than what has been seen, so scrolling on keeps fetching.
 */
export function useOrdersPages(query: OrdersQuery, visibleFrom: number, visibleTo: number) {
  const api = useStation();
  const fetchPage = (page: number) =>
    api.invoke('orders:list', { ...query, offset: page * ORDERS_PAGE_SIZE, limit: ORDERS_PAGE_SIZE });

  const head = useQuery({
    queryKey: queryKeys.ordersPage(query, 0),
    queryFn: () => fetchPage(0),
    staleTime: 60_000,
  });
  const headFull = head.data?.orders.length === ORDERS_PAGE_SIZE;
  const total = useQuery({
    queryKey: queryKeys.ordersCount(query),
    queryFn: () =>
      countRows(
        async (offset) => (await api.invoke('orders:list', { ...query, offset, limit: 1 })).orders.length > 0,
      ),
    enabled: headFull,
    staleTime: 60_000,
  });

  const [extent, setExtent] = useState<Extent>({ pages: 1, lastPageSize: null });
  const extentCount =
    extent.lastPageSize === null
      ? extent.pages * ORDERS_PAGE_SIZE
      : (extent.pages - 1) * ORDERS_PAGE_SIZE + extent.lastPageSize;
  const count = !head.data ? 0 : !headFull ? head.data.orders.length : (total.data ?? extentCount);
  const complete =
    head.data !== undefined && (!headFull || total.data !== undefined || extent.lastPageSize !== null);

  const first = Math.floor(visibleFrom / ORDERS_PAGE_SIZE);
  const last = Math.max(first, Math.floor(visibleTo / ORDERS_PAGE_SIZE));
  const pageNumbers: number[] = [];
  for (let p = Math.max(1, first); p <= last && p * ORDERS_PAGE_SIZE < count; p++) pageNumbers.push(p);

  const results = useQueries({
    queries: pageNumbers.map((page) => ({
      queryKey: queryKeys.ordersPage(query, page),
      queryFn: () => fetchPage(page),
      staleTime: 60_000,
    })),
  });

  const sizes = pageNumbers.map((page, i) => `${page}:${results[i]?.data?.orders.length ?? ''}`).join(',');
  const headSize = head.data?.orders.length;
  useEffect(() => {
    const seen = [`0:${headSize ?? ''}`, ...sizes.split(',')];
    for (const entry of seen) {
      const [page, size] = entry.split(':');
      if (!size) continue;
      // The extent remembers what every page fetched so far showed, also pages since scrolled away
      // from: it accumulates query results as they arrive, which is an effect's job.
      // eslint-disable-next-line react-hooks/set-state-in-effect
      setExtent((prev) => grow(prev, Number(page), Number(size)));
      if (Number(size) < ORDERS_PAGE_SIZE) break;
    }
  }, [headSize, sizes]);

  const pages = new Map([[0, head] as const, ...pageNumbers.map((page, i) => [page, results[i]!] as const)]);
  const all = [head, ...results];
  return {
    count,
    /** True once the length of the list is known. */
    complete,
    orderAt: (index: number) =>
      pages.get(Math.floor(index / ORDERS_PAGE_SIZE))?.data?.orders[index % ORDERS_PAGE_SIZE],
    /** The first page on screen, for its freshness. */
    shownPage: pages.get(first) ?? head,
    failed: all.find((r) => r.isError) ?? (total.isError ? total : undefined),
    loading: all.some((r) => r.isFetching) || total.isFetching,
  };
}
