import { z } from 'zod';
import { checkStored, parseStoredJson } from '../db/stored-json';
import type { OutboxItem, OutboxKind } from '../../../shared/station/models';
import { storedKeyIdentitySchema } from './stored-key-identity';

/**
 * What an item needs to act, beyond its order and keys, per kind. Stored as JSON in `outbox.payload`
 * without its `kind` (the row's `kind` column says it), parsed when the row is read.
 */
export const outboxPayloadSchema = z.discriminatedUnion('kind', [
  /** The identities the server needs (up to 1000). */
  z.object({ kind: z.literal('add-keys'), keys: z.array(storedKeyIdentitySchema).min(1) }),
  z.object({ kind: z.literal('remove-key') }),
  z.object({ kind: z.literal('set-driver-type'), driverType: z.number().int() }),
  z.object({
    kind: z.literal('write-license'),
    /** The latest burn `_id` of this order and key before the write was sent (0: none). */
    baseline: z.number().int().optional(),
    /** A write may have reached the server without its answer reaching us. */
    outcomeUnknown: z.boolean().optional(),
    /**
     * Made when the item is first sent and kept for every attempt after, so the license manager and
     * the server can tell this write from every other (a UUID: unique across stations).
     */
    idempotencyKey: z.string().optional(),
  }),
]);
export type OutboxPayload = z.infer<typeof outboxPayloadSchema>;
export type PayloadOf<K extends OutboxKind> = Extract<OutboxPayload, { kind: K }>;

// Every kind has its payload, and no payload names a kind the outbox does not know.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _everyKind: Same<OutboxPayload['kind'], OutboxKind> = true;
void _everyKind;

/** An item as the worker sees it: the public item plus its payload, narrowed together by `kind`. */
export type QueuedItem = {
  [K in OutboxKind]: Omit<OutboxItem, 'kind'> & { kind: K; payload: PayloadOf<K> };
}[OutboxKind];

export type QueuedOf<K extends OutboxKind> = Extract<QueuedItem, { kind: K }>;

/**
 * An item whose stored payload does not parse (a damaged row, or one written by a format this build
 * does not know): it cannot be sent, and the worker fails it with `unreadable` in words.
 */
export interface UnreadableItem extends OutboxItem {
  payload: null;
  unreadable: string;
}

export type ReadItem = QueuedItem | UnreadableItem;

/** The payload of a row, or why it cannot be read. */
export function parsePayload(
  kind: string,
  json: string,
): { payload: OutboxPayload } | { unreadable: string } {
  const read = parseStoredJson(json);
  if ('unreadable' in read) return read;
  const stored = read.value;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    return { unreadable: `not an object but ${JSON.stringify(stored)}` };
  }
  const checked = checkStored(outboxPayloadSchema, { ...stored, kind }, 'payload');
  return 'unreadable' in checked ? checked : { payload: checked.value };
}

/** The stored JSON: the payload without its kind. */
export function storedPayload(payload: OutboxPayload): string {
  const { kind: _kind, ...stored } = payload;
  return JSON.stringify(stored);
}

/** The words an unreadable item fails with. */
export const unreadableWords = (item: UnreadableItem) => `stored payload unreadable: ${item.unreadable}`;
