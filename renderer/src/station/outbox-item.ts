import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { OutboxItem } from '../../../shared/station/models';
import { queryKeys } from './query-keys';
import { useStation } from './station-context';

/**
 * One outbox item in full, with its per-key results ('outbox:item'). The summary main pushes carries
 * counts only, so StationEventBridge refetches a followed item when its entry in the summary moves.
 */
export function useOutboxItem(itemId: number | null) {
  const api = useStation();
  return useQuery({
    queryKey: queryKeys.outboxItem(itemId ?? 0),
    queryFn: () => api.invoke('outbox:item', { itemId: itemId! }),
    enabled: itemId !== null,
    staleTime: Infinity,
  });
}

/** Seeds the followed item with the one a request answered, so it shows before any refetch. */
export function useSeedOutboxItem() {
  const queryClient = useQueryClient();
  return useCallback(
    (item: OutboxItem) => queryClient.setQueryData(queryKeys.outboxItem(item.id), item),
    [queryClient],
  );
}
