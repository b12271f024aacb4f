import type { Database, Statement } from 'better-sqlite3';
import { ApiErrorCode, OrderStatus, OrderType } from '../../shared/guardant/codes';
import type { DongleIdentityBody } from '../../shared/guardant/requests';
import type { Dongle, MultipleDongleResult, OrderDongle } from '../../shared/guardant/responses';
import { ApiError } from '../http/api-error';
import { incompatibility, orderNeeds, type OrderNeeds } from './compatibility';
import type { OrdersStore } from './orders-store';
import { burnToWire, dongleToWire, type BurnRow, type DongleRow, type OrderRow } from './rows';
import { prepareHasSuccessfulWrite } from './successful-write';

type Direction = 'asc' | 'desc';
interface Page {
  offset: number;
  limit: number;
  direction: Direction;
}

/** `default` is the order the server first met the keys (the rowid `seen`). */
const KEY_SORT = { default: 'seen', dongleid: 'dongleid' } as const;
/** `startdate` is read as the order's activation start (activationbirthdate); _id breaks ties. */
const ORDER_SORT = {
  number: 'o.number',
  submitdate: 'o.submitdate',
  startdate: 'o.activationbirthdate',
} as const;

const identity = (key: DongleIdentityBody): Dongle => ({
  dongleid: key.dongleId,
  model: key.dongleModel,
  netresource: key.netResource,
  publiccode: key.publicCode,
  typeflags: key.typeFlags,
});

/** The keys the server has met, and which orders hold them. */
export class DonglesStore {
  private readonly byId: Statement<[number], DongleRow>;
  private readonly isInOrder: Statement<[number, number], { ok: 1 }>;
  private readonly countInOrder: Statement<[number], { n: number }>;
  private readonly hasSuccessfulWrite: Statement<[number, number], { ok: 1 }>;
  private readonly upsert: Statement<DongleIdentityBody>;
  private readonly link: Statement<[number, number, number]>;
  private readonly unlink: Statement<[number, number]>;
  private readonly setDriver: Statement<[number, number]>;
  private readonly pages = new Map<string, Statement<[number, number], DongleRow>>();
  private readonly orderPages = new Map<string, Statement<[number, number, number], { _id: number }>>();

  constructor(
    private readonly db: Database,
    private readonly orders: OrdersStore,
    private readonly now: () => number,
  ) {
    this.byId = db.prepare('SELECT * FROM dongles WHERE dongleid = ?');
    this.isInOrder = db.prepare('SELECT 1 AS ok FROM order_dongles WHERE order_id = ? AND dongleid = ?');
    this.countInOrder = db.prepare('SELECT COUNT(*) AS n FROM order_dongles WHERE order_id = ?');
    this.hasSuccessfulWrite = prepareHasSuccessfulWrite(db);
    // The station reads identity from the key each time, so a re-plugged key refreshes it; the
    // driver type is the operator's setting and survives.
    this.upsert = db.prepare(
      `INSERT INTO dongles (dongleid, model, publiccode, typeflags, netresource)
       VALUES (@dongleId, @dongleModel, @publicCode, @typeFlags, @netResource)
       ON CONFLICT(dongleid) DO UPDATE SET model = excluded.model, publiccode = excluded.publiccode,
         typeflags = excluded.typeflags, netresource = excluded.netresource`,
    );
    this.link = db.prepare('INSERT INTO order_dongles (order_id, dongleid, added_at) VALUES (?, ?, ?)');
    this.unlink = db.prepare('DELETE FROM order_dongles WHERE order_id = ? AND dongleid = ?');
    this.setDriver = db.prepare('UPDATE dongles SET drivertype = ? WHERE dongleid = ?');
  }

  list(query: Page & { sortby: keyof typeof KEY_SORT }): Dongle[] {
    const key = `${query.sortby}:${query.direction}`;
    let page = this.pages.get(key);
    if (!page) {
      page = this.db.prepare(
        `SELECT * FROM dongles ORDER BY ${KEY_SORT[query.sortby]} ${query.direction} LIMIT ? OFFSET ?`,
      );
      this.pages.set(key, page);
    }
    return page.all(query.limit, query.offset).map((row) => dongleToWire(row));
  }

  row(dongleid: number): DongleRow {
    const row = this.byId.get(dongleid);
    if (!row) throw new ApiError(ApiErrorCode.DongleNotFound, `no key ${dongleid} is known to the server`);
    return row;
  }

  setDriverType(dongleid: number, driverType: number): DongleRow {
    this.row(dongleid);
    this.setDriver.run(driverType, dongleid);
    return this.row(dongleid);
  }

  /** Ids of the orders holding the key, one page of them. */
  orderIdsOfKey(dongleid: number, query: Page & { sortby: keyof typeof ORDER_SORT }): number[] {
    this.row(dongleid);
    const key = `${query.sortby}:${query.direction}`;
    let page = this.orderPages.get(key);
    if (!page) {
      const dir = query.direction;
      page = this.db.prepare(
        `SELECT o._id FROM order_dongles od JOIN orders o ON o._id = od.order_id WHERE od.dongleid = ?
         ORDER BY ${ORDER_SORT[query.sortby]} ${dir}, o._id ${dir} LIMIT ? OFFSET ?`,
      );
      this.orderPages.set(key, page);
    }
    return page.all(dongleid, query.limit, query.offset).map((r) => r._id);
  }

  add(orderId: number, key: DongleIdentityBody): Dongle {
    return this.db.transaction(() => {
      const order = this.addableOrder(orderId);
      const problem = this.verdict(order, orderNeeds(this.db, order._id, order.number), key, {
        count: this.countInOrder.get(order._id)!.n,
      });
      if (problem) throw problem;
      this.attach(order._id, key);
      return dongleToWire(this.row(key.dongleId));
    })();
  }

  /** One transaction, one compatibility reading of the order; each key gets its own retcode. */
  addMany(orderId: number, keys: DongleIdentityBody[]): MultipleDongleResult[] {
    return this.db.transaction(() => {
      const order = this.addableOrder(orderId);
      const needs = orderNeeds(this.db, order._id, order.number);
      const state = { count: this.countInOrder.get(order._id)!.n };
      const named = new Set<number>();
      return keys.map((key) => {
        // A key named twice in one batch is already in the order by the time the second copy is read.
        const problem = named.has(key.dongleId)
          ? new ApiError(ApiErrorCode.DongleAlreadyInOrder)
          : this.verdict(order, needs, key, state);
        named.add(key.dongleId);
        if (!problem) {
          this.attach(order._id, key);
          state.count++;
        }
        return { ...identity(key), retcode: problem ? String(problem.code) : '0' };
      });
    })();
  }

  /** Throws what adding would throw, changes nothing; a key already in the order is fine. */
  canAdd(orderId: number, key: DongleIdentityBody): void {
    this.db.transaction(() => {
      const order = this.addableOrder(orderId);
      if (this.isInOrder.get(order._id, key.dongleId)) return;
      const problem = this.verdict(order, orderNeeds(this.db, order._id, order.number), key, {
        count: this.countInOrder.get(order._id)!.n,
      });
      if (problem) throw problem;
    })();
  }

  remove(orderId: number, dongleid: number): void {
    this.db.transaction(() => {
      const order = this.addableOrder(orderId);
      if (!this.isInOrder.get(order._id, dongleid)) {
        throw new ApiError(ApiErrorCode.NotInOrder, `key ${dongleid} is not in order ${order.number}`);
      }
      // Freeing the slot of a key that already carries the licence would let the order license more
      // keys than its quantity; the write stays on record and the key stays in the order.
      if (this.hasSuccessfulWrite.get(order._id, dongleid)) {
        throw new ApiError(
          ApiErrorCode.KeyAlreadyWritten,
          `key ${dongleid} already holds the licence of order ${order.number}; revoke the order instead`,
        );
      }
      this.unlink.run(order._id, dongleid);
    })();
  }

  /** Keys are managed on Submitted hardware Sale orders; an Update order's key is fixed at creation. */
  private addableOrder(orderId: number): OrderRow {
    const order = this.orders.row(orderId);
    if (order.type !== OrderType.Sale || order.ishardwarelicense !== 1) {
      throw new ApiError(
        ApiErrorCode.WrongOrderKind,
        `order ${order.number} is not a hardware-key Sale order`,
      );
    }
    if (order.status !== OrderStatus.Submitted) {
      throw new ApiError(
        ApiErrorCode.WrongOrderStatus,
        `keys are added to and removed from Submitted orders only; order ${order.number} is in status ${order.status}`,
      );
    }
    return order;
  }

  private verdict(
    order: OrderRow,
    needs: OrderNeeds,
    key: DongleIdentityBody,
    state: { count: number },
  ): ApiError | null {
    if (this.isInOrder.get(order._id, key.dongleId)) {
      return new ApiError(ApiErrorCode.DongleAlreadyInOrder, `key ${key.dongleId}`);
    }
    if (state.count >= order.quantity) {
      return new ApiError(ApiErrorCode.OrderQuantityReached, `quantity ${order.quantity}`);
    }
    return incompatibility(needs, {
      dongleid: key.dongleId,
      model: key.dongleModel,
      netresource: key.netResource,
    });
  }

  private attach(orderId: number, key: DongleIdentityBody): void {
    this.upsert.run(key);
    this.link.run(orderId, key.dongleId, this.now());
  }
}

/**
 * A page of an order's keys, oldest first (the time each was added, then the order the server first met
 * them), each with its latest write in that order. The index on (order_id, added_at) walks the keys in
 * that order, so a page costs its own size (plus the skipped entries), not the order's.
 */
export function donglesOfOrder(db: Database, orderId: number, page: Page): OrderDongle[] {
  const dir = page.direction === 'desc' ? 'DESC' : 'ASC';
  const keys = db
    .prepare<[number, number, number], DongleRow>(
      `SELECT d.* FROM order_dongles od JOIN dongles d ON d.dongleid = od.dongleid
        WHERE od.order_id = ? ORDER BY od.added_at ${dir}, d.seen ${dir} LIMIT ? OFFSET ?`,
    )
    .all(orderId, page.limit, page.offset);
  if (keys.length === 0) return [];
  const lastBurn = db.prepare<[number, number], BurnRow>(
    'SELECT * FROM burns WHERE order_id = ? AND dongleid = ? ORDER BY _id DESC LIMIT 1',
  );
  return keys.map((row) => {
    const burn = lastBurn.get(orderId, row.dongleid);
    return burn ? { ...dongleToWire(row), lastburn: burnToWire(burn) } : dongleToWire(row);
  });
}

/** How many keys an order holds. */
export function countDonglesOfOrder(db: Database, orderId: number): number {
  return (
    db
      .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM order_dongles WHERE order_id = ?')
      .get(orderId)?.n ?? 0
  );
}
