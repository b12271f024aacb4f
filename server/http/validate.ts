import type { z } from 'zod';
import { ApiErrorCode } from '../../shared/guardant/codes';
import { BOUNDS, parseBoundedDecimal } from '../../shared/guardant/bounds';
import { KEY_ID_DECIMAL, parseKeyId } from '../../shared/guardant/numbers';
import { ApiError } from './api-error';

/** "orderQuantity: must be at least 1; dongles.3.dongleId: must fit in 32 bits" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'body';
      if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.join(', ')}`;
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null)
    throw new ApiError(ApiErrorCode.InvalidField, 'a JSON body is required');
  const result = schema.safeParse(body);
  if (!result.success) throw new ApiError(ApiErrorCode.InvalidField, describeIssues(result.error));
  return result.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new ApiError(ApiErrorCode.InvalidQuery, describeIssues(result.error));
  return result.data;
}

/** Path ids: decimal integers within the shared record-id bounds (the station's contract uses the same). */
export function parseId(raw: string | undefined, what: string): number {
  const id = parseBoundedDecimal(raw, BOUNDS.recordId);
  if (id === null) {
    throw new ApiError(
      ApiErrorCode.InvalidField,
      `${what} must be a whole number from ${BOUNDS.recordId.min} to ${BOUNDS.recordId.max}`,
    );
  }
  return id;
}

export function parseDongleId(raw: string | undefined): number {
  if (raw === undefined || !KEY_ID_DECIMAL.test(raw)) {
    throw new ApiError(ApiErrorCode.InvalidField, 'the key id must be a 32-bit whole number');
  }
  // The 32-bit rule (signed or unsigned in, unsigned out) is shared/guardant/numbers.ts's, not restated here.
  const id = parseKeyId(raw);
  if (id === null) throw new ApiError(ApiErrorCode.InvalidField, 'the key id must fit in 32 bits');
  return id;
}

/** C0 controls and DEL. SQLite reads a LIKE pattern only up to a NUL, so '%\0zzzz%' would match anything. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/** Search text must be printable: a control character is refused, never matched or silently dropped. */
export function refuseControlCharacters(value: string | undefined, field: string, code: ApiErrorCode): void {
  const found = value === undefined ? null : CONTROL_CHARACTER.exec(value);
  if (found) {
    const hex = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw new ApiError(code, `${field}: must not contain control characters (found U+${hex})`);
  }
}
