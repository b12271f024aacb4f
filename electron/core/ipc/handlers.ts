import type { InvokeChannel, InvokeResponse, ParsedRequest } from '../../../shared/ipc/contract';

/** One function per contract channel; a missing or misspelt channel does not compile. */
export type StationHandlers = {
  [C in InvokeChannel]: (request: ParsedRequest<C>) => Promise<InvokeResponse<C>>;
};
