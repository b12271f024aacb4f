import { z } from 'zod';
import type { ActionResult } from '../guardant/codes';
import { epochMs, netResource, pageLimit, pageOffset, recordId, BOUNDS } from '../guardant/bounds';
import { actionResultValues, DEFAULT_PAGE_LIMIT, orderStatusValues } from '../guardant/codes';
import { uint32Like } from '../guardant/numbers';
import { MAX_ORDER_SEARCH_LENGTH } from '../guardant/order-search';
import { dongleModel, driverType, orderSortSchema } from '../guardant/requests';
import { spoiledWriteSchema } from '../license-manager/schemas';
import { autoModeStateSchema } from '../station/auto-mode';
import {
  attachedKeySchema,
  connectionSchema,
  connectionTestSchema,
  keyHistorySchema,
  keyOrdersSchema,
  orderViewSchema,
  ordersPageSchema,
  outboxItemSchema,
  outboxPageSchema,
  outboxSummarySchema,
  outboxViewSchema,
  preflightPurposeSchema,
  preflightSchema,
  productsViewSchema,
  runSummarySchema,
  runViewSchema,
  settingsSchema,
  shiftLogEntrySchema,
  shiftSchema,
  SETTINGS_TEXT_MAX,
  SHIFT_OPERATOR_MAX,
  SIMULATOR_PLUG,
  SIMULATOR_WRITE_DELAY_MS,
  stationInfoSchema,
  unpluggedKeySchema,
  usbStatusSchema,
  WRITE_CONCURRENCY,
  writeProgressSchema,
} from '../station/models';

/**
 * The one contract between the station's main process and its renderer. Electron's ipcMain and the
 * browser-mode WebSocket both carry exactly these channels; main validates every request against
 * its schema before a handler runs.
 */

// Server ids and keys, pages and dates take the server's own bounds (shared/guardant/bounds.ts): a
// request the contract accepts is one the server reads as well formed.
const orderId = recordId;
/** Either 32-bit form (-1359759134 or 2935208162), unsigned from here on, as the server reads it. */
const dongleId = uint32Like;
const dongleIds = z.array(dongleId).min(BOUNDS.batchKeys.min).max(BOUNDS.batchKeys.max);
/**
 * The pre-flight reads, per key, what a run of the operator's whole selection would do; the work itself
 * goes in batches of BOUNDS.batchKeys.max. Its bound is the bench's, not the server's batch limit.
 */
const selectionIds = z.array(dongleId).min(1).max(10_000);
/** The station's own rows (outbox items, runs): local SQLite ids, never sent to the server. */
const itemId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const none = z.strictObject({});
/** A station shift's own row id (not a server id). */
const shiftId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const invokeChannels = {
  'station:info': { request: none, response: stationInfoSchema },
  'keys:list': { request: none, response: z.array(attachedKeySchema) },
  /** What the bench knows about the host's USB: notices for the operator (no permission, no hot-plug…). */
  'usb:status': { request: none, response: usbStatusSchema },
  'orders:list': {
    request: z.strictObject({
      offset: pageOffset.default(0),
      limit: pageLimit.default(DEFAULT_PAGE_LIMIT),
      sortby: orderSortSchema.default('number'),
      direction: z.enum(['asc', 'desc']).default('asc'),
      status: z
        .array(
          z
            .number()
            .int()
            .refine((v) => (orderStatusValues as number[]).includes(v), 'not an order status'),
        )
        .max(orderStatusValues.length)
        .optional(),
      q: z.string().max(MAX_ORDER_SEARCH_LENGTH).optional(),
      /** Only hardware (true) or software (false) orders; both when absent. */
      hardware: z.boolean().optional(),
    }),
    response: ordersPageSchema,
  },
  'orders:get': { request: z.strictObject({ orderId }), response: orderViewSchema },
  'products:list': { request: none, response: productsViewSchema },
  /**
   * Pre-flight of a run, before anything is sent: each key's verdict (compatible, already in this order,
   * in or written for another order, model fits), the order's places left, the vendor's balance, and
   * which keys the run takes. Keys written for another order are taken only with rewriteConfirmed.
   */
  'keys:precheck': {
    request: z.strictObject({
      orderId,
      dongleIds: selectionIds,
      purpose: preflightPurposeSchema.default('add'),
      rewriteConfirmed: z.boolean().default(false),
    }),
    response: preflightSchema,
  },
  /** Queues the keys for the order in the outbox; the answer is the outbox item. */
  'keys:addToOrder': { request: z.strictObject({ orderId, dongleIds }), response: outboxItemSchema },
  'keys:removeFromOrder': { request: z.strictObject({ orderId, dongleId }), response: outboxItemSchema },
  'keys:setDriverType': {
    request: z.strictObject({ dongleId, driverType }),
    response: outboxItemSchema,
  },
  /**
   * Starts a durable run; per-key progress arrives as 'write:progress' events whose jobId is the run's
   * id as a string (runId is the same number, for 'runs:get').
   */
  'licenses:write': {
    /**
     * rewriteConfirmed: the operator ticked re-writing keys that hold another order's licence; without it
     * the run's pre-flight leaves them out (skipped, with the reason).
     */
    request: z.strictObject({ orderId, dongleIds, rewriteConfirmed: z.boolean().default(false) }),
    response: z.object({ jobId: z.string(), runId: z.number().int() }),
  },
  /** A run with every key's task, as stored: what a reloaded page shows. */
  'runs:get': { request: z.strictObject({ runId: itemId }), response: runViewSchema },
  /**
   * Resumes a paused run (its stopReason set: balance, subscription, order revoked or full) once the
   * cause is fixed: its not-attempted keys are taken up again. Refused (CONFLICT, in words) while the
   * server says the cause still holds, or when the run is not paused. The answer is the run as stored.
   */
  'runs:resume': { request: z.strictObject({ runId: itemId }), response: runViewSchema },
  /** The latest runs, running ones first, without their tasks. */
  'runs:list': {
    request: z.strictObject({ limit: z.number().int().min(1).max(100).default(20) }),
    response: z.array(runSummarySchema),
  },
  'keys:history': {
    request: z.strictObject({
      dongleId,
      /** Epoch milliseconds, like every station time; the wire's Unix seconds are derived in main. */
      from: epochMs.optional(),
      to: epochMs.optional(),
      results: z.array(z.number().int().min(0)).max(20).optional(),
      offset: pageOffset.default(0),
      limit: pageLimit.default(DEFAULT_PAGE_LIMIT),
    }),
    response: keyHistorySchema,
  },
  'keys:orders': { request: z.strictObject({ dongleId }), response: keyOrdersSchema },
  /** One page of the pending work or of the history, with the counts of every status. */
  'outbox:list': {
    request: z.strictObject({
      view: outboxViewSchema.default('work'),
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    response: outboxPageSchema,
  },
  /** One item in full, with its per-key results (retcodes of an add, ActionResults of a write). */
  'outbox:item': { request: z.strictObject({ itemId }), response: outboxItemSchema },
  'outbox:retry': { request: z.strictObject({ itemId }), response: outboxItemSchema },
  'outbox:cancel': { request: z.strictObject({ itemId }), response: outboxItemSchema },
  /**
   * Bulk actions of the Queue: every failed item (retry) or pending item (cancel) up to upToId, the
   * newest the operator saw when confirming, so work queued after the confirmation is left alone.
   */
  'outbox:retryAll': {
    request: z.strictObject({ upToId: itemId }),
    response: z.object({ count: z.number() }),
  },
  'outbox:cancelAll': {
    request: z.strictObject({ upToId: itemId }),
    response: z.object({ count: z.number() }),
  },
  'connection:get': { request: none, response: connectionSchema },
  /** Entries of one shift (the current one by default), or every entry since a time. */
  'shiftlog:list': {
    request: z.strictObject({ since: z.number().min(0).optional(), shiftId: shiftId.optional() }),
    response: z.array(shiftLogEntrySchema),
  },
  /** One row per key outcome of the shift (the current one by default): UTF-8 with BOM, local times. */
  'shiftlog:csv': {
    request: z.strictObject({ since: z.number().min(0).optional(), shiftId: shiftId.optional() }),
    response: z.string(),
  },
  /** The shift's key outcomes summed per order: the second export, one table per file. */
  'shiftlog:summaryCsv': { request: z.strictObject({ shiftId: shiftId.optional() }), response: z.string() },
  /** Starts the operator's shift; refused while another operator's shift is open. */
  'shift:start': {
    request: z.strictObject({ operator: z.string().trim().min(1).max(SHIFT_OPERATOR_MAX) }),
    response: shiftSchema,
  },
  /** Ends the open shift; null when none was open. */
  'shift:end': { request: none, response: shiftSchema.nullable() },
  'shift:current': { request: none, response: shiftSchema.nullable() },
  /** Shifts, newest first, for the Shift log's picker. */
  'shift:list': {
    request: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
    response: z.array(shiftSchema),
  },
  'settings:get': { request: none, response: settingsSchema },
  'settings:set': {
    request: z.strictObject({
      serverUrl: z.url({ protocol: /^https?$/ }).optional(),
      stationName: z.string().min(1).max(SETTINGS_TEXT_MAX.stationName).optional(),
      login: z.string().min(1).max(SETTINGS_TEXT_MAX.login).optional(),
      password: z.string().min(1).max(SETTINGS_TEXT_MAX.password).optional(),
      token: z.string().min(1).max(SETTINGS_TEXT_MAX.token).optional(),
      writeConcurrency: z.number().int().min(WRITE_CONCURRENCY.min).max(WRITE_CONCURRENCY.max).optional(),
    }),
    response: settingsSchema,
  },
  /**
   * Auto mode: every key plugged from now on is pre-flighted for the order and, when it fits, written by
   * itself (one run per key). One session at a time; in memory only, so off after a restart.
   */
  'auto:start': { request: z.strictObject({ orderId }), response: autoModeStateSchema },
  /** Takes no more keys; writes already running finish and still report. */
  'auto:stop': { request: none, response: autoModeStateSchema },
  'auto:state': { request: none, response: autoModeStateSchema },
  /**
   * Tries a server URL and credentials without saving them; what failed, in words. Empty password and
   * token mean the saved ones.
   */
  'settings:test-connection': {
    request: z.strictObject({
      serverUrl: z.url({ protocol: /^https?$/ }),
      login: z.string().max(SETTINGS_TEXT_MAX.login).optional(),
      password: z.string().max(SETTINGS_TEXT_MAX.password).optional(),
      token: z.string().max(SETTINGS_TEXT_MAX.token).optional(),
    }),
    response: connectionTestSchema,
  },
  /** The simulated bench's script: demos, training and tests. Refused on a real bench. */
  'bench:simulate': {
    request: z.discriminatedUnion('action', [
      z.strictObject({
        action: z.literal('plug'),
        count: z.number().int().min(SIMULATOR_PLUG.min).max(SIMULATOR_PLUG.max),
        model: dongleModel.optional(),
        netResource: netResource.optional(),
      }),
      z.strictObject({
        action: z.literal('unplug'),
        dongleIds: z.array(dongleId).max(BOUNDS.batchKeys.max).optional(),
      }),
      /** Keys unplugged earlier go back in, each into the first free port (a new plug number). */
      z.strictObject({
        action: z.literal('replug'),
        dongleIds: z.array(dongleId).min(1).max(BOUNDS.batchKeys.max),
      }),
      z.strictObject({
        action: z.literal('fail-next-write'),
        dongleId,
        actionResult: z
          .number()
          .int()
          .refine((v) => actionResultValues.includes(v as ActionResult), 'not an ActionResultCode'),
      }),
      /** The next write into the key reports success but leaves the key holding something else. */
      z.strictObject({ action: z.literal('spoil-next-write'), dongleId, how: spoiledWriteSchema }),
      z.strictObject({
        action: z.literal('slow'),
        delayMs: z.number().int().min(SIMULATOR_WRITE_DELAY_MS.min).max(SIMULATOR_WRITE_DELAY_MS.max),
      }),
    ]),
    response: z.array(attachedKeySchema),
  },
  /** Keys the simulated bench made (in this data folder, across restarts) that are not plugged in now. */
  'bench:unplugged': { request: none, response: z.array(unpluggedKeySchema) },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Main → renderer pushes. */
export const eventChannels = {
  'keys:changed': z.array(attachedKeySchema),
  'outbox:changed': outboxSummarySchema,
  'outbox:drained': z.object({ at: z.number() }),
  'write:progress': writeProgressSchema,
  'connection:changed': connectionSchema,
  'bench:ready': z.object({ keys: z.number().int() }),
  'usb:changed': usbStatusSchema,
  /** The open shift changed (started, ended, or opened by the station for work with no shift). */
  'shift:changed': shiftSchema.nullable(),
  'auto:changed': autoModeStateSchema,
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
