/**
 * A new operator's shift in browser mode, in Debian's Chromium, against a real reference server and
 * the real station host (simulated bench), each in its own process. Every wait is on something the
 * app shows; a screenshot of each main screen is kept as an artifact.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test } from './fixtures';
import {
  benchRows,
  openStationPage,
  openTab,
  orderIdOf,
  selectOnly,
  shownKeyIds,
  snap,
} from './station-page';

test.describe.configure({ mode: 'serial' });

const ORDER = DEMO_ORDER_NUMBERS.perpetual20!;
let page: Page;
let orderId: number;

async function plug(count: number): Promise<void> {
  await openTab(page, 'Bench');
  const before = await benchRows(page).count();
  await page.getByLabel('Keys to plug').fill(String(count));
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(benchRows(page)).toHaveCount(before + count);
}

async function benchIds(): Promise<number[]> {
  await openTab(page, 'Bench');
  await expect(benchRows(page).first()).toBeVisible();
  return shownKeyIds(page);
}

async function writeSelected(count: number): Promise<void> {
  await openTab(page, 'Write licences');
  await page.getByRole('textbox', { name: 'Order number' }).fill(String(ORDER));
  await page.getByRole('textbox', { name: 'Order number' }).press('Enter');
  await page
    .getByRole('button', { name: new RegExp(`^Write order ${ORDER} · .+ · ${count} keys?$`) })
    .click();
}

test.beforeAll(async ({ browser, station }) => {
  page = await openStationPage(browser, station.url);
  orderId = await orderIdOf(station.server, ORDER);
});

test.afterAll(async () => {
  await page.close();
});

test('the station starts on the bench, online, and simulated keys appear', async () => {
  await expect(page.getByRole('tab', { name: 'Bench', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  await expect(page.getByText('Plug keys into the hub.')).toBeVisible();
  await plug(6);
  const first = benchRows(page).first();
  await expect(first).toContainText('New');
  await snap(page, 'bench');
});

test('the operator starts the shift with their name, and the header says whose shift it is', async () => {
  const banner = page.getByRole('region', { name: 'Start a shift' });
  await expect(banner).toContainText('No shift is open');
  await banner.getByLabel('Your name').fill('Anna Müller');
  await banner.getByLabel('Your name').press('Enter');
  await expect(banner).toBeHidden();
  await expect(page.getByRole('group', { name: 'Shift' })).toContainText(/Shift of Anna Müller since \d/);
  await snap(page, 'shift-started');
});

test('the operator finds the order in the list and opens it', async () => {
  await openTab(page, 'Orders');
  await page
    .getByRole('searchbox', { name: 'Search orders' })
    .or(page.getByRole('textbox', { name: 'Search orders' }))
    .fill(String(ORDER));
  const option = page
    .getByRole('listbox', { name: 'Orders' })
    .getByRole('option', { name: new RegExp(`^Order ${ORDER},`) });
  await option.click();
  await expect(page.getByRole('heading', { name: `Order ${ORDER}` })).toBeVisible();
  await snap(page, 'orders');
});

test('batch add: the order number typed and confirmed with Enter, every key pre-checked, then added once', async ({
  station,
}) => {
  const ids = await benchIds();
  await selectOnly(page, ids);
  await openTab(page, 'Add to order');
  const number = page.getByRole('textbox', { name: 'Order number' });
  await number.fill(String(ORDER));
  await number.press('Enter');
  const precheck = page.getByRole('table', { name: 'Pre-flight of the selected keys' });
  await expect(precheck.locator('tbody tr')).toHaveCount(6);
  await page.getByRole('button', { name: 'Add 6 keys' }).click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Results of the batch' }).locator('tbody tr')).toHaveCount(6);
  await snap(page, 'batch-add');

  const detail = await station.server.api('GET', `/v1.0/orders/${orderId}`);
  const inOrder = detail.order.dongles.map((d: { dongleid: number }) => d.dongleid);
  for (const id of ids) expect(inOrder.filter((x: number) => x === id)).toHaveLength(1);
});

test('write licences: per-key progress to the end', async () => {
  await writeSelected(6);
  await expect(page.getByRole('heading', { name: 'Finished: 6 keys' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Write progress' }).locator('tbody tr')).toHaveCount(6);
  await snap(page, 'write');
  await openTab(page, 'Bench');
  await expect(benchRows(page).filter({ hasText: 'Written' })).toHaveCount(6);
});

test('the server goes down mid-batch: the work is queued, drains when it is back, every key once', async ({
  station,
}) => {
  const before = new Set(await benchIds());
  await plug(10);
  const fresh = (await benchIds()).filter((id) => !before.has(id));
  // Writes take a while, so the server can go down in the middle of the batch.
  await page.getByLabel('Write delay (ms)').fill('300');
  await page.getByRole('button', { name: 'Set delay' }).click();
  await selectOnly(page, fresh);
  await writeSelected(10);
  const progress = page.getByRole('progressbar', { name: 'Keys written' });
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThanOrEqual(2);

  await station.server.down();
  await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible();
  await openTab(page, 'Queue');
  await expect(page.getByRole('table', { name: 'Pending work' }).locator('tbody tr').first()).toBeVisible();
  await snap(page, 'queue-offline');

  await station.server.up();
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  await openTab(page, 'Write licences');
  await expect(page.getByRole('heading', { name: 'Finished: 10 keys' })).toBeVisible({ timeout: 60_000 });

  const detail = await station.server.api('GET', `/v1.0/orders/${orderId}`);
  const inOrder: number[] = detail.order.dongles.map((d: { dongleid: number }) => d.dongleid);
  for (const id of fresh) {
    expect(
      inOrder.filter((x) => x === id),
      `key ${id} in the order`,
    ).toHaveLength(1);
    const history = await station.server.api('GET', `/v1.0/getdonglehistory/${id}`);
    const written = history.history.filter((h: any) => h.order._id === orderId && h.actionresult === 0);
    expect(written, `key ${id} written once`).toHaveLength(1);
  }
});

test('a failed write shows its ActionResultCode in plain words and is retried', async () => {
  await openTab(page, 'Bench');
  await page.getByLabel('Write delay (ms)').fill('0');
  await page.getByRole('button', { name: 'Set delay' }).click();
  await plug(1);
  const ids = await benchIds();
  const target = ids[ids.length - 1]!;
  await page.getByText("Fail a key's next write").click();
  await page.getByLabel('Key', { exact: true }).selectOption(String(target));
  await page.getByLabel('Result').selectOption('201');
  await page.getByRole('button', { name: 'Fail next write' }).click();
  await selectOnly(page, [target]);
  await writeSelected(1);
  await expect(page.getByRole('heading', { name: 'Finished: 1 key, 1 failed' })).toBeVisible();
  const row = page.getByRole('table', { name: 'Write progress' }).locator('tbody tr').first();
  await expect(row).toContainText('201');
  await expect(row).toContainText(/Re-seat the key/);
  await snap(page, 'write-failed');
  await page.getByRole('button', { name: 'Retry failed keys (1)' }).click();
  await expect(page.getByRole('heading', { name: 'Finished: 1 key' })).toBeVisible();
  await expect(row).toContainText('Written');
});

test("the key's history shows the failure and the success, and its orders", async () => {
  const ids = await benchIds();
  const target = ids[ids.length - 1]!;
  await openTab(page, 'History');
  await page.getByRole('textbox', { name: 'Key id' }).fill(String(target));
  await page.getByRole('button', { name: 'Show key' }).click();
  const history = page.getByRole('table', { name: `Write history of key ${target}` });
  await expect(history.locator('tbody tr')).toHaveCount(2);
  await expect(history).toContainText('201');
  await expect(page.getByRole('table', { name: `Orders of key ${target}` })).toContainText(String(ORDER));
  await snap(page, 'history');
});

test('the shift log lists the work and exports it as CSV', async () => {
  await openTab(page, 'Shift log');
  await expect(page.getByRole('table', { name: 'Shift log' }).locator('tbody tr').first()).toBeVisible();
  await snap(page, 'shift-log');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^keybench-shift-\d{4}-\d\d-\d\d-anna-muller\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const rows = csv.split('\r\n');
  expect(rows[0]).toBe(
    '\ufefftime,station,operator,order number,customer,key id,model,USB port,action,outcome,code,meaning',
  );
  // One row per key write (17 keys written, one after a failed attempt), each under her name.
  const written = rows.filter(
    (r) => r.includes(`,Anna Müller,${ORDER},`) && r.includes(',write licence,written,0,'),
  );
  expect(written.length).toBeGreaterThanOrEqual(17);
  expect(rows.some((r) => r.includes(',write licence,failed,201,'))).toBe(true);
});

test('ending the shift asks once more, then asks the next operator for a name', async () => {
  await page.getByRole('button', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'Yes, end shift' }).click();
  await expect(page.getByRole('region', { name: 'Start a shift' })).toBeVisible();
  await openTab(page, 'Shift log');
  await expect(
    page.getByLabel('Shift', { exact: true }).locator('option', { hasText: 'Anna Müller' }),
  ).toHaveCount(1);
});

test('settings show where credentials are kept, and never echo them', async () => {
  await openTab(page, 'Settings');
  await expect(page.getByRole('textbox', { name: 'Server URL' })).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+$/);
  await expect(page.getByLabel('API token')).toHaveValue('');
  await snap(page, 'settings');
});
