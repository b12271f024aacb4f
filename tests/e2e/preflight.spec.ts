/**
 * Pre-flight (issue 9, item 4): before anything is sent, the Add screen says how many places the order
 * has left, which keys it takes and which it leaves out and why; a key written for another customer's
 * order is left out until the operator ticks the confirmation. Checked through the reference server.
 */
import type { Page } from '@playwright/test';
import { expect, test as shift } from './fixtures';
import { openStationPage, plugNewKeys, selectOnly } from './station-page';

/** A station of its own (see arming.spec.ts): the station fixture is per worker. */
const test = shift.extend<object, { preflightStation: true }>({
  preflightStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

let page: Page;

async function arm(tab: string, orderNumber: number): Promise<void> {
  await page.getByRole('tab', { name: tab, exact: true }).click();
  const field = page.getByRole('textbox', { name: 'Order number' });
  await field.fill(String(orderNumber));
  await field.press('Enter');
}

test.beforeAll(async ({ browser, station }) => {
  page = await openStationPage(browser, station.url, { online: true });
});

test.afterAll(async () => {
  await page.close();
});

test('the Add screen takes only what fits, leaves out a key written for another customer, and says why', async ({
  station,
}) => {
  const created = async (quantity: number, customerId: number) =>
    (
      await station.server.api('POST', '/v1.0/orders', {
        orderType: 0,
        isHardwareLicense: true,
        orderQuantity: quantity,
        orderStatus: 1,
        customerId,
      })
    ).order as { _id: number; number: number };
  const first = await created(5, 1);
  const target = await created(3, 2);

  // One key is written for the first customer's order, through the station as an operator would.
  const [written] = await plugNewKeys(page, 1);
  await selectOnly(page, [written!]);
  await arm('Write licences', first.number);
  await page.getByRole('button', { name: new RegExp(`^Write order ${first.number} · .+ · 1 key$`) }).click();
  await expect(page.getByRole('heading', { name: /^Finished: 1 key/ })).toBeVisible();

  // Then it is plugged again with four blank keys for the second customer's order of three.
  const blank = await plugNewKeys(page, 4);
  await selectOnly(page, [written!, ...blank]);
  await arm('Add to order', target.number);
  const summary = page.getByRole('status', { name: 'Pre-flight summary' });
  await expect(summary).toContainText(
    '3 places left: 3 of 5 keys will be added; 2 left out: 1 written for another order, 1 order full.',
  );
  const table = page.getByRole('table', { name: 'Pre-flight of the selected keys' });
  await expect(table.locator('tr', { hasText: String(written) })).toContainText(
    `Already written for order ${first.number} · Northwind Instruments GmbH; re-writing needs your confirmation.`,
  );
  await expect(table.locator('tr', { hasText: String(blank[3]) })).toContainText('Order full');
  const add = page.getByRole('button', { name: new RegExp(`^Add 3 keys to order ${target.number} · `) });
  await expect(add).toBeEnabled();
  const shot = test.info().outputPath('preflight-add.png');
  await page.screenshot({ path: shot, fullPage: true });
  await test.info().attach('preflight-add', { path: shot, contentType: 'image/png' });

  // Ticking the confirmation gives the written key its place in plug order; unticking takes it back.
  const confirm = page.getByRole('checkbox', { name: /^Re-write 1 key already written for another order/ });
  await confirm.check();
  await expect(summary).toContainText('3 places left: 3 of 5 keys will be added; 2 left out: order full.');
  await confirm.uncheck();
  await expect(summary).toContainText('2 left out: 1 written for another order, 1 order full.');

  await add.click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Last batch sent' })).toContainText(
    `Left out: ${written} (written for another order), ${blank[3]} (order full).`,
  );
  const detail = await station.server.api('GET', `/v1.0/orders/${target._id}`);
  const inOrder = detail.order.dongles.map((d: { dongleid: number }) => d.dongleid).sort();
  expect(inOrder).toEqual(blank.slice(0, 3).sort());
});
