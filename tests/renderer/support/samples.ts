import type { Order } from '../../../shared/guardant/responses';
import type { AttachedKey, OutboxCounts, OutboxEntry } from '../../../shared/station/models';

/** A Submitted hardware order; a test names only what it is about. */
export function anOrder(patch: Partial<Order> = {}): Order {
  return {
    _id: 1,
    number: 1,
    type: 0,
    status: 1,
    ishardwarelicense: true,
    date: 1_700_000_000,
    quantity: 10,
    ...patch,
  };
}

/** A new key on the bench, plugged in first. */
export function aKey(patch: Partial<AttachedKey> = {}): AttachedKey {
  return {
    dongleId: 1,
    model: 0,
    publicCode: 0,
    typeFlags: 0,
    netResource: 0,
    driverType: 0,
    usbPath: null,
    plugOrder: 1,
    pluggedAt: 0,
    state: 'new',
    orderId: null,
    lastActionResult: null,
    ...patch,
  };
}

/** A queue row: a done write of one key. */
export function anEntry(patch: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id: 1,
    kind: 'write-license',
    lane: 'order:1',
    orderId: 1,
    status: 'done',
    attempts: 1,
    nextAttemptAt: 0,
    lastError: null,
    createdAt: 0,
    updatedAt: 0,
    retries: 0,
    supersededBy: null,
    keyCount: 1,
    failedKeys: 0,
    firstKeys: [1],
    ...patch,
  };
}

export const noCounts: OutboxCounts = {
  pending: 0,
  inFlight: 0,
  failed: 0,
  needsReconcile: 0,
  done: 0,
  cancelled: 0,
};
