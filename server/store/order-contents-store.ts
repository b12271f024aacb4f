import type { Database } from 'better-sqlite3';
import { ApiErrorCode, OrderStatus, orderStatusName } from '../../shared/guardant/codes';
import type { LicenseTermsBody } from '../../shared/guardant/requests';
import type { Feature, License, Param } from '../../shared/guardant/responses';
import { ApiError } from '../http/api-error';
import {
  featureToWire,
  LICENSE_COLUMNS,
  orderLicense,
  orderLicenseToWire,
  paramToWire,
  type FeatureRow,
  type OrderLicenseRow,
  type ParamRow,
  type ProductRow,
} from './catalog-rows';
import { notInOrder } from './product-reader';
import type { LicenseColumns } from './rows';

/** Body field → licence column, as the reference's PUT .../features/{fid} sample names them. */
const TERM_COLUMNS = {
  licensingmodel: 'licensingmodel',
  licenseRentBeginDate: 'rentbegindate',
  licenseRentEndDate: 'rentenddate',
  licenseRentDaysCount: 'rentdayscount',
  licenseNetLicenseCount: 'netlicensescount',
  consumptionmode: 'consumptionmode',
  flags: 'flags',
  licenseRuncounter: 'runcounter',
  isRemote: 'isremote',
} as const satisfies Record<Exclude<keyof LicenseTermsBody, 'isExcluded'>, keyof LicenseColumns>;

/**
 * Products, features and memory inside one order. Checks run from the outside in, so the operator
 * hears about the first thing that is wrong: the order (10021), the catalog entries the path names
 * (10022, 10023, 10026), the order's status (10030), then whether the product is in the order
 * (10037/10038), and last the rules of the feature or param itself (10034, 10035, 10036, 10039).
 */
export class OrderContentsStore {
  constructor(private readonly db: Database) {}

  /** Copies every feature's default licence and every param's default data into the order. */
  addProduct(orderId: number, productId: number): Feature[] {
    return this.db.transaction(() => {
      this.requireOrder(orderId);
      this.requireProduct(productId);
      this.requireDraft(orderId, 'add a product to');
      if (this.inOrder(orderId, productId)) {
        throw new ApiError(ApiErrorCode.AlreadyInOrder, `product ${productId} is already in this order`);
      }
      const args = { order: orderId, product: productId };
      this.db
        .prepare('INSERT INTO order_products (order_id, product_id) VALUES (@order, @product)')
        .run(args);
      const columns = LICENSE_COLUMNS.join(', ');
      this.db
        .prepare(
          `INSERT INTO order_features (order_id, product_id, feature_id, isexcluded, ${columns})
           SELECT @order, @product, _id, 0, ${columns} FROM features WHERE product_id = @product`,
        )
        .run(args);
      this.db
        .prepare(
          `INSERT INTO order_params (order_id, product_id, param_id, data)
           SELECT @order, @product, mp._id, mp.data FROM memory_params mp
             JOIN memory_items mi ON mi._id = mp.memoryitem_id WHERE mi.product_id = @product`,
        )
        .run(args);
      return this.featureList(orderId, productId);
    })();
  }

  /** The product's features, licences and memory data leave the order with it (ON DELETE CASCADE). */
  removeProduct(orderId: number, productId: number): void {
    this.db.transaction(() => {
      this.requireOrder(orderId);
      this.requireProduct(productId);
      this.requireDraft(orderId, 'remove a product from');
      this.requireInOrder(orderId, productId);
      this.db
        .prepare('DELETE FROM order_products WHERE order_id = ? AND product_id = ?')
        .run(orderId, productId);
    })();
  }

  /** Every feature of the product with the order's licence; readable in any status. */
  features(orderId: number, productId: number): Feature[] {
    this.requireOrder(orderId);
    this.requireProduct(productId);
    this.requireInOrder(orderId, productId);
    return this.featureList(orderId, productId);
  }

  /** "Add a feature": features start included, so this re-includes one the operator left out. */
  includeFeature(orderId: number, productId: number, featureId: number): License {
    return this.db.transaction(() => {
      const feature = this.requireFeatureEdit(orderId, productId, featureId, 'include a feature in');
      const current = this.license(orderId, feature);
      return this.saveLicense(orderId, feature, { ...current, isexcluded: 0 });
    })();
  }

  /** "Remove a feature": the feature stays listed, excluded, so it can be included again. */
  excludeFeature(orderId: number, productId: number, featureId: number): void {
    this.db.transaction(() => {
      const feature = this.requireFeatureEdit(orderId, productId, featureId, 'exclude a feature from');
      if (feature.canexclude !== 1) {
        throw new ApiError(ApiErrorCode.FeatureNotExcludable, `feature ${feature.featurenumber}`);
      }
      this.saveLicense(orderId, feature, { ...this.license(orderId, feature), isexcluded: 1 });
    })();
  }

  /**
   * Only fields present in the body change. A feature whose default licence forbids modification
   * refuses any change of its terms (10034), but a body that repeats the current terms is accepted,
   * so a station can send the whole licence back with only `isExcluded` flipped; excluding follows
   * canexclude (10039) exactly as DELETE does.
   */
  changeLicense(orderId: number, productId: number, featureId: number, body: LicenseTermsBody): License {
    return this.db.transaction(() => {
      const feature = this.requireFeatureEdit(orderId, productId, featureId, 'change licence terms in');
      const current = this.license(orderId, feature);
      const next: OrderLicenseRow = { ...current };
      for (const [field, column] of Object.entries(TERM_COLUMNS) as [keyof typeof TERM_COLUMNS, string][]) {
        const value = body[field];
        if (value === undefined) continue;
        next[column as keyof LicenseColumns] = typeof value === 'boolean' ? Number(value) : value;
      }
      if (body.isExcluded !== undefined) next.isexcluded = body.isExcluded ? 1 : 0;
      const changed = LICENSE_COLUMNS.filter((c) => next[c] !== current[c]);
      if (changed.length && feature.canmodify !== 1) {
        throw new ApiError(
          ApiErrorCode.LicenseNotModifiable,
          `feature ${feature.featurenumber} (would change ${changed.join(', ')})`,
        );
      }
      if (next.isexcluded === 1 && current.isexcluded === 0 && feature.canexclude !== 1) {
        throw new ApiError(ApiErrorCode.FeatureNotExcludable, `feature ${feature.featurenumber}`);
      }
      if (next.rentbegindate > 0 && next.rentenddate > 0 && next.rentenddate < next.rentbegindate) {
        throw new ApiError(ApiErrorCode.InvalidField, 'licenseRentEndDate is before licenseRentBeginDate');
      }
      return this.saveLicense(orderId, feature, next);
    })();
  }

  /**
   * Data shorter than the param is stored and answered as sent (the reference's example answers nine
   * bytes for a ten-byte param); the bytes after it are written to the key as zeros.
   */
  changeParam(orderId: number, productId: number, itemId: number, paramId: number, data: Buffer): Param {
    return this.db.transaction(() => {
      this.requireOrder(orderId);
      this.requireProduct(productId);
      const param = this.db
        .prepare<[number, number, number], ParamRow>(
          `SELECT mp.* FROM memory_params mp JOIN memory_items mi ON mi._id = mp.memoryitem_id
            WHERE mp._id = ? AND mi._id = ? AND mi.product_id = ?`,
        )
        .get(paramId, itemId, productId);
      if (!param) {
        throw new ApiError(
          ApiErrorCode.ParamNotFound,
          `no param ${paramId} in memory item ${itemId} of product ${productId}`,
        );
      }
      this.requireDraft(orderId, 'change memory in');
      this.requireInOrder(orderId, productId);
      if (param.editallowed !== 1) throw new ApiError(ApiErrorCode.ParamNotEditable, param.name);
      if (data.length > param.size) {
        throw new ApiError(
          ApiErrorCode.ParamSizeMismatch,
          `${data.length} bytes do not fit param "${param.name}" of ${param.size} bytes`,
        );
      }
      this.db
        .prepare(
          `INSERT INTO order_params (order_id, product_id, param_id, data) VALUES (?, ?, ?, ?)
           ON CONFLICT (order_id, param_id) DO UPDATE SET data = excluded.data`,
        )
        .run(orderId, productId, paramId, data);
      // The reference's sample answer carries no datatype.
      const { datatype: _datatype, ...answer } = paramToWire(param, data);
      return answer;
    })();
  }

  private featureList(orderId: number, productId: number): Feature[] {
    const licenses = new Map(
      this.db
        .prepare<[number, number], OrderLicenseRow & { feature_id: number }>(
          'SELECT * FROM order_features WHERE order_id = ? AND product_id = ?',
        )
        .all(orderId, productId)
        .map((r) => [r.feature_id, r]),
    );
    return this.db
      .prepare<[number], FeatureRow>('SELECT * FROM features WHERE product_id = ? ORDER BY featurenumber')
      .all(productId)
      .map((f) => featureToWire(f, licenses.get(f._id) ?? notInOrder(f)));
  }

  private license(orderId: number, feature: FeatureRow): OrderLicenseRow {
    const row = this.db
      .prepare<[number, number], OrderLicenseRow>(
        `SELECT isexcluded, ${LICENSE_COLUMNS.join(', ')} FROM order_features WHERE order_id = ? AND feature_id = ?`,
      )
      .get(orderId, feature._id);
    return row ?? notInOrder(feature);
  }

  private saveLicense(orderId: number, feature: FeatureRow, l: OrderLicenseRow): License {
    const columns = LICENSE_COLUMNS.join(', ');
    const values = LICENSE_COLUMNS.map((c) => `@${c}`).join(', ');
    const updates = ['isexcluded', ...LICENSE_COLUMNS].map((c) => `${c} = excluded.${c}`).join(', ');
    const row = orderLicense(l, l.isexcluded);
    this.db
      .prepare(
        `INSERT INTO order_features (order_id, product_id, feature_id, isexcluded, ${columns})
         VALUES (@order, @product, @feature, @isexcluded, ${values})
         ON CONFLICT (order_id, feature_id) DO UPDATE SET ${updates}`,
      )
      .run({ ...row, order: orderId, product: feature.product_id, feature: feature._id });
    return orderLicenseToWire(row);
  }

  private requireFeatureEdit(orderId: number, productId: number, featureId: number, what: string) {
    this.requireOrder(orderId);
    this.requireProduct(productId);
    const feature = this.db
      .prepare<[number, number], FeatureRow>('SELECT * FROM features WHERE _id = ? AND product_id = ?')
      .get(featureId, productId);
    if (!feature) {
      throw new ApiError(ApiErrorCode.FeatureNotFound, `no feature ${featureId} in product ${productId}`);
    }
    this.requireDraft(orderId, what);
    this.requireInOrder(orderId, productId);
    return feature;
  }

  private requireOrder(orderId: number): void {
    if (!this.db.prepare('SELECT 1 FROM orders WHERE _id = ?').get(orderId)) {
      throw new ApiError(ApiErrorCode.OrderNotFound, `no order with _id ${orderId}`);
    }
  }

  private requireProduct(productId: number): ProductRow {
    const row = this.db.prepare<[number], ProductRow>('SELECT * FROM products WHERE _id = ?').get(productId);
    if (!row) throw new ApiError(ApiErrorCode.ProductNotFound, `no product with _id ${productId}`);
    return row;
  }

  private requireDraft(orderId: number, what: string): void {
    const { status } = this.db
      .prepare<[number], { status: number }>('SELECT status FROM orders WHERE _id = ?')
      .get(orderId)!;
    if (status !== OrderStatus.Draft) {
      throw new ApiError(
        ApiErrorCode.WrongOrderStatus,
        `cannot ${what} an order in status ${orderStatusName[status] ?? status}; only a Draft can be edited`,
      );
    }
  }

  private inOrder(orderId: number, productId: number): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM order_products WHERE order_id = ? AND product_id = ?')
      .get(orderId, productId);
  }

  private requireInOrder(orderId: number, productId: number): void {
    if (!this.inOrder(orderId, productId)) {
      throw new ApiError(ApiErrorCode.NotInOrder, `product ${productId} is not in this order`);
    }
  }
}
