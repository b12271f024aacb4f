import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DongleModel } from '../../shared/guardant/codes';
import { orderKeyNeeds } from '../../shared/guardant/key-fit';
import { DEMO_ORDER_NUMBERS, seedDemoIfEmpty } from '../../server/seed/demo';
import { key } from '../support/hardware-orders';
import { startTestServer, type TestServer } from '../support/server-harness';

/**
 * What the order detail says fits ("Keys that fit") is what the server then accepts: for each demo
 * hardware order, a key just inside what the words say is accepted by canadddongle, one just outside
 * is refused.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ prepare: (ctx) => void seedDemoIfEmpty(ctx.db, ctx.now()) });
});
afterAll(() => t.close());

async function orderByNumber(number: number) {
  const list = await t.call('GET', `/v1.0/orders?q=%23${number}`);
  const id = list.body.orders[0]._id as number;
  return { id, detail: (await t.call('GET', `/v1.0/orders/${id}`)).body.order };
}
const fits = async (orderId: number, model: number, netResource: number) =>
  (
    await t.call(
      'POST',
      `/v1.0/canadddongle/orders/${orderId}`,
      key(900_000 + model * 1000 + netResource, { dongleModel: model, netResource }),
    )
  ).status === 200;

describe('orderKeyNeeds (the detail\'s "Keys that fit")', () => {
  for (const tag of ['perpetual20', 'timeLimited50', 'network5', 'timeAndNetwork10'] as const) {
    it(`matches the server's rules for ${tag}`, async () => {
      const { id, detail } = await orderByNumber(DEMO_ORDER_NUMBERS[tag]);
      const needs = orderKeyNeeds(detail.products);
      const models = needs.models === 'any' ? [DongleModel.SIGN, DongleModel.TIME] : needs.models;
      for (const model of models) expect(await fits(id, model, needs.netLicenses)).toBe(true);
      if (needs.models !== 'any') expect(await fits(id, DongleModel.SIGN, needs.netLicenses)).toBe(false);
      if (needs.netLicenses > 0) expect(await fits(id, models[0]!, needs.netLicenses - 1)).toBe(false);
    });
  }

  it('says what the demo orders are about', async () => {
    const needs = async (tag: keyof typeof DEMO_ORDER_NUMBERS) =>
      orderKeyNeeds((await orderByNumber(DEMO_ORDER_NUMBERS[tag])).detail.products);
    expect(await needs('perpetual20')).toMatchObject({ models: 'any', netLicenses: 0 });
    expect(await needs('timeLimited50')).toMatchObject({ models: [DongleModel.TIME, DongleModel.CODE_TIME] });
    expect((await needs('network5')).netLicenses).toBe(15);
  });
});
