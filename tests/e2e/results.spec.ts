/**
 * Results an operator can act on (issue 9, items 11 and 9), in Debian's Chromium against a real
 * reference server and the real station host (simulated bench): a run's keys with plug number and USB
 * port, failures first; "Retry failed" retries only what can succeed; one end line; a spoiled write
 * seen while it is checked and failed in words; a hardware Update order says which key it needs and
 * writes it once that key is plugged.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift, type ServerProcess } from './fixtures';
import { openStationPage, openTab, plugNewKeys, selectOnly, snap } from './station-page';

/** A station of its own (see arming.spec.ts): the station fixture is per worker. */
const test = shift.extend<object, { resultsStation: true }>({
  resultsStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

const SALE = DEMO_ORDER_NUMBERS.perpetual20!;
const OTHER = DEMO_ORDER_NUMBERS.bulk500!;
let page: Page;

async function arm(orderNumber: number): Promise<void> {
  await openTab(page, 'Write licences');
  const field = page.getByRole('textbox', { name: 'Order number' });
  await field.fill(String(orderNumber));
  await field.press('Enter');
}

/** Arms the order and writes the selected keys. */
async function write(orderNumber: number, count: number): Promise<void> {
  await arm(orderNumber);
  await page
    .getByRole('button', { name: new RegExp(`^Write order ${orderNumber} · .+ · ${count} keys?$`) })
    .click();
}

async function setDelay(ms: number): Promise<void> {
  await openTab(page, 'Bench');
  await page.getByLabel('Write delay (ms)').fill(String(ms));
  await page.getByRole('button', { name: 'Set delay' }).click();
}

async function unplug(id: number): Promise<void> {
  await selectOnly(page, [id]);
  await page.getByRole('button', { name: 'Unplug selected' }).click();
  await expect(page.getByRole('checkbox', { name: `Select key ${id}` })).toHaveCount(0);
}

async function plugBack(id: number): Promise<void> {
  await openTab(page, 'Bench');
  await page.getByLabel('Key to plug back in').selectOption(String(id));
  await page.getByRole('button', { name: 'Plug back in' }).click();
  await expect(page.getByRole('checkbox', { name: `Select key ${id}` })).toHaveCount(1);
}

async function orderIdOf(server: ServerProcess, number: number): Promise<number> {
  const found = await server.api('GET', `/v1.0/orders?limit=1000`);
  return found.orders.find((o: { number: number }) => o.number === number)._id;
}

async function successfulWrites(server: ServerProcess, dongleId: number, orderId: number): Promise<number> {
  const history = await server.api('GET', `/v1.0/getdonglehistory/${dongleId}?limit=1000`);
  return (history.history ?? []).filter(
    (h: { order: { _id: number }; actionresult: number }) => h.order._id === orderId && h.actionresult === 0,
  ).length;
}

const results = () => page.getByRole('table', { name: 'Write progress' }).locator('tbody tr');
const summary = () => page.getByRole('status', { name: 'Run summary' });

test.beforeAll(async ({ browser, station }) => {
  page = await openStationPage(browser, station.url, { online: true });
});

test.afterAll(async () => {
  await page.close();
});

test('failed keys come first with plug number and port; Retry failed retries only the one that can succeed; one end line', async ({
  station,
}) => {
  const keys = await plugNewKeys(page, 5);
  const [ok1, ok2, failing, tooSmall, foreign] = keys as [number, number, number, number, number];
  // The fifth key already holds another customer's licence: the run leaves it out unconfirmed.
  await selectOnly(page, [foreign]);
  await write(OTHER, 1);
  await expect(summary()).toHaveText('1 written, 0 failed, 0 not attempted');
  await openTab(page, 'Bench');
  const failingRow = page.locator(`tr[data-key-id="${failing}"]`).first();
  const plugNo = (await failingRow.locator('td').nth(1).innerText()).trim();
  const port = (await failingRow.locator('td').last().innerText()).trim();
  expect(port).toMatch(/^\d+-[\d.]+$/);
  await page.getByText("Fail a key's next write").click();
  // A failed burn can succeed on a retry; a licence too large for the key's memory cannot.
  for (const [id, code] of [
    [failing, '201'],
    [tooSmall, '14'],
  ] as const) {
    await page.getByLabel('Key', { exact: true }).selectOption(String(id));
    await page.getByLabel('Result').selectOption(code);
    await page.getByRole('button', { name: 'Fail next write' }).click();
    await expect(page.getByText(`The next write into key ${id} will fail with code ${code}.`)).toBeVisible();
  }

  await selectOnly(page, keys);
  await write(SALE, 4);
  await expect(summary()).toHaveText('2 written, 2 failed, 1 not attempted');
  await expect(page.getByRole('heading', { name: /^Finished: 5 keys, 2 failed/ })).toBeVisible();
  const first = results().first();
  await expect(first).toHaveAttribute('data-key-id', String(failing));
  await expect(first).toContainText(`plug #${plugNo}`);
  await expect(first).toContainText(port);
  await expect(first).toContainText('Failed');
  await expect(first).toContainText('Writing into the key failed. Re-seat the key and retry.');
  await expect(results().nth(1)).toHaveAttribute('data-key-id', String(tooSmall));
  await expect(results().nth(2)).toHaveAttribute('data-key-id', String(foreign));
  await expect(results().nth(2)).toContainText('Not attempted');
  await expect(results().nth(3)).toContainText('Written');
  const notRetried = page.getByRole('list', { name: 'Keys not retried' }).getByRole('listitem');
  await expect(notRetried).toHaveText([
    `${tooSmall}: The licence does not fit into this key model.`,
    `${foreign}: It holds another customer's licence: confirm re-writing it, then start a run with it.`,
  ]);
  await snap(page, 'results-failures');

  await page.getByRole('button', { name: 'Retry failed keys (1)' }).click();
  await expect(page.getByRole('heading', { name: /^Finished: 1 key/ })).toBeVisible();
  await expect(summary()).toHaveText('1 written, 0 failed, 0 not attempted');
  await expect(results()).toHaveCount(1);
  await expect(results().first()).toHaveAttribute('data-key-id', String(failing));
  await expect(results().first()).toContainText('Written');
  await snap(page, 'results-retried');

  const saleId = await orderIdOf(station.server, SALE);
  for (const id of [ok1, ok2, failing]) expect(await successfulWrites(station.server, id, saleId)).toBe(1);
  expect(await successfulWrites(station.server, tooSmall, saleId)).toBe(0);
  expect(await successfulWrites(station.server, foreign, saleId)).toBe(0);

  // The results are the station's: a reload shows the same run.
  await page.reload();
  await openTab(page, 'Write licences');
  await expect(summary()).toHaveText('1 written, 0 failed, 0 not attempted');
});

test('a spoiled write is seen while it is checked, then failed with the mismatch in words', async ({
  station,
}) => {
  const [key] = (await plugNewKeys(page, 1)) as [number];
  await page.getByText("Fail a key's next write").click();
  await page.getByLabel('Key', { exact: true }).selectOption(String(key));
  await page
    .getByLabel('Key holds afterwards')
    .selectOption({ label: 'the licence without its last feature' });
  await page.getByRole('button', { name: 'Spoil next write' }).click();
  // Slow writes, so the key can be pulled after the server recorded the write but before its answer:
  // the read-back then waits for the key, and the task stays 'verifying' where the operator sees it.
  // Half of it burns (then the server has the record), half reads back: 8 s to pull the key, even on
  // a loaded machine.
  await setDelay(16_000);
  await selectOnly(page, [key]);
  await write(SALE, 1);
  const saleId = await orderIdOf(station.server, SALE);
  await expect.poll(() => successfulWrites(station.server, key, saleId), { timeout: 40_000 }).toBe(1);
  await unplug(key);
  await setDelay(0);

  await openTab(page, 'Write licences');
  const row = results().first();
  await expect(row).toContainText('Checking what the key holds', { timeout: 20_000 });
  await expect(row).toContainText('was not on the bench when its licence was to be read back');
  await snap(page, 'results-verifying');

  await plugBack(key);
  await openTab(page, 'Write licences');
  await expect(row).toContainText('Failed', { timeout: 30_000 });
  await expect(row).toContainText(/^.*Feature \d+ of product '.+' is missing on the key\./);
  await expect(summary()).toHaveText('0 written, 1 failed, 0 not attempted');
  await expect(page.getByRole('button', { name: 'Retry failed keys (1)' })).toBeEnabled();
  await snap(page, 'results-mismatch');
});

test('an Update order says which key it needs and writes it once that key is plugged', async ({
  station,
}) => {
  const [key] = (await plugNewKeys(page, 1)) as [number];
  await selectOnly(page, [key]);
  await write(SALE, 1);
  await expect(summary()).toHaveText('1 written, 0 failed, 0 not attempted');

  // The vendor orders an update of this key: a hardware Update order naming it, with products, submitted.
  const saleId = await orderIdOf(station.server, SALE);
  const { order } = await station.server.api('POST', '/v1.0/orders', {
    orderType: 1,
    isHardwareLicense: true,
    dongleId: key,
    orderDescription: 'Add a feature to a sold key',
  });
  const sale = await station.server.api('GET', `/v1.0/orders/${saleId}`);
  for (const product of sale.order.products ?? [])
    await station.server.api('POST', `/v1.0/orders/${order._id}/products/${product._id}`);
  await station.server.api('PUT', `/v1.0/orders/${order._id}`, { orderStatus: 1 });

  await unplug(key);
  await arm(order.number);
  const target = page.getByRole('region', { name: 'Key this Update order needs' });
  await expect(target).toContainText(`Update order ${order.number} is for key ${key}`);
  await expect(target).toContainText(`Plug key ${key} in to write it`);
  const button = target.getByRole('button', { name: `Write order ${order.number} into key ${key}` });
  await expect(button).toBeDisabled();
  await snap(page, 'update-order-needs-key');

  await plugBack(key);
  await arm(order.number);
  await expect(target).toContainText(
    new RegExp(`Key ${key} is plugged in: plug #\\d+, USB port \\d+-[\\d.]+\\.`),
  );
  await button.click();
  await expect(summary()).toHaveText('1 written, 0 failed, 0 not attempted');
  await expect(results().first()).toContainText('Written');
  await snap(page, 'update-order-written');
  expect(await successfulWrites(station.server, key, order._id)).toBe(1);
});

test('while a run goes it shows keys per hour and the time left, once enough keys settled', async () => {
  const keys = await plugNewKeys(page, 12);
  await setDelay(1500);
  await selectOnly(page, keys);
  // The big order: the 20-key one is nearly full by now.
  await write(OTHER, 12);
  const pace = page.getByLabel('Pace of the run');
  await expect(pace).toHaveText(/^Pace and time left show once 5 keys/);
  await expect(pace).toHaveText(/^[\d,]+ keys\/hour · (about \d+ min left|less than a minute left)$/, {
    timeout: 30_000,
  });
  await snap(page, 'results-pace');
  await expect(summary()).toHaveText('12 written, 0 failed, 0 not attempted', { timeout: 60_000 });
  await expect(pace).toHaveCount(0);
  await setDelay(0);
});
