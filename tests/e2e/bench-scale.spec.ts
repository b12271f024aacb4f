/**
 * The Bench at scale (issue 10): 60 keys in several states, found by state, ticked by range and by
 * state, sorted, driven by keyboard, and one opened to its identity, history and orders. Every wait
 * is on what the app shows.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift } from './fixtures';
import { openTab, snap } from './station-page';

/** A station of its own: the station fixture is per worker (see arming.spec.ts). */
const test = shift.extend<object, { benchScaleStation: true }>({
  benchScaleStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

const ORDER = DEMO_ORDER_NUMBERS.perpetual20!;
let page: Page;

const grid = () => page.getByRole('grid', { name: 'Keys on the bench' });
const rows = () => grid().locator('tbody tr[data-key-id]');
const filter = (name: RegExp) =>
  page.getByRole('group', { name: 'Show keys by state' }).getByRole('button', { name });
const box = (id: number) => page.getByRole('checkbox', { name: `Select key ${id}` });
const meta = () => page.locator('.screen-meta');

/** Key ids in the order the table shows them (the rendered rows: the top of the list). */
async function shownIds(): Promise<number[]> {
  return (await rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key-id')))).map(Number);
}

async function armOrder(tab: string): Promise<void> {
  await openTab(page, tab);
  const number = page.getByRole('textbox', { name: 'Order number' });
  await number.fill(String(ORDER));
  await number.press('Enter');
}

let ids: number[] = [];

test.beforeAll(async ({ browser, station }) => {
  page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(station.url);
  await page.getByLabel('Keys to plug').fill('60');
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(meta()).toHaveText('60 keys plugged · 0 selected');
  ids = await shownIds();
});

test.afterAll(async () => {
  await page.close();
});

test('a virtualised table: 60 keys, only the rows in view are in the page', async () => {
  await expect(filter(/^New 60$/)).toBeVisible();
  const rendered = await rows().count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(60);
  await expect(grid().getByRole('columnheader', { name: 'USB port' })).toBeVisible();
});

test('Shift-click ticks a range; the range is added to an order and two of it written, one failing', async () => {
  await box(ids[2]!).check();
  await box(ids[7]!).click({ modifiers: ['Shift'] });
  await expect(meta()).toHaveText('60 keys plugged · 6 selected');
  for (const id of ids.slice(2, 8)) await expect(box(id)).toBeChecked();
  await expect(box(ids[1]!)).not.toBeChecked();
  await expect(box(ids[8]!)).not.toBeChecked();

  await armOrder('Add to order');
  await page.getByRole('button', { name: /^Add 6 keys/ }).click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();

  // Two of the six written; the simulator fails the next write into the second.
  await openTab(page, 'Bench');
  await page.getByRole('button', { name: 'Select none' }).click();
  await box(ids[2]!).check();
  await box(ids[3]!).check();
  await page.getByText("Fail a key's next write").click();
  const fail = page.getByRole('form', { name: 'Fail the next write' });
  await fail.getByLabel('Key', { exact: true }).selectOption(String(ids[3]));
  await fail.getByRole('button', { name: 'Fail next write' }).click();
  await expect(page.getByText(`The next write into key ${ids[3]} will fail`)).toBeVisible();
  await armOrder('Write licences');
  await page.getByRole('button', { name: new RegExp(`^Write order ${ORDER} · .+ · 2 keys$`) }).click();
  await expect(page.getByRole('heading', { name: /^Finished: 2 keys, 1 failed/ })).toBeVisible();
  await openTab(page, 'Bench');
  await expect(filter(/^New 54$/)).toBeVisible();
});

test('the counts are filters: each shows only its keys', async () => {
  await expect(filter(/^In an order 4$/)).toBeVisible();
  await expect(filter(/^Written 1$/)).toBeVisible();
  await expect(filter(/^Failed 1$/)).toBeVisible();

  await filter(/^Failed/).click();
  await expect(filter(/^Failed/)).toHaveAttribute('aria-pressed', 'true');
  await expect(rows()).toHaveCount(1);
  await expect(rows().first()).toHaveAttribute('data-key-id', String(ids[3]));
  await filter(/^In an order/).click();
  await expect(rows()).toHaveCount(4);
  expect(await shownIds()).toEqual(ids.slice(4, 8));
  await filter(/^All/).click();
  await expect(filter(/^All/)).toHaveAttribute('aria-pressed', 'true');
  await expect(rows().first()).toHaveAttribute('data-key-id', String(ids[0]));
});

test('select new and select failed tick exactly those keys', async () => {
  await page.getByRole('button', { name: 'Select new' }).click();
  await expect(meta()).toHaveText('60 keys plugged · 54 selected');
  await expect(box(ids[0]!)).toBeChecked();
  await expect(box(ids[2]!)).not.toBeChecked();
  await page.getByRole('button', { name: 'Select failed' }).click();
  await expect(meta()).toHaveText('60 keys plugged · 1 selected');
  await expect(box(ids[3]!)).toBeChecked();
  await snap(page, 'bench-60', { fullPage: false });
});

test('any column sorts, both ways', async () => {
  const header = grid().getByRole('columnheader', { name: /Key id/ });
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await shownIds();
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(rows().first()).not.toHaveAttribute('data-key-id', String(ascending[0]));
  const descending = await shownIds();
  expect(descending).toEqual([...descending].sort((a, b) => b - a));
  // The table holds all 60 keys: the lowest key id is below every one of the highest.
  expect(ascending[0]).toBeLessThan(descending[descending.length - 1]!);

  const state = grid().getByRole('columnheader', { name: /State/ });
  await state.getByRole('button').click();
  await expect(state).toHaveAttribute('aria-sort', 'ascending');
  await expect(rows().first()).toHaveAttribute('data-key-id', String(ids[3]));
  await grid().getByRole('columnheader', { name: /^#/ }).getByRole('button').click();
  await expect(rows().first()).toHaveAttribute('data-key-id', String(ids[0]));
});

test('the keyboard: arrows move, Space ticks, Enter opens', async () => {
  await page.getByRole('button', { name: 'Select none' }).click();
  await grid().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await expect(box(ids[1]!)).toBeChecked();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Key ${ids[3]} 0x` });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(grid()).toBeFocused();
});

test('a row click opens the key: identity, port, its writes and its orders', async () => {
  await grid().locator(`tr[data-key-id="${ids[2]}"] td`).nth(3).click();
  const dialog = page.getByRole('dialog', { name: new RegExp(`^Key ${ids[2]} `) });
  await expect(dialog).toBeVisible();
  // Modal: the bench behind is inert until it is closed.
  await expect(page.locator('dialog.key-detail:modal')).toBeVisible();
  await expect(dialog.getByText('USB port')).toBeVisible();
  await expect(dialog.locator('.key-facts')).toContainText('Written');
  await expect(
    dialog.getByRole('table', { name: `Write history of key ${ids[2]}` }).locator('tbody tr'),
  ).toHaveCount(1);
  await expect(dialog.getByRole('table', { name: `Orders of key ${ids[2]}` })).toContainText(String(ORDER));
  await snap(page, 'key-detail', { fullPage: false });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});
