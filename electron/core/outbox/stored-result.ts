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
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch (error) {
    return { unreadable: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = outboxResultSchema.safeParse(stored);
  if (parsed.success) return { result: parsed.data };
  // "8: Invalid input: expected number, received string"; a few issues say enough.
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'result'}: ${i.message}`);
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  return { unreadable: issues.slice(0, 3).join('; ') + more };
}

/** The words an item with an unreadable result carries as its last error. */
export const unreadableResultWords = (why: string) => `stored result unreadable: ${why}`;
