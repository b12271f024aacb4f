import type { Database } from 'better-sqlite3';
import { ApiErrorCode } from '../../shared/guardant/codes';
import { parseKeyId } from '../../shared/guardant/numbers';
import type { SearchLicenseBody } from '../../shared/guardant/requests';
import type { Dongle, Product, SerialNumber } from '../../shared/guardant/responses';
import { ApiError } from '../http/api-error';
import { refuseControlCharacters } from '../http/validate';
import { productsOfOrder } from './product-reader';
import { customerToWire, dongleToWire, type CustomerRow, type DongleRow } from './rows';

/** Each list of a search answer holds at most this many entries, the oldest first. */
export const SEARCH_LIMIT = 100;

interface SerialRow {
  _id: number;
  order_id: number;
  serialstring: string;
  status: number;
  activationcount: number;
  activationlimit: number;
  licensecontainerversion: number;
  customer_id: number | null;
}

interface Filters {
  /** LIKE pattern for part of a serial string, wildcards escaped. */
  serialPattern: string | null;
  /** Exact key id, when the search value reads as a 32-bit number; unsigned. */
  dongleId: number | null;
  /** A search value that is not a key id then rules out every key. */
  keyValueGiven: boolean;
  orderSql: string[];
  orderArgs: Record<string, number>;
}

function filters(body: SearchLicenseBody): Filters {
  refuseControlCharacters(body.keySearchValue, 'keySearchValue', ApiErrorCode.InvalidField);
  const value = body.keySearchValue?.trim() ?? '';
  const orderSql: string[] = [];
  const orderArgs: Record<string, number> = {};
  if (body.clientId !== undefined) {
    orderSql.push('o.customer_id = @client');
    orderArgs.client = body.clientId;
  }
  if (body.orderNumber !== undefined) {
    orderSql.push('o.number = @number');
    orderArgs.number = body.orderNumber;
  }
  if (body.productId !== undefined) {
    orderSql.push(
      'EXISTS (SELECT 1 FROM order_products op WHERE op.order_id = o._id AND op.product_id = @product)',
    );
    orderArgs.product = body.productId;
  }
  if (!value && orderSql.length === 0) {
    // Nothing to narrow by would answer every licence in the database.
    throw new ApiError(
      ApiErrorCode.InvalidField,
      'give at least one of keySearchValue, clientId, productId, orderNumber',
    );
  }
  return {
    serialPattern: value ? `%${value.replace(/[\\%_]/g, (c) => '\\' + c)}%` : null,
    // A search value of digits may be a key id printed signed (-1359759134) or unsigned.
    dongleId: value ? parseKeyId(value) : null,
    keyValueGiven: value !== '',
    orderSql,
    orderArgs,
  };
}

function findSerials(db: Database, f: Filters): SerialNumber[] {
  const where = [...f.orderSql];
  const args: Record<string, unknown> = { ...f.orderArgs, limit: SEARCH_LIMIT };
  if (f.serialPattern !== null) {
    where.push("s.serialstring LIKE @pattern ESCAPE '\\'");
    args.pattern = f.serialPattern;
  }
  const rows = db
    .prepare<[Record<string, unknown>], SerialRow>(
      `SELECT s.*, o.customer_id FROM serial_numbers s JOIN orders o ON o._id = s.order_id
        WHERE ${where.join(' AND ')} ORDER BY s._id LIMIT @limit`,
    )
    .all(args);
  const customer = db.prepare<[number], CustomerRow>('SELECT * FROM customers WHERE _id = ?');
  // Serial numbers of one order share its products: read them once per order.
  const products = new Map<number, Product[]>();
  return rows.map((row) => {
    let ofOrder = products.get(row.order_id);
    if (!ofOrder) products.set(row.order_id, (ofOrder = productsOfOrder(db, row.order_id)));
    const customerRow = row.customer_id === null ? undefined : customer.get(row.customer_id);
    return {
      _id: row._id,
      activationcount: row.activationcount,
      activationlimit: row.activationlimit,
      ...(customerRow ? { customer: customerToWire(customerRow) } : {}),
      licensecontainerversion: row.licensecontainerversion,
      memoryitems: ofOrder.flatMap((p) => p.memoryitems ?? []),
      products: ofOrder,
      serialstring: row.serialstring,
      status: row.status,
    };
  });
}

function findDongles(db: Database, f: Filters): Dongle[] {
  if (f.keyValueGiven && f.dongleId === null) return [];
  const where: string[] = [];
  const args: Record<string, unknown> = { ...f.orderArgs, limit: SEARCH_LIMIT };
  if (f.dongleId !== null) {
    where.push('d.dongleid = @dongle');
    args.dongle = f.dongleId;
  }
  if (f.orderSql.length) {
    // A key matches when one of its orders meets every order filter at once.
    where.push(`EXISTS (SELECT 1 FROM order_dongles od JOIN orders o ON o._id = od.order_id
                 WHERE od.dongleid = d.dongleid AND ${f.orderSql.join(' AND ')})`);
  }
  return db
    .prepare<[Record<string, unknown>], DongleRow>(
      `SELECT d.* FROM dongles d WHERE ${where.join(' AND ')} ORDER BY d.dongleid LIMIT @limit`,
    )
    .all(args)
    .map((row) => dongleToWire(row));
}

/**
 * POST /v1.0/search/license: serial numbers and hardware keys matching every given filter.
 * keySearchValue matches part of a serial string (case-insensitive) or a key id exactly.
 */
export function searchLicenses(
  db: Database,
  body: SearchLicenseBody,
): { serialnumbers: SerialNumber[]; dongles: Dongle[] } {
  const f = filters(body);
  return { serialnumbers: findSerials(db, f), dongles: findDongles(db, f) };
}
