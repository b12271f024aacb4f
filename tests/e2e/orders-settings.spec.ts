/**
 * The first minutes at a station, in Debian's Chromium against the real station host and reference
 * server: the empty bench says where to start, the orders list opens on what the bench can work on and
 * finds an order by "#NN" and by a contact's name, the detail says which keys fit, and Settings' Test
 * connection says a wrong password is wrong. Each step keeps a screenshot.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test } from './fixtures';

test.describe.configure({ mode: 'serial' });

let page: Page;
const SHOTS = process.env.KEYBENCH_SHOTS_DIR;

async function snap(name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await test.info().attach(name, { path, contentType: 'image/png' });
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
}

const openTab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
const search = () =>
  page
    .getByRole('searchbox', { name: 'Search orders' })
    .or(page.getByRole('textbox', { name: 'Search orders' }));
const orders = () => page.getByRole('listbox', { name: 'Orders' }).getByRole('option');

test.beforeAll(async ({ browser, station }) => {
  page = await browser.newPage();
  await page.goto(station.url);
});
test.afterAll(async () => {
  await page.close();
});

test('an empty bench says where to start: plug keys, scan an order, run', async () => {
  await openTab('Bench');
  const unplugAll = page.getByRole('button', { name: 'Unplug all' });
  if (await unplugAll.isEnabled()) await unplugAll.click();
  const start = page.getByRole('region', { name: 'Start here' });
  await expect(start).toBeVisible();
  await expect(start.getByRole('listitem')).toHaveText([
    /Plug keys into the hub\./,
    /Scan or type an order number/,
    /Run: Write licences\. It adds the ticked keys to the order and writes/,
  ]);
  await expect(start).toContainText('Add to order (without writing) is there too');
  await snap('start-here');

  await page.getByLabel('Keys to plug').fill('2');
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(start).toBeHidden();
  // Pulled out again, the bench says where to start again (and is left empty, as it was found).
  await unplugAll.click();
  await expect(start).toBeVisible();
});

test('the orders list opens on Submitted hardware orders, with one click to all', async () => {
  await openTab('Orders');
  await expect(page.getByText('Showing Submitted hardware orders')).toBeVisible();
  await expect(orders().first()).toBeVisible();
  // Each row is named by a sentence of its own (hidden from the eye, read by screen readers).
  const labels = await orders().evaluateAll((rows) =>
    rows.map((r) => r.querySelector('.visually-hidden')?.textContent ?? ''),
  );
  expect(labels.length).toBeGreaterThan(3);
  for (const label of labels) expect(label).toMatch(/, Submitted, hardware (Sale|Update)$/);
  await expect(orders().first()).toContainText('Hardware · ');
  await snap('orders-default');

  await page.getByRole('button', { name: 'Show all orders' }).click();
  await expect(page.getByText('Showing every order, of any status and licence kind.')).toBeVisible();
  await expect(orders().filter({ hasText: 'Software' }).first()).toBeVisible();
  await expect(orders().filter({ hasText: 'Draft' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Show only orders I can work on' }).click();
  await expect(page.getByText('Showing Submitted hardware orders')).toBeVisible();
});

test('search finds "#NN" exactly, and a contact by full name; the detail says which keys fit', async () => {
  const network5 = DEMO_ORDER_NUMBERS.network5;
  await search().fill(`#${network5}`);
  await expect(orders()).toHaveCount(1);
  await expect(orders().first().locator('.visually-hidden')).toHaveText(new RegExp(`^Order ${network5},`));
  await orders().first().click();
  const detail = page.getByRole('article', { name: `Order ${network5}` });
  const fit = detail.getByRole('list', { name: 'Keys that fit this order' });
  await expect(fit).toContainText('Any key model fits');
  await expect(fit).toContainText('Network resource: at least 15');
  await expect(detail.getByText('Licence kind')).toBeVisible();
  await snap('orders-search-number');

  // The contact of the time-limited order, by first and last name.
  await search().fill('Laura Chen');
  const timed = DEMO_ORDER_NUMBERS.timeLimited50;
  const labels = () =>
    orders().evaluateAll((rows) => rows.map((r) => r.querySelector('.visually-hidden')?.textContent ?? ''));
  // The search waits for a pause in typing: wait for the list to be the searched one.
  await expect
    .poll(async () => {
      const now = await labels();
      return now.length > 0 && now.every((l) => l.includes('Meridian Medical Imaging Ltd (Laura Chen)'));
    })
    .toBe(true);
  const found = await labels();
  await orders()
    .filter({ hasText: String(timed) })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: `Order ${timed}` })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Keys that fit this order' })).toContainText(
    'Key model: Time or Code Time only',
  );
  await snap('orders-search-contact');

  // As displayed: the customer column pasted back (from another list first, so the change shows).
  await search().fill(`#${network5}`);
  await expect(orders()).toHaveCount(1);
  await search().fill('Meridian Medical Imaging Ltd (Laura Chen)');
  await expect
    .poll(async () => {
      const now = await labels();
      return now.length === found.length && now.every((l) => l.includes('Laura Chen'));
    })
    .toBe(true);

  // Memory as hex and text, not base64.
  const perpetual = DEMO_ORDER_NUMBERS.perpetual20;
  await search().fill(`#${perpetual}`);
  await expect(orders()).toHaveCount(1);
  await expect(orders().first().locator('.visually-hidden')).toHaveText(new RegExp(`^Order ${perpetual},`));
  await orders().first().click();
  await expect(page.getByRole('heading', { name: `Order ${perpetual}` })).toBeVisible();
  const siteCode = page.getByRole('row', { name: /site_code/ });
  await expect(siteCode).toContainText('hex 00 01 09 32');
  await expect(siteCode).toContainText('text ...2');
  await expect(siteCode).not.toContainText('AAEJMg==');
  await siteCode.scrollIntoViewIfNeeded();
  await snap('orders-memory');
});

test('Test connection with a wrong password says wrong user or password, and saves nothing', async () => {
  await openTab('Settings');
  await page.getByLabel('Login').fill('operator');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByRole('status', { name: 'Connection test result' });
  await expect(result).toContainText(
    "The server refused login 'operator' with the password you entered: wrong user or password.",
  );
  await expect(page.getByText('Credentials: saved')).toBeVisible();
  await result.scrollIntoViewIfNeeded();
  await expect(page.getByText(/The bench is chosen when the station starts/)).toBeVisible();
  await expect(page.getByLabel(/Keys written at once/)).toHaveValue('4');
  await snap('settings-test-connection');

  await page.getByLabel(/Keys written at once/).fill('17');
  await expect(page.getByRole('alert')).toContainText('must be a whole number from 1 to 16');
});
