import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCustomer } from '../../server/store/catalog-writer';
import { saleOrder } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

/**
 * The orders search as an operator types it: an order number with or without '#', the customer's
 * company, the contact's full name, or the customer exactly as the station displays it.
 */
let t: TestServer;
const numbers = (body: { orders: Array<{ number: number }> }) =>
  body.orders.map((o) => o.number).sort((a, b) => a - b);
const search = async (q: string) => {
  const res = await t.call('GET', `/v1.0/orders?limit=1000&q=${encodeURIComponent(q)}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return numbers(res.body);
};
let ada: number[] = [];
let ice: number[] = [];
const software: number[] = [];

beforeAll(async () => {
  t = await startTestServer();
  const db = t.server.ctx.db;
  const iceCream = addCustomer(db, { name: 'ice', lastname: 'cream', companyname: 'baskin&robings' });
  const lovelace = addCustomer(db, { name: 'Ada', lastname: 'Lovelace', companyname: 'Analytical Engines' });
  for (let i = 0; i < 40; i++) {
    const order = await saleOrder(t, { quantity: 1, customerId: i % 2 ? lovelace : iceCream, submit: false });
    (i % 2 ? ada : ice).push(order.number);
  }
  for (let i = 0; i < 3; i++) software.push((await saleOrder(t, { hardware: false, quantity: 1 })).number);
  ada = ada.sort((a, b) => a - b);
  ice = ice.sort((a, b) => a - b);
});
afterAll(() => t.close());

describe('GET /v1.0/orders?ishardwarelicense= (Keybench extension)', () => {
  it('lists only hardware or only software orders, with a status filter too', async () => {
    const list = async (query: string) =>
      numbers((await t.call('GET', `/v1.0/orders?limit=1000&${query}`)).body);
    expect(await list('ishardwarelicense=false')).toEqual(software);
    expect(await list('ishardwarelicense=true')).toEqual([...ice, ...ada].sort((a, b) => a - b));
    expect(await list('ishardwarelicense=false&status=0')).toEqual([]);
    expect(await list('ishardwarelicense=true&status=0&q=Lovelace')).toEqual(ada);
    const bad = await t.call('GET', '/v1.0/orders?ishardwarelicense=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.status.description).toMatch(/ishardwarelicense: must be true or false/);
  });
});

describe('GET /v1.0/orders?q= (Keybench extension)', () => {
  it('finds "#33" as the order number 33 exactly, and "33" as part of a number', async () => {
    expect(await search('#33')).toEqual([33]);
    expect(await search(' #33 ')).toEqual([33]);
    expect(await search('33')).toEqual([33]);
    expect(await search('#3')).toEqual([3]);
    expect((await search('3')).length).toBeGreaterThan(1);
  });

  it("finds a contact's full name, in either order and any case", async () => {
    expect(await search('Ada Lovelace')).toEqual(ada);
    expect(await search('lovelace ada')).toEqual(ada);
    expect(await search('ice cream')).toEqual(ice);
    expect(await search('Ada cream')).toEqual([]);
  });

  it('finds the customer as the station displays it: "company (first last)"', async () => {
    expect(await search('Analytical Engines (Ada Lovelace)')).toEqual(ada);
    expect(await search('baskin&robings (ice cream)')).toEqual(ice);
  });

  it('combines a number and a name: both must match', async () => {
    expect(await search(`#${ada[0]} Lovelace`)).toEqual([ada[0]]);
    expect(await search(`#${ice[0]} Lovelace`)).toEqual([]);
    // The other words are all in the number or all in the names: not one here, one there.
    expect(await search(`Lovelace ${ice[0]}`)).toEqual([]);
  });
});
