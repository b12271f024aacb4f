import type { UseQueryResult } from '@tanstack/react-query';
import { ApiErrorCode } from '../../../shared/guardant/codes';
import { StationRequestError } from '../../../shared/ipc/station-api';
import { ErrorNotice } from './ErrorNotice';

/** The server answers 10024 for a key it has never met: nothing to show, not a failure. */
const unknownKey = (error: unknown) =>
  error instanceof StationRequestError && error.apiCode === ApiErrorCode.DongleNotFound;

/**
 * Loading, "nothing known", or a failure with Retry, for a query about one key (its writes, its
 * orders): the same three answers wherever a key is looked up.
 */
export function KeyQueryStatus({
  query,
  loading,
  unknown,
  failed,
}: {
  query: Pick<UseQueryResult, 'isPending' | 'isError' | 'error' | 'refetch'>;
  loading: string;
  unknown: string;
  failed: string;
}) {
  if (query.isPending) return <p className="muted">{loading}</p>;
  if (!query.isError) return null;
  if (unknownKey(query.error)) return <p className="empty-state">{unknown}</p>;
  return <ErrorNotice title={failed} error={query.error} onRetry={() => void query.refetch()} />;
}
