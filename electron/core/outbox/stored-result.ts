import { checkStored, parseStoredJson } from '../db/stored-json';
import { outboxResultSchema, type OutboxResult } from '../../../shared/station/models';

/**
 * The per-key codes of a row (`outbox.result`), or why they cannot be read: a damaged row, or a value
 * migration 008 could not turn into a number. Such an item is still listed and shown, with the reason
 * in words, rather than throwing for every list or summary that reads it.
 */
export function parseStoredResult(
  json: string | null,
): { result: OutboxResult | null } | { unreadable: string } {
  if (json === null) return { result: null };
  const read = parseStoredJson(json);
  if ('unreadable' in read) return read;
  const checked = checkStored(outboxResultSchema, read.value, 'result');
  return 'unreadable' in checked ? checked : { result: checked.value };
}

/** The words an item with an unreadable result carries as its last error. */
export const unreadableResultWords = (why: string) => `stored result unreadable: ${why}`;
