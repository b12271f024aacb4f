import type { z } from 'zod';

/** A stored JSON column read, or why it cannot be: the words an item carries instead of a crash. */
export type StoredRead<T> = { value: T } | { unreadable: string };

/** JSON.parse of a stored column, with a failure in words rather than thrown. */
export function parseStoredJson(json: string): StoredRead<unknown> {
  try {
    return { value: JSON.parse(json) as unknown };
  } catch (error) {
    return { unreadable: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/**
 * A parsed value checked against its schema; a refusal names at most three issues, each by its path
 * ("driverType: Invalid input: expected number, received string") or by `what` at the top level.
 */
export function checkStored<T>(schema: z.ZodType<T>, value: unknown, what: string): StoredRead<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { value: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`);
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  return { unreadable: issues.slice(0, 3).join('; ') + more };
}
