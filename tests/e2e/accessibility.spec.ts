/**
 * Accessibility (issue 10): every screen passes axe's WCAG 2.0/2.1 A and AA rules with no serious or
 * critical violation, in the states an operator sees (a selected written key, an armed order, a run's
 * results, the server away, the station away); results and connection changes are spoken through one
 * polite live region; at 200 % zoom (1280×720 is 640×360 CSS px) nothing needed is cut off.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { stopProcess } from '../support/processes';
import { expect, test as shift, type StationFixture } from './fixtures';
import { benchIds, benchRows, openTab, snap } from './station-page';

/** A station of its own (a worker fixture of its own gets its own worker; see arming.spec.ts). */
const test = shift.extend<object, { accessibilityStation: true }>({
  accessibilityStation: [true, { scope: 'worker' }],
});

test.describe.configure({ mode: 'serial' });

const ORDER = DEMO_ORDER_NUMBERS.perpetual20!;
let page: Page;

/**
 * axe over the whole page as it is now. A failure lists one line per element: the rule, its impact,
 * the element's selector and what axe found, so the report says what to fix without opening a trace.
 */
async function expectNoSeriousViolations(target: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const lines = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes.map((node) => {
        const why = (node.failureSummary ?? '').split('\n').slice(1).join(' ').trim();
        return `${v.id} (${v.impact}) at ${node.target.join(' ')}: ${why || v.help}`;
      }),
    );
  expect(lines, `serious accessibility violations on ${where}`).toEqual([]);
}

/** The app's one polite live region: what a screen reader says after a result or a connection change. */
const announcer = (target: Page) => target.locator('#announcer');

/** Plugs `count` new keys and selects exactly those; returns their ids. */
async function plugAndSelect(target: Page, count: number): Promise<number[]> {
  const before = new Set(await benchIds(target));
  await target.getByLabel('Keys to plug').fill(String(count));
  await target.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(benchRows(target)).toHaveCount(before.size + count);
  const fresh = (await benchIds(target)).filter((id) => !before.has(id));
  const none = target.getByRole('button', { name: 'Select none' });
  if (await none.isEnabled()) await none.click();
  for (const id of fresh) await target.getByRole('checkbox', { name: `Select key ${id}` }).check();
  return fresh;
}

async function failNextWrite(target: Page, dongleId: number): Promise<void> {
  await openTab(target, 'Bench');
  const form = target.getByRole('form', { name: 'Fail the next write' });
  if (!(await form.isVisible())) await target.getByText("Fail a key's next write").click();
  await target.getByLabel('Key', { exact: true }).selectOption(String(dongleId));
  await target.getByLabel('Result').selectOption('201');
  await target.getByRole('button', { name: 'Fail next write' }).click();
}

/** Arms ORDER on the screen Alt+`shortcut` opens, by its number and Enter as the scanner does. */
async function arm(target: Page, shortcut: 3 | 4): Promise<void> {
  await target.keyboard.press(`Alt+${shortcut}`);
  const number = target.getByRole('textbox', { name: 'Order number' });
  await number.fill(String(ORDER));
  await number.press('Enter');
  await expect(target.getByRole('status', { name: 'Armed order' })).toContainText(`Order ${ORDER}`);
}

async function openOrder(target: Page): Promise<void> {
  await openTab(target, 'Orders');
  await target
    .getByRole('searchbox', { name: 'Search orders' })
    .or(target.getByRole('textbox', { name: 'Search orders' }))
    .fill(String(ORDER));
  await target
    .getByRole('listbox', { name: 'Orders' })
    .getByRole('option', { name: new RegExp(`^Order ${ORDER},`) })
    .click();
  await expect(target.getByRole('heading', { name: `Order ${ORDER}` })).toBeVisible();
}

test.beforeAll(async ({ browser, station }) => {
  page = await (await browser.newContext()).newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(station.url);
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
});

test.afterAll(async () => {
  await page.context().close();
});

test('the empty bench, the bench with keys and a key opened pass axe', async () => {
  await expectNoSeriousViolations(page, 'the empty bench');
  await plugAndSelect(page, 3);
  await expectNoSeriousViolations(page, 'the bench with selected keys');
  await benchRows(page).first().click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'a key opened from the bench');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('Orders with an order open passes axe', async () => {
  await openOrder(page);
  await expectNoSeriousViolations(page, 'Orders with an order open');
});

test('Add to order, armed and after its results, passes axe and announces the result', async () => {
  const keys = await plugAndSelect(page, 2);
  await arm(page, 3);
  await expectNoSeriousViolations(page, 'Add to order with an armed order');
  await page.getByRole('button', { name: /^Add 2 keys/ }).click();
  await expect(page.getByRole('heading', { name: /^Batch #\d+: Done$/ })).toBeVisible();
  await expect(announcer(page)).toHaveText(new RegExp(`^2 keys added to order ${ORDER}\\b`));
  await expectNoSeriousViolations(page, 'Add to order after its results');
  expect(keys).toHaveLength(2);
});

test('a write of one key is announced by the key id', async () => {
  const [key] = await plugAndSelect(page, 1);
  await arm(page, 4);
  await expectNoSeriousViolations(page, 'Write with an armed order');
  await page.getByRole('button', { name: new RegExp(`^Write order ${ORDER} · .+ · 1 key$`) }).click();
  await expect(page.getByRole('heading', { name: /^Finished: 1 key/ })).toBeVisible();
  await expect(announcer(page)).toHaveText(`Key ${key} written`);
});

test('a write with a failure is announced with its counts, and its results pass axe', async () => {
  const keys = await plugAndSelect(page, 4);
  await failNextWrite(page, keys[3]!);
  await arm(page, 4);
  await page.getByRole('button', { name: new RegExp(`^Write order ${ORDER} · .+ · 4 keys$`) }).click();
  await expect(page.getByRole('heading', { name: /^Finished: 4 keys, 1 failed/ })).toBeVisible();
  await expect(announcer(page)).toHaveText('3 keys written, 1 failed');
  await expectNoSeriousViolations(page, 'Write after a run with a failure');
  // The written keys are still selected: the bench shows "Written" on the selected-row blue.
  await openTab(page, 'Bench');
  await expect(benchRows(page).filter({ hasText: 'Written' }).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'the bench with selected written and failed keys');
});

test('Queue, History, Shift log and Settings pass axe', async () => {
  // A key the last test wrote (the last one plugged is the one whose write failed).
  const key = (await benchIds(page)).at(-2)!;
  await openTab(page, 'Queue');
  await expect(page.getByRole('table', { name: 'Pending work' })).toBeVisible();
  await expectNoSeriousViolations(page, 'Queue');
  await openTab(page, 'History');
  await page.getByRole('textbox', { name: 'Key id' }).fill(String(key));
  await page.getByRole('button', { name: 'Show key' }).click();
  await expect(page.getByRole('table', { name: `Write history of key ${key}` })).toBeVisible();
  await expectNoSeriousViolations(page, 'History of a key');
  await openTab(page, 'Shift log');
  await expect(page.getByRole('table', { name: 'Shift log' }).locator('tbody tr').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'Shift log');
  await openTab(page, 'Settings');
  await expect(page.getByRole('textbox', { name: 'Server URL' })).toBeVisible();
  await expectNoSeriousViolations(page, 'Settings');
});

test('disabled buttons that name what they would do stay readable (4.5:1)', async () => {
  // axe skips disabled controls, yet "Write licences · no order armed" is information the operator reads.
  await page.keyboard.press('Alt+4');
  const start = page.getByRole('button', { name: /^Write licences · / });
  await expect(start).toBeDisabled();
  const ratio = await start.evaluate((el) => {
    const rgb = (css: string) => css.match(/[\d.]+/g)!.map(Number);
    const lum = (css: string) => {
      const [r, g, b] = rgb(css).map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const style = getComputedStyle(el);
    // Opacity blends the text into whatever is behind: only an opaque button is measured as drawn.
    if (Number(style.opacity) < 1) return 0;
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return (a! + 0.05) / (b! + 0.05);
  });
  expect(ratio).toBeGreaterThanOrEqual(4.5);
});

/** The same station seen at 200 % zoom: a 1280×720 window is 640×360 CSS pixels at twice the density. */
async function zoomedPage(browser: Browser, station: StationFixture): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 640, height: 360 }, deviceScaleFactor: 2 });
  const zoomed = await context.newPage();
  await zoomed.goto(station.url);
  await expect(zoomed.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  return zoomed;
}

/** Whether the element lies within the window's width once scrolled to (nothing cut off at the side). */
async function expectWithinWidth(target: Page, locator: ReturnType<Page['locator']>, what: string) {
  await locator.scrollIntoViewIfNeeded();
  // Reached by scrolling down only: neither the page nor the screen had to scroll sideways for it.
  const sideways = await target.evaluate(() => window.scrollX + document.querySelector('main')!.scrollLeft);
  expect(sideways, `${what} is reached without scrolling the screen sideways`).toBe(0);
  const box = (await locator.boundingBox())!;
  const width = target.viewportSize()!.width;
  expect(box, `${what} is laid out`).not.toBeNull();
  expect(box.x, `${what} starts inside the window`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what} ends inside the window (${width} px)`).toBeLessThanOrEqual(width);
}

test('at 200 % zoom the bench table scrolls sideways in its own region and nothing else is cut off', async ({
  browser,
  station,
}) => {
  const zoomed = await zoomedPage(browser, station);
  await plugAndSelect(zoomed, 2);
  await snap(zoomed, 'zoom-bench');
  // The page itself never needs a sideways scroll: the window shows the whole width of the screen.
  const pageOverflow = await zoomed.evaluate(() => ({
    doc: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    main: (() => {
      const main = document.querySelector('main')!;
      return main.scrollWidth - main.clientWidth;
    })(),
  }));
  expect(pageOverflow, 'no sideways scroll of the page or the screen').toEqual({ doc: 0, main: 0 });
  // The table is wider than the window: its own region scrolls, and reaches its last column.
  const region = zoomed.locator('.keys-scroll');
  await expectWithinWidth(zoomed, region, 'the keys region');
  const scroll = await region.evaluate((el) => ({ overflows: el.scrollWidth > el.clientWidth }));
  expect(scroll.overflows, 'the table scrolls inside its region').toBe(true);
  await region.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  const lastHeader = zoomed.getByRole('grid', { name: 'Keys on the bench' }).locator('thead th').last();
  await expectWithinWidth(zoomed, lastHeader, 'the last column, scrolled to');
  const firstBox = zoomed.getByRole('checkbox', { name: /^Select key \d+$/ }).first();
  await region.evaluate((el) => (el.scrollLeft = 0));
  await expectWithinWidth(zoomed, firstBox, 'a key’s checkbox');
  await firstBox.check();
  await expect(firstBox).toBeChecked();
  await snap(zoomed, 'zoom-bench-selected');
  await zoomed.context().close();
});

test('at 200 % zoom the order detail buttons wrap, stay in view and work', async ({ browser, station }) => {
  const zoomed = await zoomedPage(browser, station);
  await openOrder(zoomed);
  await snap(zoomed, 'zoom-order-detail');
  // A table scrolling sideways in its own box is still a table to assistive technology.
  await expect(zoomed.getByRole('table', { name: /^Features of / }).first()).toBeVisible();
  const add = zoomed.getByRole('button', { name: /^Add .*keys to this order$/ });
  const write = zoomed.getByRole('button', { name: 'Write licences for this order' });
  await expectWithinWidth(zoomed, add, 'Add … keys to this order');
  await expectWithinWidth(zoomed, write, 'Write licences for this order');
  await write.click();
  await expect(zoomed.getByRole('textbox', { name: 'Order number' })).toHaveValue(String(ORDER));
  await snap(zoomed, 'zoom-write');
  for (const name of ['Queue', 'History', 'Shift log', 'Settings', 'Add to order']) {
    await openTab(zoomed, name);
    await expect(zoomed.getByRole('heading', { level: 1 })).toBeVisible();
    const overflow = await zoomed.evaluate(() => {
      const main = document.querySelector('main')!;
      return main.scrollWidth - main.clientWidth;
    });
    await snap(zoomed, `zoom-${name.replace(/ /g, '-').toLowerCase()}`);
    expect(overflow, `${name} needs no sideways scroll at 200 %`).toBeLessThanOrEqual(0);
  }
  await zoomed.context().close();
});

test('the server away and back is announced, and the offline state passes axe', async ({ station }) => {
  await openTab(page, 'Bench');
  await station.server.down();
  // With nothing else asking the server, the station notices at its next heartbeat (every 15 s).
  await expect(page.getByRole('status', { name: 'Connection: Offline' })).toBeVisible({ timeout: 30_000 });
  await expect(announcer(page)).toContainText('The Guardant server cannot be reached');
  await expectNoSeriousViolations(page, 'the bench with the server offline');
  await openTab(page, 'Queue');
  await expectNoSeriousViolations(page, 'Queue with the server offline');
  await station.server.up();
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  await expect(announcer(page)).toContainText('The Guardant server is reachable again');
});

// Last: it stops this spec's own station host (the fixture's teardown stops it only if still running).
test('the station lost is announced and its banner passes axe', async ({ station }) => {
  await openTab(page, 'Bench');
  await stopProcess(station.host, 'SIGKILL');
  await expect(page.getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  await expect(announcer(page)).toContainText('Lost the connection to the station');
  await expectNoSeriousViolations(page, 'the station lost');
  await snap(page, 'station-lost');
});
