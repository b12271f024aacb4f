import { z } from 'zod';
import { BOUNDS } from '../guardant/bounds';
import {
  orderDetailSchema,
  orderSchema,
  productSchema,
  historyItemSchema,
  lastBurnSchema,
} from '../guardant/responses';

/**
 * The station's own vocabulary, shared by main and renderer. Times are epoch milliseconds here
 * (the station's clock); the Guardant wire keeps its Unix seconds.
 */

export const keyStateSchema = z.enum(['new', 'in-order', 'written', 'failed']);
export type KeyState = z.infer<typeof keyStateSchema>;

/**
 * A key's identity as the license manager reads it: what the server needs to take the key into an order.
 * Inside the station a key's model is `model`; the Guardant wire calls it `dongleModel`, and only the
 * API client (electron/core/api/guardant-client.ts) maps one to the other.
 */
export const keyIdentitySchema = z.object({
  dongleId: z.number().int().nonnegative(),
  model: z.number().int(),
  publicCode: z.number().int().nonnegative(),
  typeFlags: z.number().int().nonnegative(),
  netResource: z.number().int().nonnegative(),
});
export type KeyIdentity = z.infer<typeof keyIdentitySchema>;

/** A key on the bench: USB presence joined with the identity the license manager reads. */
export const attachedKeySchema = keyIdentitySchema.extend({
  driverType: z.number().int(),
  /** The USB port path (e.g. "1-2.3") where the platform gives it. */
  usbPath: z.string().nullable(),
  /** 1 for the first key plugged this session, 2 for the next…: how the operator tells keys apart. */
  plugOrder: z.number().int().positive(),
  pluggedAt: z.number(),
  state: keyStateSchema,
  /** The order the key was last added to or written with, from this station's records. */
  orderId: z.number().int().nullable(),
  lastActionResult: z.number().int().nullable(),
});
export type AttachedKey = z.infer<typeof attachedKeySchema>;

export const outboxKindSchema = z.enum(['add-keys', 'remove-key', 'set-driver-type', 'write-license']);
export type OutboxKind = z.infer<typeof outboxKindSchema>;

export const outboxStatusSchema = z.enum([
  'pending',
  'in-flight',
  'done',
  'failed',
  'needs-reconcile',
  'cancelled',
]);
export type OutboxStatus = z.infer<typeof outboxStatusSchema>;

/** An item's per-key codes as stored in `outbox.result` and sent over IPC: `{"7": 0, "8": 10172}`. */
export const outboxResultSchema = z.record(z.string().regex(/^\d+$/), z.number().int());
export type OutboxResult = z.infer<typeof outboxResultSchema>;

export const outboxItemSchema = z.object({
  id: z.number().int(),
  kind: outboxKindSchema,
  /** Items of one lane (an order, or a key for driver changes) are applied strictly in order. */
  lane: z.string(),
  orderId: z.number().int().nullable(),
  dongleIds: z.array(z.number().int()),
  status: outboxStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.number(),
  lastError: z.string().nullable(),
  /**
   * Per-key codes once settled, keyed by key id (a JSON object's keys are strings): the add's retcode
   * for add-keys, the ActionResult for writes, as numbers. Read it through outbox-results.ts.
   */
  result: outboxResultSchema.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** How often the operator retried it after it failed: a done item with retries succeeded on a retry. */
  retries: z.number().int(),
  /**
   * A failed write closed because a later write item (this id) put the licence on the key: its story
   * ends in success, not in a cancellation.
   */
  supersededBy: z.number().int().nullable(),
});
export type OutboxItem = z.infer<typeof outboxItemSchema>;

/**
 * An item as the queue panel lists it: counts instead of per-key lists, because a summary is pushed
 * after every change and a 500-key item's lists would make each push hundreds of kilobytes.
 * 'outbox:item' answers the full item with its per-key results.
 */
export const outboxEntrySchema = outboxItemSchema.omit({ dongleIds: true, result: true }).extend({
  keyCount: z.number().int(),
  /** Keys whose outcome was not a success (not in the order, see KEY_IN_ORDER_RETCODES; or a failed write). */
  failedKeys: z.number().int(),
  /** The item's first keys (OUTBOX_FIRST_KEYS of them); 'outbox:item' lists them all. */
  firstKeys: z.array(z.number().int()),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** How many keys a queue row names; the rest are counted ("+997 more"). */
export const OUTBOX_FIRST_KEYS = 3;

/** How many items the outbox holds in each status. */
export const outboxCountsSchema = z.object({
  pending: z.number().int(),
  inFlight: z.number().int(),
  failed: z.number().int(),
  needsReconcile: z.number().int(),
  done: z.number().int(),
  cancelled: z.number().int(),
});
export type OutboxCounts = z.infer<typeof outboxCountsSchema>;

/**
 * The change notice pushed after every outbox change: the counts, the open and failed items (bounded)
 * and the latest settled ones, for views that follow items. The Queue screen reads pages instead.
 */
export const outboxSummarySchema = outboxCountsSchema.extend({ items: z.array(outboxEntrySchema) });
export type OutboxSummary = z.infer<typeof outboxSummarySchema>;

/** Work still owed to the server (pending, in flight, to reconcile, failed), or history (done, cancelled). */
export const outboxViewSchema = z.enum(['work', 'history']);
export type OutboxView = z.infer<typeof outboxViewSchema>;

/** One page of a view, oldest work first or latest history first; total is the view's item count. */
export const outboxPageSchema = outboxCountsSchema.extend({
  view: outboxViewSchema,
  offset: z.number().int(),
  total: z.number().int(),
  /** The newest item of the whole outbox (0: none): bulk actions reach up to it and no further. */
  newestId: z.number().int(),
  items: z.array(outboxEntrySchema),
});
export type OutboxPage = z.infer<typeof outboxPageSchema>;

export const connectionSchema = z.object({
  state: z.enum(['online', 'offline', 'unknown']),
  serverUrl: z.string(),
  lastOkAt: z.number().nullable(),
  lastError: z.string().nullable(),
});
export type Connection = z.infer<typeof connectionSchema>;

/** A read that may have come from the local cache when the server was unreachable. */
export const freshness = {
  stale: z.boolean(),
  /** When the data was fetched from the server (epoch ms); null when never. */
  fetchedAt: z.number().nullable(),
};

export const ordersPageSchema = z.object({
  orders: z.array(orderSchema),
  ...freshness,
  /**
   * True when the server answered without applying the search (a vendor server has no `q`): the page
   * is the station's own search of the orders it has listed before.
   */
  searchedLocally: z.boolean().optional(),
});
export type OrdersPage = z.infer<typeof ordersPageSchema>;
export const orderViewSchema = z.object({
  order: orderDetailSchema,
  ...freshness,
  /**
   * Offline, only the order's summary is known (a list showed it; it was never opened online): its
   * products and keys never reached this station, and the view must not read their absence as none.
   */
  summaryOnly: z.boolean().optional(),
});
export type OrderView = z.infer<typeof orderViewSchema>;
export const productsViewSchema = z.object({ products: z.array(productSchema), ...freshness });
export type ProductsView = z.infer<typeof productsViewSchema>;
export const keyHistorySchema = z.object({ history: z.array(historyItemSchema), ...freshness });
export const keyOrdersSchema = z.object({ orders: z.array(orderSchema), ...freshness });

/**
 * Pre-flight: what a run would do with each selected key, asked of the server before anything is sent.
 * Why a key is left out, first match wins: the server refuses it (model or order), it already holds
 * another order's licence (unless the operator confirmed re-writing it), the order has no place left.
 */
/** 'not-this-key': a hardware Update order writes only the one key it names. */
export const preflightLeftOutSchema = z.enum([
  'incompatible',
  'model',
  'written-elsewhere',
  'order-full',
  'not-this-key',
]);
export type PreflightLeftOut = z.infer<typeof preflightLeftOutSchema>;
/** Why a key was left out, in the few words a summary line uses. */
export const preflightLeftOutWords: Record<PreflightLeftOut, string> = {
  incompatible: 'refused by the server',
  model: 'model does not fit',
  'written-elsewhere': 'written for another order',
  'order-full': 'order full',
  'not-this-key': 'not the key the Update order names',
};

/** Another order that holds the key, or whose licence was written into it. */
export const preflightOtherOrderSchema = z.object({
  orderId: z.number().int(),
  number: z.number().int(),
  /** The customer in a few words (company, else person); null when the order has none. */
  customer: z.string().nullable(),
  /** The key is in that order now. */
  inOrder: z.boolean(),
  /** That order's licence was written successfully into the key. */
  written: z.boolean(),
});
export type PreflightOtherOrder = z.infer<typeof preflightOtherOrderSchema>;

export const preflightKeySchema = z.object({
  dongleId: z.number().int(),
  /** canadddongle: 0 when the server would take the key (or it is already in the order), else its code. */
  code: z.number().int(),
  /** The server's refusal in words; null when it would take the key. */
  refusal: z.string().nullable(),
  /** False when the key's model or network resource cannot carry the order (10172, 10173, 10174). */
  modelFits: z.boolean(),
  inThisOrder: z.boolean(),
  /** This order's licence is already written into the key: writing again is not billed. */
  writtenForThisOrder: z.boolean(),
  otherOrders: z.array(preflightOtherOrderSchema),
  /** add: will be added (and written); in-order: already in the order; left-out: the run skips it. */
  decision: z.enum(['add', 'in-order', 'left-out']),
  leftOut: preflightLeftOutSchema.nullable(),
  /** The verdict in one line of the operator's words. */
  message: z.string(),
  /** Warnings that do not leave the key out ("also in order 12 · Acme, not written"). */
  notes: z.array(z.string()),
});
export type PreflightKey = z.infer<typeof preflightKeySchema>;

export const preflightPurposeSchema = z.enum(['add', 'write']);
export type PreflightPurpose = z.infer<typeof preflightPurposeSchema>;

export const preflightSchema = z.object({
  orderId: z.number().int(),
  orderNumber: z.number().int(),
  customer: z.string().nullable(),
  purpose: preflightPurposeSchema,
  rewriteConfirmed: z.boolean(),
  quantity: z.number().int(),
  keysInOrder: z.number().int(),
  /** quantity − keys in the order, never below 0. */
  placesLeft: z.number().int().nonnegative(),
  /** The vendor's balance where the server reports it (a Keybench extension); null where it does not. */
  balance: z
    .object({ activations: z.number().int(), netLicenses: z.number().int(), subscriptionUntil: z.number() })
    .nullable(),
  /** One verdict per requested key, in the order asked. */
  keys: z.array(preflightKeySchema),
  /** What the run takes, in the order asked: for 'add' the keys to add, for 'write' the keys to write. */
  selected: z.array(z.number().int()),
  /** Keys written for another order that are left out until the operator confirms re-writing them. */
  needsRewriteConfirmation: z.array(z.number().int()),
  /** "3 places left: 3 of 4 keys will be added; 1 left out: order full". */
  summary: z.string(),
  /** Run-level warnings: the balance will not cover the run, the subscription is over. */
  warnings: z.array(z.string()),
});
export type Preflight = z.infer<typeof preflightSchema>;

/**
 * 'verifying': the write succeeded and the key's licence is being read back and compared with the order.
 * 'waiting-for-key': the key was pulled before its write (or during it); the write is held, not failed,
 * and goes on by itself when the same key is plugged in again, in any port.
 */
export const writeStageSchema = z.enum([
  'queued',
  'adding',
  'writing',
  'verifying',
  'done',
  'failed',
  'unplugged',
  'waiting-for-key',
]);
export type WriteStage = z.infer<typeof writeStageSchema>;

/**
 * The stages that end a key's write: no progress follows them unless the operator retries the key.
 * 'waiting-for-key' is not one: the write is held and goes on when the key is back.
 */
export const FINAL_WRITE_STAGES = ['done', 'failed', 'unplugged'] as const satisfies readonly WriteStage[];
export type FinalWriteStage = (typeof FINAL_WRITE_STAGES)[number];

export function isFinalWriteStage(stage: WriteStage): stage is FinalWriteStage {
  return (FINAL_WRITE_STAGES as readonly WriteStage[]).includes(stage);
}

export const writeProgressSchema = z.object({
  jobId: z.string(),
  orderId: z.number().int(),
  dongleId: z.number().int(),
  stage: writeStageSchema,
  /** The vendor's ActionResultCode of the write, once there was one. */
  actionResult: z.number().int().nullable(),
  /** When the server refused the key before any write (10172, 10173, 10174…): the API code. */
  apiCode: z.number().int().nullable(),
  /** The ActionResultCode's meaning in the operator's words, or the reason the key was not written. */
  message: z.string(),
  lastBurn: lastBurnSchema.nullable(),
  /** Keys finished / keys in the job, for the progress bar. */
  done: z.number().int(),
  total: z.number().int(),
});
export type WriteProgress = z.infer<typeof writeProgressSchema>;

/**
 * A run: one order, many keys, each key added to the order and then written. Runs live in the station
 * database, so they survive restarts; every key's task moves through these states, and only forward.
 */
export const taskStateSchema = z.enum([
  /** Its add or write is queued but the server cannot be reached; it goes on when the server is back. */
  'waiting-for-server',
  /** The key is not plugged in; the task goes on when it is plugged again. */
  'waiting-for-key',
  'adding',
  'writing',
  /**
   * The write succeeded (ActionResult 0) and the key's licence is read back and compared with the order;
   * a check that cannot be made yet is tried again later, never answered by writing again.
   */
  'verifying',
  'written',
  'failed',
  'skipped',
  'cancelled',
]);
export type TaskState = z.infer<typeof taskStateSchema>;

/** States a task never leaves. */
export const FINAL_TASK_STATES = [
  'written',
  'failed',
  'skipped',
  'cancelled',
] as const satisfies readonly TaskState[];
export type FinalTaskState = (typeof FINAL_TASK_STATES)[number];

export function isFinalTaskState(state: TaskState): state is FinalTaskState {
  return (FINAL_TASK_STATES as readonly TaskState[]).includes(state);
}

export const runTaskSchema = z.object({
  dongleId: z.number().int(),
  state: taskStateSchema,
  /** Why a task failed or was skipped, in the operator's words; null otherwise. */
  reason: z.string().nullable(),
  actionResult: z.number().int().nullable(),
  /** The API code when the server refused the key before any write (10172, 10173…). */
  apiCode: z.number().int().nullable(),
  updatedAt: z.number(),
  /** Where the key was when the run took it (null when it was not plugged, or the run predates this). */
  plugOrder: z.number().int().positive().nullable(),
  usbPath: z.string().nullable(),
  model: z.number().int().nullable(),
  /** Why the run's pre-flight left the key out; null when it did not. */
  leftOut: preflightLeftOutSchema.nullable(),
});
export type RunTask = z.infer<typeof runTaskSchema>;

export const runCountsSchema = z.object({
  total: z.number().int(),
  /** Tasks in a final state. */
  done: z.number().int(),
  written: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  cancelled: z.number().int(),
});

export const runSummarySchema = z.object({
  id: z.number().int(),
  orderId: z.number().int(),
  status: z.enum(['running', 'finished']),
  /** Why the run stopped before trying every key (the vendor's balance, its subscription); null when it did not. */
  stopReason: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
  counts: runCountsSchema,
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runViewSchema = runSummarySchema.extend({ tasks: z.array(runTaskSchema) });
export type RunView = z.infer<typeof runViewSchema>;

/**
 * Verify after write (electron/core/verification/verify-write.ts): what the key holds after a write
 * that reported success (ActionResult 0), compared with the order it was written with.
 * - ok: the key holds the order's licence; `digest` is its licence digest.
 * - mismatch: the key holds something else: the write failed, `reason` says how in the operator's words.
 * - unknown: the check could not be made (license manager unreachable, key unplugged or busy, order not
 *   readable). Verify again later; never write the key again because of it.
 */
export const verifyMismatchSchema = z.enum([
  /** The key holds no licence at all. */
  'no-licence',
  /** The key holds another order's licence. */
  'other-order',
  'missing-product',
  'missing-feature',
  /** The key holds a product or feature the order does not include. */
  'extra-product',
  'extra-feature',
  /** A feature's terms (licence type, counters, dates, network licences) differ from the order's. */
  'terms-differ',
  /** Products and features match but the licence digest does not. */
  'digest-differs',
]);
export type VerifyMismatch = z.infer<typeof verifyMismatchSchema>;

export const verifyUnknownCauseSchema = z.enum([
  /** The license manager did not answer (not running, timed out). */
  'license-manager-unreachable',
  /** It answered something outside its API (refused at the boundary), or failed itself. */
  'license-manager-failed',
  /** The key was not plugged (or not read yet) when it was to be read back. */
  'key-not-present',
  /** A write into the key was under way. */
  'key-busy',
  /** The order's products could not be read (server unreachable and not cached with its products). */
  'order-unavailable',
]);
export type VerifyUnknownCause = z.infer<typeof verifyUnknownCauseSchema>;

export const writeVerdictSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('ok'),
    orderId: z.number().int(),
    dongleId: z.number().int(),
    digest: z.string(),
  }),
  z.object({
    outcome: z.literal('mismatch'),
    orderId: z.number().int(),
    dongleId: z.number().int(),
    mismatch: verifyMismatchSchema,
    /** In the operator's words: "Feature 2 of product 'CAD Pro' is missing on the key". */
    reason: z.string(),
    /** What the key holds instead: its order and digest; null when it holds no licence. */
    held: z.object({ orderId: z.number().int(), digest: z.string() }).nullable(),
  }),
  z.object({
    outcome: z.literal('unknown'),
    orderId: z.number().int(),
    dongleId: z.number().int(),
    cause: verifyUnknownCauseSchema,
    reason: z.string(),
  }),
]);
export type WriteVerdict = z.infer<typeof writeVerdictSchema>;

/** The operator who does the bench's work, from "Start shift" until "End shift" (not until midnight). */
export const shiftSchema = z.object({
  id: z.number().int(),
  /** The name the operator typed, or NO_OPERATOR for a shift the station opened by itself. */
  operator: z.string(),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
});
export type Shift = z.infer<typeof shiftSchema>;
/**
 * The operator of a shift the station opened by itself: work settled while no one had started a shift
 * (a write that finished after "End shift", the outbox draining overnight) still lands in a shift.
 */
export const NO_OPERATOR = '(no operator)';
export const SHIFT_OPERATOR_MAX = 64;

export const shiftLogEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  action: z.string(),
  orderId: z.number().int().nullable(),
  dongleId: z.number().int().nullable(),
  outcome: z.string(),
  detail: z.string(),
  /** The shift open when it happened; the rest is captured then too, so a later rename or unplug does not rewrite it. */
  shiftId: z.number().int().nullable(),
  station: z.string(),
  operator: z.string(),
  orderNumber: z.number().int().nullable(),
  customer: z.string(),
  keyModel: z.string(),
  usbPort: z.string(),
  /** The key's or the server's code (ActionResult, retcode or API code); null when there is none. */
  code: z.number().int().nullable(),
  /** One key's outcome (a row of the CSV); false for events about a run or a batch. */
  keyOutcome: z.boolean(),
});
export type ShiftLogEntry = z.infer<typeof shiftLogEntrySchema>;

/**
 * The longest text each setting takes, for the contract and the Settings screen: login and password as
 * the server's POST /v1.0/login reads them; an API token as long as any a vendor hands out.
 */
export const SETTINGS_TEXT_MAX = {
  stationName: 64,
  login: BOUNDS.login.max,
  password: BOUNDS.password.max,
  token: 4096,
} as const;

/** The station's name, until one is saved in Settings, when the host was given none (browser mode). */
export const DEFAULT_STATION_NAME = 'Bench 1';

/** Bounds of the bench's parallel writes: more than the hub's ports would only queue at the license manager. */
export const WRITE_CONCURRENCY = { min: 1, max: 16, default: 4 } as const;

export const benchModeSchema = z.enum(['simulated', 'real']);

/** How many new keys the Simulator plugs at once: a hub's worth, or a thousand to try a big run. */
export const SIMULATOR_PLUG = { min: 1, max: 1000 } as const;
/** Simulated keys on the bench at start unless the operator says how many: a populated demo bench. */
export const DEFAULT_SIMULATED_KEYS = 8;
/** How long the simulated license manager may take over each write: up to a minute, to rehearse a slow bench. */
export const SIMULATOR_WRITE_DELAY_MS = { min: 0, max: 60_000 } as const;

/** A simulated key that is not plugged in now, which the Simulator can plug back in. */
export const unpluggedKeySchema = z.object({
  dongleId: z.number().int(),
  model: z.number().int(),
  netResource: z.number().int(),
});
export type UnpluggedKey = z.infer<typeof unpluggedKeySchema>;

/** What "Test connection" found, first failure wins: the words say it, the outcome names it for code. */
export const connectionTestOutcomeSchema = z.enum([
  'ok',
  'unreachable',
  'not-guardant',
  'bad-credentials',
  'no-credentials',
  'refused',
]);
export const connectionTestSchema = z.object({
  outcome: connectionTestOutcomeSchema,
  /** One sentence for the operator. */
  message: z.string(),
  /** What was tried: "the API token", "login 'operator'", "no credentials". */
  tried: z.string(),
  vendorName: z.string().nullable(),
  /** The technical reason (HTTP status, API code, socket error) for the details disclosure. */
  detail: z.string().nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const settingsSchema = z.object({
  serverUrl: z.string(),
  stationName: z.string(),
  bench: benchModeSchema,
  login: z.string().nullable(),
  hasCredentials: z.boolean(),
  /** Where secrets are kept; 'basic_text' means Electron could not reach an OS keyring. */
  credentialStore: z.enum(['safeStorage', 'basic_text', 'memory']),
  /** How many keys are written at once (adds stay batched). */
  writeConcurrency: z.number().int().min(WRITE_CONCURRENCY.min).max(WRITE_CONCURRENCY.max),
});
export type Settings = z.infer<typeof settingsSchema>;

export const stationInfoSchema = z.object({
  stationName: z.string(),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  bench: benchModeSchema,
  serverUrl: z.string(),
  benchReady: z.boolean(),
});
export type StationInfo = z.infer<typeof stationInfoSchema>;

/**
 * Something about the host's USB the operator must know, in plain words with what to do: no USB
 * subsystem, no permission to the keys, no hot-plug. The rest of the station keeps working.
 */
export const usbNoticeSchema = z.object({
  code: z.enum(['no-usb-subsystem', 'usb-scan-failed', 'no-permission', 'serial-unreadable', 'no-hotplug']),
  severity: z.enum(['error', 'warning']),
  /** One line: what is wrong. */
  title: z.string(),
  /** What it means for the bench and what to do. */
  detail: z.string(),
  /** The exact command that fixes or checks it, where there is one. */
  command: z.string().nullable(),
});
export type UsbNotice = z.infer<typeof usbNoticeSchema>;

export const usbStatusSchema = z.object({
  /** How the bench learns of plugs: hot-plug events as they happen, or only the periodic rescan. */
  hotplug: z.enum(['events', 'rescan-only', 'unknown']),
  /** How often USB is scanned again (ms); 0 when never. */
  rescanIntervalMs: z.number().int().nonnegative(),
  /** When the last scan finished (epoch ms), successful or not; null before the first. */
  lastScanAt: z.number().nullable(),
  notices: z.array(usbNoticeSchema),
});
export type UsbStatus = z.infer<typeof usbStatusSchema>;
