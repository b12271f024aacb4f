/**
 * Scanner-safe arming (issue 9, item 7). A barcode scanner is a keyboard: it types the digits of an
 * order number and Enter into whatever has focus. These tests drive the station the way a scanner
 * does (keystrokes into the focused element, never `fill` on a chosen field) and check through the
 * reference server, not the UI, that no key ever receives the previous order's licence.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift, type StationFixture } from './fixtures';
import { benchIds, benchRows, openStationPage, snap } from './station-page';

/**
 * A station of its own. The station fixture is worker-scoped, and one worker runs every file whose
 * fixtures match, so without this the shift spec would start on this spec's bench and orders (and
 * this spec on its full order). A test type with another worker fixture gets another worker.
 */
const test = shift.extend<object, { armingStation: true }>({
  armingStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

/** Order A is run first; order B is scanned next on the same screen. Both take the simulated keys. */
const A = DEMO_ORDER_NUMBERS.perpetual20!;
const B = DEMO_ORDER_NUMBERS.bulk500!;
let page: Page;
let idOf: Record<number, number>;

/** What a keyboard-wedge scanner does: the digits, then Enter, into whatever has focus. */
async function scan(text: string | number): Promise<void> {
  await page.keyboard.type(String(text));
  await page.keyboard.press('Enter');
}

/** Plugs `count` new keys and selects exactly those; returns their ids. */
async function plugAndSelect(count: number): Promise<number[]> {
  const before = new Set(await benchIds(page));
  await page.getByLabel('Keys to plug').fill(String(count));
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(benchRows(page)).toHaveCount(before.size + count);
  const fresh = (await benchIds(page)).filter((id) => !before.has(id));
  const none = page.getByRole('button', { name: 'Select none' });
  if (await none.isEnabled()) await none.click();
  for (const id of fresh) await page.getByRole('checkbox', { name: `Select key ${id}` }).check();
  return fresh;
}

interface HistoryEntry {
  order: { _id: number; number: number };
  actionresult: number;
}

/** Every write the server recorded into the key; none when the server has never heard of it. */
async function historyOf(station: StationFixture, dongleId: number): Promise<HistoryEntry[]> {
  const body = await station.server.api('GET', `/v1.0/getdonglehistory/${dongleId}`);
  if (body.history) return body.history;
  if (body.status?.code === 10024) return []; // DongleNotFound: nothing was ever sent about it
  throw new Error(`history of key ${dongleId}: ${JSON.stringify(body)}`);
}

async function keysInOrder(station: StationFixture, orderNumber: number): Promise<number[]> {
  const detail = await station.server.api('GET', `/v1.0/orders/${idOf[orderNumber]}`);
  return (detail.order.dongles ?? []).map((d: { dongleid: number }) => d.dongleid);
}

/** Nothing of order A reached these keys: no write of A's licence, and not added to A. */
async function expectNothingOfA(station: StationFixture, keys: number[]): Promise<void> {
  const inA = await keysInOrder(station, A);
  for (const id of keys) {
    const writesOfA = (await historyOf(station, id)).filter((h) => h.order._id === idOf[A]);
    expect(writesOfA, `key ${id} must not be written with order ${A}'s licence`).toEqual([]);
    expect(inA, `key ${id} must not be added to order ${A}`).not.toContain(id);
  }
}

const numberField = () => page.getByRole('textbox', { name: 'Order number' });
const armedStatus = () => page.getByRole('status', { name: 'Armed order' });

test.beforeAll(async ({ browser, station }) => {
  page = await openStationPage(browser, station.url, { online: true });
  const found = await station.server.api('GET', `/v1.0/orders?limit=1000`);
  idOf = Object.fromEntries(
    found.orders
      .filter((o: { number: number }) => o.number === A || o.number === B)
      .map((o: { number: number; _id: number }) => [o.number, o._id]),
  );
});

test.afterAll(async () => {
  await page.close();
});

test('write: after a run of order A, scanning order B on the same screen never writes A into the new keys', async ({
  station,
}) => {
  const first = await plugAndSelect(2);
  await page.keyboard.press('Alt+4');
  await numberField().fill(String(A));
  await numberField().press('Enter');
  await page.getByRole('button', { name: new RegExp(`^Write order ${A} · .+ · 2 keys$`) }).click();
  await expect(page.getByRole('heading', { name: 'Finished: 2 keys' })).toBeVisible();
  for (const id of first) {
    expect((await historyOf(station, id)).map((h) => h.order._id)).toEqual([idOf[A]]);
  }

  // Still on the same screen, the scanner fires at order B's work sheet: B is armed, nothing starts.
  await scan(B);
  await expect(numberField(), 'the scan replaced the number, not appended to it').toHaveValue(String(B));
  await expect(armedStatus()).toContainText(`Order ${B}`);
  // The keys still selected hold A's licence: the pre-flight leaves them out until re-writing is confirmed.
  await expect(page.getByRole('status', { name: 'Pre-flight summary' })).toContainText(
    '2 left out: written for another order',
  );
  await expect(
    page.getByRole('button', { name: new RegExp(`^Write order ${B} · .+ · no keys to write$`) }),
  ).toBeDisabled();
  for (const id of first) {
    expect((await historyOf(station, id)).map((h) => h.order._id)).toEqual([idOf[A]]);
  }

  // The next batch: new keys, back to the Write screen by its shortcut, and the scanner fires.
  const second = await plugAndSelect(2);
  await page.keyboard.press('Alt+4');
  await expect.soft(numberField(), 'arriving focuses the number field').toBeFocused();
  await expect.soft(armedStatus(), 'arriving disarms').toContainText('Nothing armed');
  await snap(page, 'write-arrived-disarmed');
  await scan(B);

  const start = page.getByRole('button', { name: new RegExp(`^Write order ${B} · .+ · 2 keys$`) });
  await expect.soft(start, `order ${B} armed by the scan, the button naming it`).toBeEnabled();
  await expect.soft(armedStatus()).toContainText(`Order ${B}`);
  await expect.soft(numberField(), 'Enter only arms: focus stays in the number field').toBeFocused();
  await snap(page, 'write-armed-b');
  // Enter never started a run: the server has heard nothing about the new keys.
  await expectNothingOfA(station, second);
  for (const id of second)
    expect(await historyOf(station, id), `key ${id} untouched before the click`).toEqual([]);

  // A second Enter in the field (a habit, or the scanner's double suffix) still only arms.
  await numberField().press('Enter');
  await expect(start).toBeEnabled();

  await start.click();
  await expect(page.getByRole('heading', { name: `Finished: 2 keys · order ${B}` })).toBeVisible();
  await expect(armedStatus(), 'a started run disarms its order').toContainText('Nothing armed');
  for (const id of second) {
    const history = await historyOf(station, id);
    expect(
      history.map((h) => h.order._id),
      `key ${id} written once, with order ${B}`,
    ).toEqual([idOf[B]]);
    expect(history[0]!.actionresult).toBe(0);
  }
  await expectNothingOfA(station, second);
  expect(await keysInOrder(station, B)).toEqual(expect.arrayContaining(second));
});

test('write: a scan while the start button has focus goes into the number field and disarms', async ({
  station,
}) => {
  const keys = await plugAndSelect(1);
  await page.keyboard.press('Alt+4');
  await scan(B);
  const startB = page.getByRole('button', { name: new RegExp(`^Write order ${B} · .+ · 1 key$`) });
  await expect(startB).toBeEnabled();
  await startB.focus();

  await scan(A);
  await expect(numberField()).toBeFocused();
  await expect(numberField()).toHaveValue(String(A));
  await expect(armedStatus()).toContainText(`Order ${A}`);
  await expect(
    page.getByRole('button', { name: new RegExp(`^Write order ${A} · .+ · 1 key$`) }),
  ).toBeEnabled();
  for (const id of keys) expect(await historyOf(station, id)).toEqual([]);
});

test('an unknown number leaves nothing armed, and Enter then starts nothing', async ({ station }) => {
  const keys = await plugAndSelect(1);
  await page.keyboard.press('Alt+4');
  await scan(A);
  await expect(armedStatus()).toContainText(`Order ${A}`);

  await scan(999999);
  await expect(numberField()).toHaveValue('999999');
  await expect(page.getByRole('alert').filter({ hasText: 'No order numbered 999999' })).toBeVisible();
  await expect(armedStatus()).toContainText('Nothing armed');
  await expect(page.getByRole('button', { name: /^Write order/ })).toHaveCount(0);
  await snap(page, 'write-unknown-number');
  await page.keyboard.press('Enter');
  await expect(armedStatus()).toContainText('Nothing armed');
  for (const id of keys) expect(await historyOf(station, id)).toEqual([]);
});

test('add: after adding keys to order A, scanning order B on the same screen never adds to A', async ({
  station,
}) => {
  const first = await plugAndSelect(2);
  await page.keyboard.press('Alt+3');
  await expect(numberField()).toBeFocused();
  await scan(A);
  await expect(
    page.getByRole('table', { name: 'Pre-flight of the selected keys' }).locator('tbody tr'),
  ).toHaveCount(2);
  await page.getByRole('button', { name: /^Add 2 keys/ }).click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();
  expect(await keysInOrder(station, A)).toEqual(expect.arrayContaining(first));

  const second = await plugAndSelect(2);
  await page.keyboard.press('Alt+3');
  // The operator looks at the screen before scanning: the old order's pre-check, or nothing armed.
  await expect(
    page
      .getByRole('table', { name: 'Pre-flight of the selected keys' })
      .or(armedStatus().filter({ hasText: 'Nothing armed' })),
  ).toBeVisible();
  await scan(B);

  const add = page.getByRole('button', { name: new RegExp(`^Add 2 keys to order ${B} · .+$`) });
  await expect.soft(add, `order ${B} armed by the scan, the button naming it`).toBeEnabled();
  await expect.soft(numberField()).toBeFocused();
  await snap(page, 'add-armed-b');
  await expectNothingOfA(station, second);

  await add.click();
  await expect(page.getByRole('table', { name: 'Results of the batch' })).toContainText(String(second[0]));
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();
  await expectNothingOfA(station, second);
  expect(await keysInOrder(station, B)).toEqual(expect.arrayContaining(second));
});

test("from an order's own button the number waits in the field, unarmed, for Enter", async ({ station }) => {
  const keys = await plugAndSelect(1);
  await page.getByRole('tab', { name: 'Orders', exact: true }).click();
  await page
    .getByRole('searchbox', { name: 'Search orders' })
    .or(page.getByRole('textbox', { name: 'Search orders' }))
    .fill(String(B));
  await page
    .getByRole('listbox', { name: 'Orders' })
    .getByRole('option', { name: new RegExp(`^Order ${B},`) })
    .click();
  await page.getByRole('button', { name: 'Write licences for this order' }).click();

  await expect(numberField()).toBeFocused();
  await expect(numberField()).toHaveValue(String(B));
  await expect(armedStatus()).toContainText('Nothing armed');
  await page.keyboard.press('Enter');
  await expect(armedStatus()).toContainText(`Order ${B}`);
  // The number stays selected after Enter: a scan that follows replaces it.
  await scan(A);
  await expect(numberField()).toHaveValue(String(A));
  await expect(armedStatus()).toContainText(`Order ${A}`);
  for (const id of keys) expect(await historyOf(station, id)).toEqual([]);
});
