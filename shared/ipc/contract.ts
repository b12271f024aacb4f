import { z } from 'zod';
import type { ActionResult } from '../guardant/codes';
import { actionResultValues } from '../guardant/codes';
import {
  attachedKeySchema,
  connectionSchema,
  keyHistorySchema,
  keyOrdersSchema,
  orderViewSchema,
  ordersPageSchema,
  outboxItemSchema,
  outboxSummarySchema,
  precheckVerdictSchema,
  productsViewSchema,
  runSummarySchema,
  runViewSchema,
  settingsSchema,
  shiftLogEntrySchema,
  stationInfoSchema,
  WRITE_CONCURRENCY,
  writeProgressSchema,
} from '../station/models';

/**
 * The one contract between the station's main process and its renderer. Electron's ipcMain and the
 * browser-mode WebSocket both carry exactly these channels; main validates every request against
 * its schema before a handler runs.
 */

const id = z
  .number()
  .int()
  .positive()
  .max(2 ** 53 - 1);
const dongleId = z.number().int().min(0).max(4294967295);
const dongleIds = z.array(dongleId).min(1).max(1000);
const none = z.strictObject({});

export const invokeChannels = {
  'station:info': { request: none, response: stationInfoSchema },
  'keys:list': { request: none, response: z.array(attachedKeySchema) },
  'orders:list': {
    request: z.strictObject({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
      sortby: z.enum(['number', 'submitdate']).default('number'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      status: z.array(z.number().int().min(0).max(3)).max(4).optional(),
      q: z.string().max(100).optional(),
    }),
    response: ordersPageSchema,
  },
  'orders:get': { request: z.strictObject({ orderId: id }), response: orderViewSchema },
  'products:list': { request: none, response: productsViewSchema },
  'keys:precheck': {
    request: z.strictObject({ orderId: id, dongleIds }),
    response: z.array(precheckVerdictSchema),
  },
  /** Queues the keys for the order in the outbox; the answer is the outbox item. */
  'keys:addToOrder': { request: z.strictObject({ orderId: id, dongleIds }), response: outboxItemSchema },
  'keys:removeFromOrder': { request: z.strictObject({ orderId: id, dongleId }), response: outboxItemSchema },
  'keys:setDriverType': {
    request: z.strictObject({ dongleId, driverType: z.union([z.literal(0), z.literal(1), z.literal(2)]) }),
    response: outboxItemSchema,
  },
  /**
   * Starts a durable run; per-key progress arrives as 'write:progress' events whose jobId is the run's
   * id as a string (runId is the same number, for 'runs:get').
   */
  'licenses:write': {
    request: z.strictObject({ orderId: id, dongleIds }),
    response: z.object({ jobId: z.string(), runId: z.number().int() }),
  },
  /** A run with every key's task, as stored: what a reloaded page shows. */
  'runs:get': { request: z.strictObject({ runId: id }), response: runViewSchema },
  /** The latest runs, running ones first, without their tasks. */
  'runs:list': {
    request: z.strictObject({ limit: z.number().int().min(1).max(100).default(20) }),
    response: z.array(runSummarySchema),
  },
  'keys:history': {
    request: z.strictObject({
      dongleId,
      /** Epoch milliseconds, like every station time; the wire's Unix seconds are derived in main. */
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      results: z.array(z.number().int().min(0)).max(20).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    response: keyHistorySchema,
  },
  'keys:orders': { request: z.strictObject({ dongleId }), response: keyOrdersSchema },
  'outbox:list': { request: none, response: outboxSummarySchema },
  /** One item in full, with its per-key results (retcodes of an add, ActionResults of a write). */
  'outbox:item': { request: z.strictObject({ itemId: id }), response: outboxItemSchema },
  'outbox:retry': { request: z.strictObject({ itemId: id }), response: outboxItemSchema },
  'outbox:cancel': { request: z.strictObject({ itemId: id }), response: outboxItemSchema },
  'connection:get': { request: none, response: connectionSchema },
  'shiftlog:list': {
    request: z.strictObject({ since: z.number().min(0).optional() }),
    response: z.array(shiftLogEntrySchema),
  },
  'shiftlog:csv': { request: z.strictObject({ since: z.number().min(0).optional() }), response: z.string() },
  'settings:get': { request: none, response: settingsSchema },
  'settings:set': {
    request: z.strictObject({
      serverUrl: z.url({ protocol: /^https?$/ }).optional(),
      stationName: z.string().min(1).max(64).optional(),
      bench: z.enum(['simulated', 'real']).optional(),
      login: z.string().min(1).max(128).optional(),
      password: z.string().min(1).max(1024).optional(),
      token: z.string().min(1).max(4096).optional(),
      writeConcurrency: z.number().int().min(WRITE_CONCURRENCY.min).max(WRITE_CONCURRENCY.max).optional(),
    }),
    response: settingsSchema,
  },
  /** The simulated bench's script: demos, training and tests. Refused on a real bench. */
  'bench:simulate': {
    request: z.discriminatedUnion('action', [
      z.strictObject({
        action: z.literal('plug'),
        count: z.number().int().min(1).max(1000),
        model: z.number().int().min(0).max(5).optional(),
        netResource: z.number().int().min(0).max(65535).optional(),
      }),
      z.strictObject({ action: z.literal('unplug'), dongleIds: z.array(dongleId).max(1000).optional() }),
      z.strictObject({
        action: z.literal('fail-next-write'),
        dongleId,
        actionResult: z
          .number()
          .int()
          .refine((v) => actionResultValues.includes(v as ActionResult), 'not an ActionResultCode'),
      }),
      z.strictObject({ action: z.literal('slow'), delayMs: z.number().int().min(0).max(60_000) }),
    ]),
    response: z.array(attachedKeySchema),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Main → renderer pushes. */
export const eventChannels = {
  'keys:changed': z.array(attachedKeySchema),
  'outbox:changed': outboxSummarySchema,
  'outbox:drained': z.object({ at: z.number() }),
  'write:progress': writeProgressSchema,
  'connection:changed': connectionSchema,
  'bench:ready': z.object({ keys: z.number().int() }),
  'cache:updated': z.object({
    scope: z.enum(['orders', 'order', 'products']),
    orderId: z.number().int().optional(),
  }),
} as const satisfies Record<string, z.ZodType>;

export type InvokeChannel = keyof typeof invokeChannels;
export type EventChannel = keyof typeof eventChannels;
export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof invokeChannels)[C]['request']>;
export type ParsedRequest<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.output<(typeof invokeChannels)[C]['response']>;
export type EventPayload<E extends EventChannel> = z.output<(typeof eventChannels)[E]>;

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name);
}
