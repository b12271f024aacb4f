import { expect, test, type Browser, type Page } from '@playwright/test';
import type { ServerProcess } from './fixtures';

/*
 * What the specs do on the station's page again and again: open it, switch tabs, read the bench, keep
 * a screenshot. Each takes the page, since a spec may drive more than one.
 */

/** A page on the station that fails the test on any uncaught error of the page. */
export async function openStationPage(
  browser: Browser,
  url: string,
  options: { online?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  if (options.online) await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  return page;
}

/** A screenshot kept with the test's results as an artifact (the whole page unless told otherwise). */
export async function snap(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  await test.info().attach(name, { path, contentType: 'image/png' });
}

export async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name, exact: true }).click();
}

export const benchRows = (page: Page) =>
  page.getByRole('grid', { name: 'Keys on the bench' }).locator('tbody tr[data-key-id]');

/** The ids of the keys the bench shows, in its order, as their "Select key N" boxes name them. */
export async function shownKeyIds(page: Page): Promise<number[]> {
  const boxes = await page.getByRole('checkbox', { name: /^Select key \d+$/ }).all();
  return Promise.all(
    boxes.map(async (b) => Number((await b.getAttribute('aria-label'))!.replace('Select key ', ''))),
  );
}

/** The Bench tab's key ids. */
export async function benchIds(page: Page): Promise<number[]> {
  await openTab(page, 'Bench');
  return shownKeyIds(page);
}

/** The server id of the order numbered so, asked of the reference server. */
export async function orderIdOf(server: ServerProcess, number: number): Promise<number> {
  const found = await server.api('GET', `/v1.0/orders?limit=1000`);
  return found.orders.find((o: { number: number }) => o.number === number)._id;
}

/** Plugs `count` new keys from the Simulator panel; answers their ids in plug order. */
export async function plugNewKeys(page: Page, count: number): Promise<number[]> {
  const before = new Set(await benchIds(page));
  await page.getByLabel('Keys to plug').fill(String(count));
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(benchRows(page)).toHaveCount(before.size + count);
  return (await benchIds(page)).filter((id) => !before.has(id));
}

/** Selects exactly these keys on the bench. */
export async function selectOnly(page: Page, ids: number[]): Promise<void> {
  await openTab(page, 'Bench');
  const none = page.getByRole('button', { name: 'Select none' });
  if (await none.isEnabled()) await none.click();
  for (const id of ids) await page.getByRole('checkbox', { name: `Select key ${id}` }).check();
}
