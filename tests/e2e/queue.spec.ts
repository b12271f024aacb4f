/**
 * The Queue screen (issue 10): pending work and history on their own tabs, paged with their totals,
 * each row naming its order and keys (the first few, "+N more", the full list on open), "Retry all
 * failed" and "Cancel all pending" asked once with their count, and a failed write that a later run
 * wrote read as a success, never as "Cancelled (1 failed)". Every wait is on what the app shows.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift } from './fixtures';
import { benchRows, openStationPage, openTab, orderIdOf, selectOnly, snap } from './station-page';

/** A station of its own: the station fixture is per worker (see arming.spec.ts). */
const test = shift.extend<object, { queueStation: true }>({
  queueStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

const ORDER = DEMO_ORDER_NUMBERS.bulk500!;
let page: Page;
let orderId: number;

const queueView = (name: RegExp) =>
  page.getByRole('tablist', { name: 'Queue views' }).getByRole('tab', { name });
const workTable = () => page.getByRole('table', { name: 'Pending work' });
const historyTable = () => page.getByRole('table', { name: 'History' });

/**
 * Plugs keys and answers their ids: the bench's "New" keys, as every earlier key was added or written
 * (the table is virtualised, so only a few dozen rows are in the page).
 */
async function plug(count: number): Promise<number[]> {
  await openTab(page, 'Bench');
  const meta = page.locator('.screen-meta');
  const before = Number(/^(\d+) keys? plugged/.exec((await meta.textContent()) ?? '')?.[1] ?? 0);
  await page.getByLabel('Keys to plug').fill(String(count));
  await page.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(meta).toContainText(`${before + count} keys plugged`);
  const filters = page.getByRole('group', { name: 'Show keys by state' });
  const fresh = filters.getByRole('button', { name: /^New/ });
  await expect(fresh).toHaveText(new RegExp(`^New\\s*${count}$`));
  // Show every key first: a filter already on may toggle, and the click must land on a settled bench.
  await filters.getByRole('button', { name: /^All/ }).click();
  await fresh.click();
  await expect(fresh).toHaveAttribute('aria-pressed', 'true');
  if (count <= 20) await expect(benchRows(page)).toHaveCount(count);
  return (await benchRows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key-id')))).map(
    Number,
  );
}

async function failNextWrite(dongleId: number): Promise<void> {
  await openTab(page, 'Bench');
  const form = page.getByRole('form', { name: 'Fail the next write' });
  if (!(await form.isVisible())) await page.getByText("Fail a key's next write").click();
  await form.getByLabel('Key', { exact: true }).selectOption(String(dongleId));
  await form.getByRole('button', { name: 'Fail next write' }).click();
  await expect(page.getByText(`The next write into key ${dongleId} will fail`)).toBeVisible();
}

async function arm(tab: string): Promise<void> {
  await openTab(page, tab);
  const number = page.getByRole('textbox', { name: 'Order number' });
  await number.fill(String(ORDER));
  await number.press('Enter');
}

async function write(count: number): Promise<void> {
  await arm('Write licences');
  await page
    .getByRole('button', { name: new RegExp(`^Write order ${ORDER} · .+ · ${count} keys?$`) })
    .click();
}

/** The queue row of the item about this key and kind, in the table given. */
const rowOf = (table: ReturnType<typeof workTable>, dongleId: number, kind: string) =>
  table
    .locator('tbody tr[data-item-id]')
    .filter({ hasText: kind })
    .filter({ hasText: String(dongleId) });

test.beforeAll(async ({ browser, station }) => {
  page = await openStationPage(browser, station.url);
  orderId = await orderIdOf(station.server, ORDER);
});

test.afterAll(async () => {
  await page.close();
});

test('the history is paged with its total: every item is one page away, none left out', async () => {
  // First in the file: the 60 keys are then all the bench's new keys.
  await plug(60);
  await page.getByRole('button', { name: 'Select new' }).click();
  await write(60);
  await expect(page.getByRole('heading', { name: /^Finished: 60 keys/ })).toBeVisible({ timeout: 60_000 });

  await openTab(page, 'Queue');
  await queueView(/^History/).click();
  const tab = await queueView(/^History/).textContent();
  const total = Number(/\((\d+)\)/.exec(tab!)![1]);
  expect(total).toBeGreaterThan(60);
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText(`Items 1–50 of ${total}`);
  await expect(historyTable().locator('tbody tr[data-item-id]')).toHaveCount(50);
  const seen = new Set<string>();
  for (let offset = 0; offset < total; offset += 50) {
    if (offset) await pager.getByRole('button', { name: 'Next' }).click();
    await expect(pager).toContainText(`Items ${offset + 1}–${Math.min(offset + 50, total)} of ${total}`);
    for (const id of await historyTable()
      .locator('tbody tr[data-item-id]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-item-id')!)))
      seen.add(id);
  }
  expect(seen.size).toBe(total);
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Previous' }).click();
  await snap(page, 'queue-history-paged');
});

test('a failed write that "Retry failed keys" then wrote reads "Written after retry", in green, in the history', async () => {
  const [ok, flaky] = await plug(2);
  await failNextWrite(flaky!);
  await selectOnly(page, [ok!, flaky!]);
  await write(2);
  await expect(page.getByRole('heading', { name: 'Finished: 2 keys, 1 failed' })).toBeVisible();

  await openTab(page, 'Queue');
  await expect(queueView(/^Pending work/)).toHaveAttribute('aria-selected', 'true');
  const failed = rowOf(workTable(), flaky!, 'Write licence');
  await expect(failed).toContainText('Failed');
  await expect(failed).toContainText(`order ${ORDER}`);

  await openTab(page, 'Write licences');
  await page.getByRole('button', { name: /^Retry failed keys \(1\)/ }).click();
  await expect(page.getByRole('heading', { name: 'Finished: 1 key' })).toBeVisible();

  await openTab(page, 'Queue');
  await expect(workTable().or(page.getByText('Nothing waiting'))).toBeVisible();
  await expect(rowOf(workTable(), flaky!, 'Write licence')).toHaveCount(0);
  await queueView(/^History/).click();
  const writes = rowOf(historyTable(), flaky!, 'Write licence');
  await expect(writes).toHaveCount(2);
  const firstTry = writes.filter({ hasText: 'First try failed' });
  await expect(firstTry.locator('.outcome')).toHaveText('Written after retry');
  await expect(firstTry).not.toContainText('Cancelled');
  await expect(firstTry).not.toContainText('not accepted');
  // Green, as a success: the ok colour, not the failure red.
  await expect(firstTry.locator('.outcome')).toHaveCSS('color', 'rgb(20, 108, 46)');
  await snap(page, 'queue-history-written-after-retry');
});

test('an add of many keys names its first three and "+N more", and lists them all on open', async () => {
  const keys = await plug(8);
  await selectOnly(page, keys);
  await arm('Add to order');
  await page.getByRole('button', { name: /^Add 8 keys/ }).click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();

  await openTab(page, 'Queue');
  await queueView(/^History/).click();
  const add = historyTable().locator('tbody tr[data-item-id]').filter({ hasText: 'Add keys' }).first();
  for (const id of keys.slice(0, 3)) await expect(add).toContainText(String(id));
  await expect(add).not.toContainText(String(keys[3]));
  await add.getByRole('button', { name: '+5 more' }).click();
  const all = page.getByRole('list', { name: /^All keys of item \d+$/ });
  await expect(all.getByRole('listitem')).toHaveCount(8);
  for (const id of keys) await expect(all).toContainText(String(id));
  await snap(page, 'queue-add-keys-open');
});

test('"Retry all failed" asks with the count, then every failed write is written after retry', async ({
  station,
}) => {
  const keys = await plug(2);
  for (const id of keys) await failNextWrite(id);
  await selectOnly(page, keys);
  await write(2);
  await expect(page.getByRole('heading', { name: 'Finished: 2 keys, 2 failed' })).toBeVisible();

  await openTab(page, 'Queue');
  await queueView(/^Pending work/).click();
  await page.getByRole('button', { name: 'Retry all failed (2)' }).click();
  const ask = page.getByRole('alertdialog');
  await expect(ask).toContainText('Retry all 2 failed items?');
  await snap(page, 'queue-retry-all-confirm');
  await ask.getByRole('button', { name: 'Retry 2 items' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 failed items queued again.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry all failed (0)' })).toBeDisabled();

  await queueView(/^History/).click();
  for (const id of keys) {
    await expect(rowOf(historyTable(), id, 'Write licence').locator('.outcome')).toHaveText(
      'Written after retry',
    );
    const history = await station.server.api('GET', `/v1.0/getdonglehistory/${id}`);
    const written = history.history.filter((h: any) => h.order._id === orderId && h.actionresult === 0);
    expect(written, `key ${id} written once`).toHaveLength(1);
  }
});

test('"Cancel all pending" asks with the count and cancels the work queued offline', async ({ station }) => {
  const keys = await plug(3);
  await selectOnly(page, keys);
  await arm('Add to order');
  await station.server.down();
  try {
    await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible();
    await page.getByRole('button', { name: /^Add 3 keys/ }).click();
    await openTab(page, 'Queue');
    await queueView(/^Pending work/).click();
    const pending = rowOf(workTable(), keys[0]!, 'Add keys');
    await expect(pending).toContainText(`order ${ORDER}`);
    await page.getByRole('button', { name: 'Cancel all pending (1)' }).click();
    const ask = page.getByRole('alertdialog');
    await expect(ask).toContainText('Cancel all 1 pending item?');
    // Escape keeps them.
    await page.keyboard.press('Escape');
    await expect(ask).toBeHidden();
    await expect(pending).toBeVisible();
    await page.getByRole('button', { name: 'Cancel all pending (1)' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel 1 item' }).click();
    await expect(page.getByRole('status').filter({ hasText: '1 pending item cancelled.' })).toBeVisible();
    await expect(pending).toHaveCount(0);
    await queueView(/^History/).click();
    await expect(rowOf(historyTable(), keys[0]!, 'Add keys').locator('.outcome')).toHaveText('Cancelled');
  } finally {
    await station.server.up();
  }
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  const detail = await station.server.api('GET', `/v1.0/orders/${orderId}`);
  const inOrder: number[] = detail.order.dongles.map((d: { dongleid: number }) => d.dongleid);
  for (const id of keys) expect(inOrder).not.toContain(id);
});
