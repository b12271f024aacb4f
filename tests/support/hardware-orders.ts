import { expect } from 'vitest';
import { addProduct } from '../../server/store/catalog-writer';
import type { TestServer } from './server-harness';

/** The key of the reference's samples. */
export const SAMPLE_KEY = {
  dongleId: 991846791,
  dongleModel: 2,
  publicCode: 1368487351,
  typeFlags: 0,
  netResource: 0,
};

/** A Sign key (no clock, no network) with the given id, or any identity fields overridden. */
export const key = (dongleId: number, over: Partial<typeof SAMPLE_KEY> = {}) => ({
  ...SAMPLE_KEY,
  dongleId,
  ...over,
});

export interface Catalog {
  /** One plain feature: fits any key. */
  plain: number;
  /** Product 12350 feature 16 rents for 30 days: needs a TIME or CODE_TIME key (10172 otherwise). */
  timed: number;
  /** Product 4242 feature 8 carries 3 network licences: needs netresource >= 3 (10173/10174). */
  network: number;
}

/** The three products of the compatibility rules; call once per server. */
export function addCatalog(t: TestServer): Catalog {
  const db = t.server.ctx.db;
  return {
    plain: addProduct(db, { productnumber: 778, name: 'plain', features: [{ featurenumber: 4, name: 'f4' }] })
      ._id,
    timed: addProduct(db, {
      productnumber: 12350,
      name: 'timed',
      features: [{ featurenumber: 16, name: 'f16', rentdayscount: 30 }],
    })._id,
    network: addProduct(db, {
      productnumber: 4242,
      name: 'network',
      features: [{ featurenumber: 8, name: 'f8', netlicensescount: 3, isremote: true }],
    })._id,
  };
}

export interface OrderOptions {
  quantity?: number;
  products?: number[];
  customerId?: number;
  /** Default true: keys go into Submitted orders. */
  submit?: boolean;
  birthDate?: number;
  hardware?: boolean;
}

/** Creates (and by default submits) a Sale order over HTTP; returns its wire form. */
export async function saleOrder(t: TestServer, options: OrderOptions = {}): Promise<any> {
  const created = await t.call('POST', '/v1.0/orders', {
    orderType: 0,
    isHardwareLicense: options.hardware ?? true,
    orderQuantity: options.quantity ?? 10,
    ...(options.customerId !== undefined && { customerId: options.customerId }),
    ...(options.birthDate !== undefined && { orderActivationBirthDate: options.birthDate }),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(200);
  const order = created.body.order;
  for (const productId of options.products ?? []) {
    // every feature of the product goes in at its default licence
    const added = await t.call('POST', `/v1.0/orders/${order._id}/products/${productId}`);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  if (options.submit === false) return order;
  const submitted = await t.call('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
  return submitted.body.order;
}

/** Adds keys to an order over HTTP, failing the test if any is refused. */
export async function addKeys(t: TestServer, orderId: number, ...dongleIds: number[]): Promise<void> {
  for (const id of dongleIds) {
    const res = await t.call('POST', `/v1.0/orders/${orderId}/dongles`, key(id));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}

/** Asserts the API's error envelope with the given HTTP status and code. */
export function expectError(res: { status: number; body: any }, httpStatus: number, code: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(httpStatus);
  expect(res.body.status).toEqual({
    code,
    description: expect.any(String),
    message: expect.any(String),
    status: httpStatus,
  });
}
