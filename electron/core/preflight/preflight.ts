import { ApiErrorCode, MAX_PAGE_LIMIT, modelText } from '../../../shared/guardant/codes';
import type { Customer, HistoryItem, Order, OrderDetail } from '../../../shared/guardant/responses';
import type {
  Preflight,
  PreflightKey,
  PreflightLeftOut,
  PreflightOtherOrder,
  PreflightPurpose,
} from '../../../shared/station/models';
import { preflightLeftOutWords, type KeyIdentity } from '../../../shared/station/models';
import { GuardantApiError } from '../api/errors';
import type { GuardantClient } from '../api/guardant-client';

/** What the pre-flight asks the server; GuardantClient answers all of it (see clientPorts). */
export interface PreflightPorts {
  /** The order as the server holds it now: quantity, keys in it, customer. */
  order(orderId: number): Promise<OrderDetail>;
  /** canadddongle: resolves when the server would take the key (or holds it already), else rejects. */
  canAdd(orderId: number, key: KeyIdentity): Promise<void>;
  /** The orders holding the key; none for a key the server never met. */
  ordersOfKey(dongleId: number): Promise<Order[]>;
  /** The key's successful writes, each with its order; none for a key the server never met. */
  writesOfKey(dongleId: number): Promise<HistoryItem[]>;
  /** The vendor's balance, or null when the server does not report it. */
  balance(): Promise<{ activations: number; netlicenses: number; subscriptionuntil: number } | null>;
  /** Epoch milliseconds. */
  now(): number;
}

export interface PreflightRequest {
  orderId: number;
  /** The keys as plugged, in the order the operator sees them: places are given in this order. */
  keys: KeyIdentity[];
  /** 'add' takes the keys to add; 'write' also the keys already in the order. */
  purpose: PreflightPurpose;
  /** The operator confirmed re-writing keys that hold another order's licence. */
  rewriteConfirmed: boolean;
}

/** Keys asked about at once: each costs three requests, so 8 keys keep 24 requests in flight. */
const CONCURRENCY = 8;
const MODEL_CODES = new Set<number>([
  ApiErrorCode.DongleNoTimeSupport,
  ApiErrorCode.DongleNoNetworkSupport,
  ApiErrorCode.DongleNetResourceExceeded,
]);

export function customerShort(customer: Customer | undefined): string | null {
  if (!customer) return null;
  return customer.companyname || [customer.name, customer.lastname].filter(Boolean).join(' ') || null;
}

const orderWords = (o: { number: number; customer: string | null }) =>
  `order ${o.number}${o.customer ? ` · ${o.customer}` : ''}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function clientPorts(client: GuardantClient, now: () => number = Date.now): PreflightPorts {
  // A key the server never met is in no order and has no writes: that is an answer, not a failure.
  const unknownKeyIsEmpty = <T>(promise: Promise<T[]>): Promise<T[]> =>
    promise.catch((error: unknown) => {
      if (error instanceof GuardantApiError && error.apiCode === ApiErrorCode.DongleNotFound) return [];
      throw error;
    });
  return {
    order: (orderId) => client.getOrder(orderId),
    canAdd: (orderId, key) => client.canAddDongle(orderId, key),
    ordersOfKey: (dongleId) => unknownKeyIsEmpty(client.dongleOrders(dongleId, { limit: MAX_PAGE_LIMIT })),
    writesOfKey: (dongleId) =>
      unknownKeyIsEmpty(
        client.dongleHistory(dongleId, { actionresult: '0', limit: MAX_PAGE_LIMIT, direction: 'desc' }),
      ),
    balance: () => client.vendorBalance(),
    now,
  };
}

interface KeyFacts {
  key: KeyIdentity;
  code: number;
  refusal: string | null;
  inThisOrder: boolean;
  writtenForThisOrder: boolean;
  otherOrders: PreflightOtherOrder[];
}

/**
 * The pre-flight of a run: asks the server, before anything is sent, what a run of these keys into this
 * order would do, and decides which keys the run takes. Pure reading; it changes nothing anywhere.
 */
export class PreflightChecker {
  constructor(private readonly ports: PreflightPorts) {}

  async check(request: PreflightRequest): Promise<Preflight> {
    const { orderId, purpose, rewriteConfirmed } = request;
    const seen = new Set<number>();
    const keys = request.keys.filter((k) => !seen.has(k.dongleId) && seen.add(k.dongleId));
    const [order, balance, facts] = await Promise.all([
      this.ports.order(orderId),
      this.ports.balance(),
      mapLimited(keys, CONCURRENCY, (key) => this.factsOf(orderId, key)),
    ]);
    const customer = customerShort(order.customer);
    const keysInOrder = order.donglescount ?? order.dongles?.length ?? 0;
    const placesLeft = Math.max(0, order.quantity - keysInOrder);

    let placesTaken = 0;
    const verdicts = facts.map((f): PreflightKey => {
      const writtenElsewhere = f.otherOrders.filter((o) => o.written);
      const notes = f.otherOrders
        .filter((o) => !o.written)
        .map((o) => `Also in ${orderWords(o)}, not written there.`);
      const base = {
        dongleId: f.key.dongleId,
        code: f.code,
        refusal: f.refusal,
        modelFits: !MODEL_CODES.has(f.code),
        inThisOrder: f.inThisOrder,
        writtenForThisOrder: f.writtenForThisOrder,
        otherOrders: f.otherOrders,
        notes,
      };
      const leftOut = (reason: PreflightLeftOut, message: string): PreflightKey => ({
        ...base,
        decision: 'left-out',
        leftOut: reason,
        message,
      });
      if (f.inThisOrder) {
        const message =
          purpose === 'add'
            ? 'Already in this order: nothing to add.'
            : f.writtenForThisOrder
              ? 'Already in this order and written; writing again is not billed.'
              : 'Already in this order; will be written.';
        return { ...base, decision: 'in-order', leftOut: null, message };
      }
      if (f.code !== 0 && f.code !== ApiErrorCode.OrderQuantityReached) {
        const model = modelText(f.key.model);
        return MODEL_CODES.has(f.code)
          ? leftOut('model', `${model} key does not fit: ${f.refusal}.`)
          : leftOut('incompatible', `Refused by the server: ${f.refusal}.`);
      }
      if (writtenElsewhere.length && !rewriteConfirmed) {
        return leftOut(
          'written-elsewhere',
          `Already written for ${writtenElsewhere.map(orderWords).join(', ')}; re-writing needs your confirmation.`,
        );
      }
      if (placesTaken >= placesLeft) {
        return leftOut('order-full', `Order full: no place left for this key.`);
      }
      placesTaken++;
      const message = writtenElsewhere.length
        ? `Will be re-written: it holds the licence of ${writtenElsewhere.map(orderWords).join(', ')}.`
        : purpose === 'add'
          ? 'Can be added.'
          : 'Will be added to the order, then written.';
      return { ...base, decision: 'add', leftOut: null, message };
    });

    const selected = verdicts
      .filter((v) => v.decision === 'add' || (purpose === 'write' && v.decision === 'in-order'))
      .map((v) => v.dongleId);
    const needsRewriteConfirmation = verdicts
      .filter((v) => v.leftOut === 'written-elsewhere')
      .map((v) => v.dongleId);

    const warnings: string[] = [];
    const account = balance && {
      activations: balance.activations,
      netLicenses: balance.netlicenses,
      subscriptionUntil: balance.subscriptionuntil * 1000,
    };
    if (account && purpose === 'write' && selected.length) {
      if (account.subscriptionUntil < this.ports.now()) {
        warnings.push(
          "The vendor's service subscription is over: no licence can be written until it is renewed.",
        );
      }
      const billed = verdicts.filter((v) => selected.includes(v.dongleId) && !v.writtenForThisOrder).length;
      if (billed > account.activations) {
        warnings.push(
          `The vendor's balance covers ${plural(account.activations, 'more write')}; ${plural(billed, 'key')} would be billed, so the run would stop after ${account.activations}.`,
        );
      }
    }

    return {
      orderId,
      orderNumber: order.number,
      customer,
      purpose,
      rewriteConfirmed,
      quantity: order.quantity,
      keysInOrder,
      placesLeft,
      balance: account,
      keys: verdicts,
      selected,
      needsRewriteConfirmation,
      summary: summarise(verdicts, placesLeft, purpose),
      warnings,
    };
  }

  private async factsOf(orderId: number, key: KeyIdentity): Promise<KeyFacts> {
    const [refused, orders, writes] = await Promise.all([
      this.ports.canAdd(orderId, key).then(
        () => null,
        (error: unknown) => {
          if (error instanceof GuardantApiError) return error;
          throw error;
        },
      ),
      this.ports.ordersOfKey(key.dongleId),
      this.ports.writesOfKey(key.dongleId),
    ]);
    const others = new Map<number, PreflightOtherOrder>();
    for (const o of orders) {
      if (o._id === orderId) continue;
      others.set(o._id, {
        orderId: o._id,
        number: o.number,
        customer: customerShort(o.customer),
        inOrder: true,
        written: false,
      });
    }
    let writtenForThisOrder = false;
    for (const w of writes) {
      if (w.actionresult !== 0) continue;
      if (w.order._id === orderId) {
        writtenForThisOrder = true;
        continue;
      }
      const other = others.get(w.order._id);
      if (other) other.written = true;
      else
        others.set(w.order._id, {
          orderId: w.order._id,
          number: w.order.number,
          customer: customerShort(w.customer ?? w.order.customer),
          inOrder: false,
          written: true,
        });
    }
    return {
      key,
      code: refused?.apiCode ?? 0,
      refusal: refused ? refused.description : null,
      inThisOrder: orders.some((o) => o._id === orderId),
      writtenForThisOrder,
      otherOrders: [...others.values()].sort((a, b) => a.number - b.number),
    };
  }
}

/** "3 places left: 3 of 4 keys will be added; 1 left out: order full". */
export function summarise(verdicts: PreflightKey[], placesLeft: number, purpose: PreflightPurpose): string {
  const added = verdicts.filter((v) => v.decision === 'add').length;
  const inOrder = verdicts.filter((v) => v.decision === 'in-order').length;
  const left = verdicts.filter((v) => v.decision === 'left-out');
  const parts: string[] = [];
  const places = `${plural(placesLeft, 'place')} left`;
  if (purpose === 'add') {
    parts.push(`${places}: ${added} of ${plural(verdicts.length, 'key')} will be added`);
    if (inOrder) parts.push(`${inOrder} already in the order`);
  } else {
    const written = added + inOrder;
    const detail = [added && `${added} added first`, inOrder && `${inOrder} already in the order`]
      .filter(Boolean)
      .join(', ');
    parts.push(
      `${places}: ${written} of ${plural(verdicts.length, 'key')} will be written${detail ? ` (${detail})` : ''}`,
    );
  }
  if (left.length) {
    const counts = new Map<PreflightLeftOut, number>();
    for (const v of left) counts.set(v.leftOut!, (counts.get(v.leftOut!) ?? 0) + 1);
    const reasons = [...counts].map(([reason, n]) =>
      counts.size === 1 ? preflightLeftOutWords[reason] : `${n} ${preflightLeftOutWords[reason]}`,
    );
    parts.push(`${left.length} left out: ${reasons.join(', ')}`);
  }
  return parts.join('; ');
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return results;
}
