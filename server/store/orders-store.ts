import type { Database, Statement } from 'better-sqlite3';
import { ApiErrorCode, MAX_SERIAL_NUMBERS, OrderStatus, OrderType } from '../../shared/guardant/codes';
import type { ChangeOrderBody, CreateOrderBody, OrdersQuery } from '../../shared/guardant/requests';
import type { Order } from '../../shared/guardant/responses';
import { parseOrderSearch } from '../../shared/guardant/order-search';
import { ApiError } from '../http/api-error';
import { refuseControlCharacters } from '../http/validate';
import { incompatibility, orderNeeds } from './compatibility';
import { orderToWire, type CustomerRow, type DongleRow, type OrderRow } from './rows';
import { newSerialString } from './serial-numbers';

const SORT_SQL = {
  number: { asc: 'number ASC', desc: 'number DESC' },
  submitdate: { asc: 'submitdate ASC, _id ASC', desc: 'submitdate DESC, _id DESC' },
} as const;

/** Which status moves PUT orderStatus allows; a Draft is deleted, not revoked. */
const TRANSITIONS: Record<number, readonly number[]> = {
  [OrderStatus.Draft]: [OrderStatus.Draft, OrderStatus.Submitted],
  [OrderStatus.Submitted]: [OrderStatus.Submitted, OrderStatus.Revoked, OrderStatus.Archived],
  [OrderStatus.Revoked]: [OrderStatus.Revoked, OrderStatus.Archived],
  [OrderStatus.Archived]: [OrderStatus.Archived],
};

const SALE_ONLY_FIELDS = [
  'customerId',
  'orderIsDemo',
  'customerRequired',
  'customeRrequired',
  'orderQuantity',
  'orderActivationLimit',
  'isHardwareLicense',
] as const;

const b = (v: boolean | undefined, fallback: number) => (v === undefined ? fallback : v ? 1 : 0);

/**
 * A software Sale order issues every serial number in the transaction that submits it; one request of
 * 1,000,000 froze the server for 10 s. Refused when the order is created, changed or submitted with more.
 */
function refuseTooManySerials(row: Pick<OrderRow, 'type' | 'ishardwarelicense' | 'quantity'>): void {
  if (row.type === OrderType.Sale && row.ishardwarelicense === 0 && row.quantity > MAX_SERIAL_NUMBERS) {
    throw new ApiError(
      ApiErrorCode.TooManySerialNumbers,
      `orderQuantity ${row.quantity}; a hardware order may hold more keys`,
    );
  }
}

export class OrdersStore {
  private readonly pageStatements = new Map<string, Statement<unknown[], { _id: number }>>();
  private readonly byId: Statement<[number], OrderRow>;
  private readonly customerById: Statement<[number], CustomerRow>;

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
  ) {
    this.byId = db.prepare('SELECT * FROM orders WHERE _id = ?');
    this.customerById = db.prepare('SELECT * FROM customers WHERE _id = ?');
  }

  /** Skips through an index-only scan, then reads just the page's rows. */
  list(query: OrdersQuery): Order[] {
    refuseControlCharacters(query.q, 'q', ApiErrorCode.InvalidQuery);
    const statuses = query.status ?? [];
    const search = parseOrderSearch(query.q);
    const hardware = query.ishardwarelicense;
    const key = `${query.sortby}:${query.direction}:${statuses.length}:${hardware ?? ''}:${search.numbers.length}:${search.words.length}`;
    let page = this.pageStatements.get(key);
    if (!page) {
      const where: string[] = [];
      if (statuses.length) where.push(`status IN (${statuses.map(() => '?').join(',')})`);
      if (hardware !== undefined) where.push(`ishardwarelicense = ${hardware ? 1 : 0}`);
      // Every word of the search must match (docs/api-decisions.md, "Search text").
      search.numbers.forEach((_, i) => where.push(`number = @n${i}`));
      if (search.words.length) {
        const inNumber = search.words.map((_, i) => `CAST(number AS TEXT) LIKE @w${i}`).join(' AND ');
        const inNames = search.words
          .map((_, i) => `(name LIKE @w${i} OR lastname LIKE @w${i} OR companyname LIKE @w${i})`)
          .join(' AND ');
        where.push(`((${inNumber}) OR customer_id IN (SELECT _id FROM customers WHERE ${inNames}))`);
      }
      const sql = `SELECT _id FROM orders ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
                   ORDER BY ${SORT_SQL[query.sortby][query.direction]} LIMIT @limit OFFSET @offset`;
      page = this.db.prepare(sql);
      this.pageStatements.set(key, page);
    }
    const params: Record<string, unknown> = { limit: query.limit, offset: query.offset };
    search.numbers.forEach((n, i) => (params[`n${i}`] = n));
    search.words.forEach((w, i) => (params[`w${i}`] = `%${w}%`));
    const ids = page.all(...statuses, params).map((r) => r._id);
    return this.ordersByIds(ids);
  }

  /** Orders in the given id order, each with its customer. */
  ordersByIds(ids: number[]): Order[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare<number[], OrderRow>(`SELECT * FROM orders WHERE _id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    const byId = new Map(rows.map((r) => [r._id, r]));
    const customerIds = [...new Set(rows.map((r) => r.customer_id).filter((c): c is number => c !== null))];
    const customers = new Map<number, CustomerRow>();
    if (customerIds.length) {
      for (const c of this.db
        .prepare<number[], CustomerRow>(
          `SELECT * FROM customers WHERE _id IN (${customerIds.map(() => '?').join(',')})`,
        )
        .all(...customerIds)) {
        customers.set(c._id, c);
      }
    }
    return ids.map((id) => {
      const row = byId.get(id)!;
      return orderToWire(row, row.customer_id === null ? undefined : customers.get(row.customer_id));
    });
  }

  row(id: number): OrderRow {
    const row = this.byId.get(id);
    if (!row) throw new ApiError(ApiErrorCode.OrderNotFound, `no order with _id ${id}`);
    return row;
  }

  toWire(row: OrderRow): Order {
    const customer = row.customer_id === null ? undefined : this.customerById.get(row.customer_id);
    return orderToWire(row, customer);
  }

  create(body: CreateOrderBody): OrderRow {
    return this.db.transaction(() => {
      const now = this.now();
      const base = {
        activationbirthdate: body.orderActivationBirthDate ?? 0,
        activationdeathdate: body.orderActivationDeathDate ?? 0,
        canoverwritecontainer: b(body.orderCanOverwriteContainer, 0),
        description: body.orderDescription ?? '',
        crmid: body.crmId ?? '',
        refid: body.refId ?? '',
      };
      if (base.activationdeathdate && base.activationdeathdate < base.activationbirthdate) {
        throw new ApiError(
          ApiErrorCode.InvalidField,
          'orderActivationDeathDate is before orderActivationBirthDate',
        );
      }
      if (body.customerId !== undefined) this.requireCustomer(body.customerId);
      let row: Omit<OrderRow, '_id' | 'number' | 'status' | 'date' | 'submitdate' | 'archivationdate'>;
      if (body.orderType === OrderType.Sale) {
        row = {
          ...base,
          type: OrderType.Sale,
          ishardwarelicense: b(body.isHardwareLicense, 0),
          customer_id: body.customerId ?? null,
          activationlimit: body.orderActivationLimit ?? 1,
          isdemo: b(body.orderIsDemo, 0),
          customerrequired: b(body.customerRequired ?? body.customeRrequired, 0),
          quantity: body.orderQuantity ?? 1,
          update_serial: null,
          update_dongleid: null,
        };
        refuseTooManySerials(row);
      } else {
        row = {
          ...base,
          ...this.updateTarget(body),
          activationlimit: 1,
          isdemo: 0,
          customerrequired: 0,
          quantity: 1,
        };
      }
      const number = (
        this.db
          .prepare("UPDATE counters SET value = value + 1 WHERE name = 'order_number' RETURNING value")
          .get() as {
          value: number;
        }
      ).value;
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO orders (number, type, status, ishardwarelicense, customer_id, date, submitdate,
             activationbirthdate, activationdeathdate, activationlimit, canoverwritecontainer, isdemo,
             customerrequired, description, quantity, crmid, refid, update_serial, update_dongleid)
           VALUES (@number, @type, 0, @ishardwarelicense, @customer_id, @date, 0, @activationbirthdate,
             @activationdeathdate, @activationlimit, @canoverwritecontainer, @isdemo, @customerrequired,
             @description, @quantity, @crmid, @refid, @update_serial, @update_dongleid)`,
        )
        .run({ ...row, number, date: now });
      const id = Number(lastInsertRowid);
      if (body.orderStatus === OrderStatus.Submitted) this.setStatus(this.row(id), OrderStatus.Submitted);
      return this.row(id);
    })();
  }

  /** An Update order names exactly one thing to update: a serial number, or a hardware key. */
  private updateTarget(body: Extract<CreateOrderBody, { orderType: 1 }>) {
    const hardware = body.isHardwareLicense === true;
    if (hardware && body.serialNumber !== undefined) {
      throw new ApiError(
        ApiErrorCode.InvalidField,
        'an Update order names either serialNumber or dongleId, not both',
      );
    }
    if (hardware) {
      if (body.dongleId === undefined) {
        throw new ApiError(ApiErrorCode.InvalidField, 'dongleId: required when isHardwareLicense is true');
      }
      const known = this.db.prepare('SELECT 1 FROM dongles WHERE dongleid = ?').get(body.dongleId);
      if (!known)
        throw new ApiError(ApiErrorCode.DongleNotFound, `no key ${body.dongleId} is known to the server`);
      return {
        type: OrderType.Update,
        ishardwarelicense: 1,
        customer_id: body.customerId ?? null,
        update_serial: null,
        update_dongleid: body.dongleId,
      };
    }
    if (body.dongleId !== undefined) {
      throw new ApiError(ApiErrorCode.InvalidField, 'dongleId: only with isHardwareLicense true');
    }
    if (body.serialNumber === undefined) {
      throw new ApiError(
        ApiErrorCode.InvalidField,
        'serialNumber: required for an Update order (or isHardwareLicense: true with dongleId)',
      );
    }
    const serial = this.db
      .prepare<[string], { customer_id: number | null }>(
        `SELECT o.customer_id FROM serial_numbers s JOIN orders o ON o._id = s.order_id WHERE s.serialstring = ?`,
      )
      .get(body.serialNumber);
    if (!serial) throw new ApiError(ApiErrorCode.SerialNumberNotFound, body.serialNumber);
    return {
      type: OrderType.Update,
      ishardwarelicense: 0,
      customer_id: body.customerId ?? serial.customer_id,
      update_serial: body.serialNumber,
      update_dongleid: null,
    };
  }

  change(id: number, body: ChangeOrderBody): OrderRow {
    return this.db.transaction(() => {
      const row = this.row(id);
      const edits = Object.keys(body).filter((k) => k !== 'orderStatus');
      if (edits.length && row.status !== OrderStatus.Draft) {
        throw new ApiError(
          ApiErrorCode.WrongOrderStatus,
          `only a Draft order can be changed (fields: ${edits.join(', ')})`,
        );
      }
      if (row.type === OrderType.Update) {
        const saleOnly = SALE_ONLY_FIELDS.filter((f) => body[f] !== undefined);
        if (saleOnly.length) {
          throw new ApiError(ApiErrorCode.InvalidField, `${saleOnly.join(', ')}: only for Sale orders`);
        }
      }
      if (body.customerId !== undefined) this.requireCustomer(body.customerId);
      const next = {
        activationbirthdate: body.orderActivationBirthDate ?? row.activationbirthdate,
        activationdeathdate: body.orderActivationDeathDate ?? row.activationdeathdate,
        canoverwritecontainer: b(body.orderCanOverwriteContainer, row.canoverwritecontainer),
        description: body.orderDescription ?? row.description,
        crmid: body.crmId ?? row.crmid,
        refid: body.refId ?? row.refid,
        customer_id: body.customerId ?? row.customer_id,
        isdemo: b(body.orderIsDemo, row.isdemo),
        customerrequired: b(body.customerRequired ?? body.customeRrequired, row.customerrequired),
        quantity: body.orderQuantity ?? row.quantity,
        activationlimit: body.orderActivationLimit ?? row.activationlimit,
        ishardwarelicense: b(body.isHardwareLicense, row.ishardwarelicense),
      };
      if (next.activationdeathdate && next.activationdeathdate < next.activationbirthdate) {
        throw new ApiError(
          ApiErrorCode.InvalidField,
          'orderActivationDeathDate is before orderActivationBirthDate',
        );
      }
      if (edits.length) refuseTooManySerials({ ...next, type: row.type });
      if (edits.length) {
        this.db
          .prepare(
            `UPDATE orders SET activationbirthdate = @activationbirthdate, activationdeathdate = @activationdeathdate,
               canoverwritecontainer = @canoverwritecontainer, description = @description, crmid = @crmid,
               refid = @refid, customer_id = @customer_id, isdemo = @isdemo, customerrequired = @customerrequired,
               quantity = @quantity, activationlimit = @activationlimit, ishardwarelicense = @ishardwarelicense
             WHERE _id = @id`,
          )
          .run({ ...next, id });
      }
      if (body.orderStatus !== undefined && body.orderStatus !== row.status) {
        this.setStatus(this.row(id), body.orderStatus);
      }
      return this.row(id);
    })();
  }

  private setStatus(row: OrderRow, status: number): void {
    if (!TRANSITIONS[row.status]!.includes(status)) {
      throw new ApiError(
        ApiErrorCode.WrongOrderStatus,
        `an order in status ${row.status} cannot move to status ${status}`,
      );
    }
    const now = this.now();
    if (status === OrderStatus.Submitted) this.onSubmit(row);
    this.db
      .prepare(
        `UPDATE orders SET status = ?, submitdate = CASE WHEN ? = 1 THEN ? ELSE submitdate END,
           archivationdate = CASE WHEN ? = 3 THEN ? ELSE archivationdate END WHERE _id = ?`,
      )
      .run(status, status, now, status, now, row._id);
  }

  /** Submitting issues a software order's serial numbers, or binds a hardware Update order to its key. */
  private onSubmit(row: OrderRow): void {
    if (row.type === OrderType.Sale && row.ishardwarelicense === 0) {
      refuseTooManySerials(row); // a Draft saved before the limit existed
      const insert = this.db.prepare(
        'INSERT OR IGNORE INTO serial_numbers (order_id, serialstring, activationlimit) VALUES (?, ?, ?)',
      );
      let issued = 0;
      while (issued < row.quantity)
        issued += insert.run(row._id, newSerialString(), row.activationlimit).changes;
    }
    if (row.type === OrderType.Update && row.update_dongleid !== null) {
      const key = this.db
        .prepare<[number], DongleRow>('SELECT * FROM dongles WHERE dongleid = ?')
        .get(row.update_dongleid);
      if (!key) throw new ApiError(ApiErrorCode.DongleNotFound, String(row.update_dongleid));
      const problem = incompatibility(orderNeeds(this.db, row._id, row.number), key);
      if (problem) throw problem;
      this.db
        .prepare('INSERT OR IGNORE INTO order_dongles (order_id, dongleid, added_at) VALUES (?, ?, ?)')
        .run(row._id, key.dongleid, this.now());
    }
  }

  delete(id: number): void {
    this.db.transaction(() => {
      const row = this.row(id);
      if (row.status !== OrderStatus.Draft) {
        throw new ApiError(
          ApiErrorCode.WrongOrderStatus,
          'only a Draft order can be deleted; revoke it instead',
        );
      }
      this.db.prepare('DELETE FROM orders WHERE _id = ?').run(id);
    })();
  }

  private requireCustomer(id: number): void {
    if (!this.customerById.get(id))
      throw new ApiError(ApiErrorCode.CustomerNotFound, `no customer with _id ${id}`);
  }
}
