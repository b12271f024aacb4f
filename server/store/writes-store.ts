import type { Database, Statement } from 'better-sqlite3';
import {
  ActionResult,
  ApiErrorCode,
  BurnAction,
  MAX_WRITES_BY_IDEMPOTENCY_KEY,
  OrderStatus,
} from '../../shared/guardant/codes';
import type { HistoryItem, LastBurn, WriteResult } from '../../shared/guardant/responses';
import { ApiError } from '../http/api-error';
import { orderNeeds } from './compatibility';
import type { OrdersStore } from './orders-store';
import { burnToWire, dongleToWire, type BurnRow, type DongleRow } from './rows';
import { prepareHasSuccessfulWrite } from './successful-write';

/** The vendor's writing balance, as the admin endpoint answers it. */
export interface VendorAccount {
  activations: number;
  netlicenses: number;
  subscriptionuntil: number;
}

export function vendorAccount(db: Database): VendorAccount {
  return db
    .prepare<[], VendorAccount>(
      `SELECT activations_remaining AS activations, netlicenses_remaining AS netlicenses,
              subscription_until AS subscriptionuntil FROM vendor WHERE id = 1`,
    )
    .get()!;
}

/** Scripts the next `count` writes into the key to fail with `actionResult` (queued oldest first). */
export function injectFailure(db: Database, dongleId: number, actionResult: number, count = 1): void {
  // A scripted "success" would skip the balance checks and could drive the balance negative.
  if (actionResult === ActionResult.Success) throw new Error('an injected failure needs a non-zero result');
  db.prepare('INSERT INTO injected_failures (dongleid, actionresult, remaining) VALUES (?, ?, ?)').run(
    dongleId >>> 0,
    actionResult,
    count,
  );
}

export interface HistoryFilter {
  offset: number;
  limit: number;
  direction: 'asc' | 'desc';
  actiondatebegin?: number | undefined;
  actiondateend?: number | undefined;
  actionresult?: number[] | undefined;
}

/** The ledger of licence writes: every attempt is a `burns` row, and the vendor is billed from it. */
export class WritesStore {
  private readonly isInOrder: Statement<[number, number], { ok: 1 }>;
  private readonly dongleById: Statement<[number], DongleRow>;
  private readonly nextFault: Statement<[number], { _id: number; actionresult: number; remaining: number }>;
  private readonly consumeFault: Statement<[number]>;
  private readonly dropSpentFault: Statement<[number]>;
  private readonly vendor: Statement<
    [],
    { activations_remaining: number; netlicenses_remaining: number; subscription_until: number }
  >;
  private readonly charge: Statement<[number, number]>;
  private readonly paidBefore: Statement<[number, number], { ok: 1 }>;
  private readonly insertBurn: Statement<Omit<BurnRow, '_id'>>;
  private readonly burnById: Statement<[number], BurnRow>;
  private readonly lastBurnOf: Statement<[number, number], BurnRow>;
  private readonly burnsWithKey: Statement<[string, number], BurnRow>;
  private readonly historyPages: Record<'asc' | 'desc', Statement<Record<string, unknown>, BurnRow>>;

  constructor(
    private readonly db: Database,
    private readonly orders: OrdersStore,
    private readonly now: () => number,
  ) {
    this.isInOrder = db.prepare('SELECT 1 AS ok FROM order_dongles WHERE order_id = ? AND dongleid = ?');
    this.dongleById = db.prepare('SELECT * FROM dongles WHERE dongleid = ?');
    this.nextFault = db.prepare(
      'SELECT _id, actionresult, remaining FROM injected_failures WHERE dongleid = ? ORDER BY _id LIMIT 1',
    );
    this.consumeFault = db.prepare('UPDATE injected_failures SET remaining = remaining - 1 WHERE _id = ?');
    this.dropSpentFault = db.prepare('DELETE FROM injected_failures WHERE _id = ? AND remaining <= 0');
    this.vendor = db.prepare('SELECT * FROM vendor WHERE id = 1');
    this.charge = db.prepare(
      `UPDATE vendor SET activations_remaining = activations_remaining - ?,
         netlicenses_remaining = netlicenses_remaining - ? WHERE id = 1`,
    );
    this.paidBefore = prepareHasSuccessfulWrite(db);
    this.insertBurn = db.prepare(
      `INSERT INTO burns (order_id, dongleid, action, actiondate, actionresult, activationsconsumed,
         activationscountcurrent, netlicensesconsumed, netlicensesremains, idempotency_key)
       VALUES (@order_id, @dongleid, @action, @actiondate, @actionresult, @activationsconsumed,
         @activationscountcurrent, @netlicensesconsumed, @netlicensesremains, @idempotency_key)`,
    );
    // Bounded like the wire answer (its limit is the parameter): a key gets a handful of attempts, never a thousand.
    this.burnsWithKey = db.prepare('SELECT * FROM burns WHERE idempotency_key = ? ORDER BY _id LIMIT ?');
    this.burnById = db.prepare('SELECT * FROM burns WHERE _id = ?');
    // "Last" is the last one recorded, whatever the clock said when it was.
    this.lastBurnOf = db.prepare(
      'SELECT * FROM burns WHERE order_id = ? AND dongleid = ? ORDER BY _id DESC LIMIT 1',
    );
    const history = (dir: 'asc' | 'desc') =>
      db.prepare<Record<string, unknown>, BurnRow>(
        `SELECT * FROM burns WHERE dongleid = @dongleid
           AND (@begin IS NULL OR actiondate >= @begin) AND (@end IS NULL OR actiondate <= @end)
           AND (@results IS NULL OR actionresult IN (SELECT value FROM json_each(@results)))
         ORDER BY actiondate ${dir}, _id ${dir} LIMIT @limit OFFSET @offset`,
      );
    this.historyPages = { asc: history('asc'), desc: history('desc') };
  }

  /**
   * Records one write attempt and bills it. The server decides the result in a fixed order: a scripted
   * fault, the subscription, the balance, then what the key itself reported. A successful write of an
   * order into a key that already holds it is free, so retrying after a lost answer never bills twice.
   */
  write(
    orderId: number,
    dongleid: number,
    dongleResult: number = ActionResult.Success,
    idempotencyKey: string | null = null,
  ): WriteResult {
    return this.db.transaction(() => {
      const order = this.orders.row(orderId);
      this.requireInOrder(orderId, dongleid, order.number);
      if (idempotencyKey !== null) {
        const earlier = this.burnsWithKey.all(idempotencyKey, MAX_WRITES_BY_IDEMPOTENCY_KEY);
        const other = earlier.find((b) => b.order_id !== orderId || b.dongleid !== dongleid);
        if (other) {
          throw new ApiError(
            ApiErrorCode.InvalidField,
            `idempotencyKey ${idempotencyKey} was already used for another write (order id ${other.order_id}, key ${other.dongleid})`,
          );
        }
        // The same write again (its first answer was lost): the success on record is the answer.
        const succeeded = earlier.find((b) => b.actionresult === ActionResult.Success);
        if (succeeded) return { ...burnToWire(succeeded), dongleid, order_id: orderId };
      }
      if (order.status !== OrderStatus.Submitted) {
        throw new ApiError(
          ApiErrorCode.WrongOrderStatus,
          `licences are written from Submitted orders only; order ${order.number} is in status ${order.status}`,
        );
      }
      const now = this.now();
      const account = this.vendor.get()!;
      const free = this.paidBefore.get(orderId, dongleid) !== undefined;
      const netLicenses = free ? 0 : orderNeeds(this.db, orderId, order.number).netLicenses;

      let result: number;
      const fault = this.nextFault.get(dongleid);
      if (fault) {
        this.consumeFault.run(fault._id);
        this.dropSpentFault.run(fault._id);
        result = fault.actionresult;
      } else if (account.subscription_until < now) {
        result = ActionResult.VendorHasNoServiceSubscription;
      } else if (
        !free &&
        (account.activations_remaining < 1 || netLicenses > account.netlicenses_remaining)
      ) {
        result = ActionResult.VendorHasNoActivationTransactionsAvailable;
      } else {
        result = dongleResult;
      }

      const charged = result === ActionResult.Success && !free;
      const activations = charged ? 1 : 0;
      const nets = charged ? netLicenses : 0;
      if (charged) this.charge.run(activations, nets);
      const { lastInsertRowid } = this.insertBurn.run({
        order_id: orderId,
        dongleid,
        action: BurnAction.Write,
        actiondate: now,
        actionresult: result,
        activationsconsumed: activations,
        activationscountcurrent: account.activations_remaining - activations,
        netlicensesconsumed: nets,
        netlicensesremains: account.netlicenses_remaining - nets,
        idempotency_key: idempotencyKey,
      });
      const burn = this.burnById.get(Number(lastInsertRowid))!;
      return { ...burnToWire(burn), dongleid, order_id: orderId };
    })();
  }

  /** The attempts recorded with this idempotency key, oldest first (none: an empty list). */
  writesWithKey(idempotencyKey: string): WriteResult[] {
    return this.burnsWithKey
      .all(idempotencyKey, MAX_WRITES_BY_IDEMPOTENCY_KEY)
      .map((burn) => ({ ...burnToWire(burn), dongleid: burn.dongleid, order_id: burn.order_id }));
  }

  lastBurn(orderId: number, dongleid: number): LastBurn {
    const order = this.orders.row(orderId);
    this.requireInOrder(orderId, dongleid, order.number);
    const burn = this.lastBurnOf.get(orderId, dongleid);
    if (!burn) {
      throw new ApiError(ApiErrorCode.NoWriteRecorded, `key ${dongleid}, order ${order.number}`);
    }
    return burnToWire(burn);
  }

  /** A key's writes, each with the order (and its customer) and the key's identity. */
  history(dongleid: number, filter: HistoryFilter): HistoryItem[] {
    const dongleRow = this.dongleById.get(dongleid);
    if (!dongleRow)
      throw new ApiError(ApiErrorCode.DongleNotFound, `no key ${dongleid} is known to the server`);
    const burns = this.historyPages[filter.direction].all({
      dongleid,
      begin: filter.actiondatebegin ?? null,
      end: filter.actiondateend ?? null,
      results: filter.actionresult ? JSON.stringify(filter.actionresult) : null,
      limit: filter.limit,
      offset: filter.offset,
    });
    const orderIds = [...new Set(burns.map((b) => b.order_id))];
    const orders = new Map(this.orders.ordersByIds(orderIds).map((o) => [o._id, o]));
    const dongle = dongleToWire(dongleRow);
    return burns.map((burn) => {
      const order = orders.get(burn.order_id)!;
      const item: HistoryItem = { ...burnToWire(burn), dongle, order };
      if (order.customer) item.customer = order.customer;
      return item;
    });
  }

  private requireInOrder(orderId: number, dongleid: number, orderNumber: number): void {
    if (!this.isInOrder.get(orderId, dongleid)) {
      throw new ApiError(ApiErrorCode.NotInOrder, `key ${dongleid} is not in order ${orderNumber}`);
    }
  }
}
