/**
 * Offline truth (issue 10): an order the station never opened says "not available offline" in words,
 * with no invented contents ("0 of 5 keys, no products" for an order holding keys and products); an
 * order it did open shows its cached contents with their real age. The page's clock is Playwright's,
 * so three hours pass in the browser without waiting for them.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift } from './fixtures';
import { snap } from './station-page';

/** A station of its own: the station fixture is per worker (see arming.spec.ts). */
const test = shift.extend<object, { offlineOrderStation: true }>({
  offlineOrderStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

/** The demo's perpetual order holds keys and products on the server. */
const NEVER_OPENED = DEMO_ORDER_NUMBERS.perpetual20!;
const OPENED = DEMO_ORDER_NUMBERS.bulk500!;
let page: Page;

async function openOrder(number: number): Promise<void> {
  await page.getByRole('tab', { name: 'Orders', exact: true }).click();
  await page
    .getByRole('searchbox', { name: 'Search orders' })
    .or(page.getByRole('textbox', { name: 'Search orders' }))
    .fill(String(number));
  await page
    .getByRole('listbox', { name: 'Orders' })
    .getByRole('option', { name: new RegExp(`^Order ${number},`) })
    .click();
  await expect(page.getByRole('heading', { name: `Order ${number}` })).toBeVisible();
}

const detail = () => page.locator('article.order-detail');

test.beforeAll(async ({ browser, station }) => {
  page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.clock.install();
  await page.goto(station.url);
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  const server = await station.server.api('GET', `/v1.0/orders?limit=1000`);
  const never = server.orders.find((o: { number: number }) => o.number === NEVER_OPENED);
  const full = await station.server.api('GET', `/v1.0/orders/${never._id}`);
  // The premise: what an invented "0 keys, no products" would contradict.
  expect(full.order.products.length).toBeGreaterThan(0);
  expect(full.order.dongles.length).toBeGreaterThan(0);
});

test.afterAll(async ({ station }) => {
  await station.server.up().catch(() => undefined);
  await page.close();
});

test('offline, an order only ever listed says "not available offline" and invents nothing', async ({
  station,
}) => {
  await openOrder(OPENED);
  await expect(detail()).toContainText('Keys in the order');
  // Both orders were listed (the search above showed them); only OPENED was opened.
  await page
    .getByRole('searchbox', { name: 'Search orders' })
    .or(page.getByRole('textbox', { name: 'Search orders' }))
    .fill(String(NEVER_OPENED));
  await expect(
    page
      .getByRole('listbox', { name: 'Orders' })
      .getByRole('option', { name: new RegExp(`^Order ${NEVER_OPENED},`) }),
  ).toBeVisible();

  await station.server.down();
  await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible();
  await openOrder(NEVER_OPENED);
  await expect(detail()).toContainText('not available offline');
  await expect(detail()).not.toContainText(/\b0 of \d+/);
  await expect(detail().getByRole('heading', { name: 'Products' })).toHaveCount(0);
  await expect(detail().getByRole('heading', { name: 'Keys in the order' })).toHaveCount(0);
  // Its age is that of the list that showed it, said as such: nothing of it is "cached".
  await expect(detail()).toContainText('listed just now');
  await expect(detail()).not.toContainText('cached');
  await snap(page, 'offline-order-never-opened');
});

test('offline, an order opened before shows its contents with their real age', async () => {
  await openOrder(OPENED);
  await expect(detail().getByRole('heading', { name: 'Keys in the order' })).toBeVisible();
  await expect(
    detail()
      .getByRole('status')
      .filter({ hasText: /^cached/ }),
  ).toHaveText('cached just now');
  await page.clock.fastForward('03:00:00');
  await expect(
    detail()
      .getByRole('status')
      .filter({ hasText: /^cached/ }),
  ).toHaveText('cached 3 h ago');
  await snap(page, 'offline-order-cached-3h');
});
