/**
 * Auto mode (issue 9, item 8): a whole shift of "write every key I plug". The operator arms an order by
 * its number, turns auto mode on, and plugs keys one at a time from the Simulator panel; each is written
 * by itself with a running count, a key that does not fit is flagged and left alone, every result sounds
 * and is announced, and Stop (by keyboard) ends it. What the keys hold is checked on the reference server.
 */
import type { Page } from '@playwright/test';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { expect, test as shift, type StationFixture } from './fixtures';
import { shownKeyIds, snap } from './station-page';

/** A station of its own (see arming.spec.ts): another worker fixture, another worker. */
const test = shift.extend<object, { autoModeStation: true }>({
  autoModeStation: [true, { scope: 'worker' }],
});

/** The time-limited demo order: a Time key fits it, a Sign key (no clock) does not. */
const ORDER = DEMO_ORDER_NUMBERS.timeLimited50!;

declare global {
  interface Window {
    /** Frequencies of every oscillator the page started, in order: the tones auto mode played. */
    __tones: number[];
  }
}

let page: Page;

/** Plugs one key of the model from the Simulator panel (Bench screen); returns its id. */
async function plugOne(model: 'Sign' | 'Time'): Promise<number> {
  await page.getByRole('tab', { name: 'Bench', exact: true }).click();
  const before = new Set(await shownKeyIds(page));
  const form = page.getByRole('form', { name: 'Plug keys' });
  await form.getByLabel('Keys to plug').fill('1');
  await form.getByLabel('Model').selectOption({ label: model });
  await form.getByRole('button', { name: 'Plug keys', exact: true }).click();
  await expect(page.getByRole('checkbox', { name: /^Select key \d+$/ })).toHaveCount(before.size + 1);
  const fresh = (await shownKeyIds(page)).filter((id) => !before.has(id));
  expect(fresh).toHaveLength(1);
  return fresh[0]!;
}

async function historyOf(
  station: StationFixture,
  dongleId: number,
): Promise<Array<{ order: { number: number }; actionresult: number }>> {
  const body = await station.server.api('GET', `/v1.0/getdonglehistory/${dongleId}`);
  if (body.history) return body.history;
  if (body.status?.code === 10024) return []; // DongleNotFound: nothing was ever sent about it
  throw new Error(`history of key ${dongleId}: ${JSON.stringify(body)}`);
}

const announcer = () => page.locator('#announcer');
const autoSwitch = () => page.getByRole('switch', { name: 'Write every key I plug' });
/** One of the big counts, by its term: "Written", "Failed", "Left alone". */
const count = (name: string) =>
  page
    .getByLabel('Auto mode counts')
    .locator('div')
    .filter({ has: page.getByRole('term').filter({ hasText: new RegExp(`^${name}$`) }) })
    .getByRole('definition');

test('a shift in auto mode: arm, switch on, plug keys one by one, a misfit flagged, Stop', async ({
  browser,
  station,
}) => {
  page = await browser.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  // Count the tones: every oscillator the page starts, by frequency (WebAudio runs in Chromium headless).
  await page.addInitScript(() => {
    window.__tones = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
      window.__tones.push(this.frequency.value);
      return start.apply(this, args);
    };
  });
  await page.goto(station.url);
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();

  // Off by default, and not available without an armed order.
  await page.keyboard.press('Alt+4');
  await expect(autoSwitch()).not.toBeChecked();
  await expect(autoSwitch()).toBeDisabled();
  await expect(page.getByText('Off. Arm an order first')).toBeVisible();

  // Arm the order the way a scanner does, then switch auto mode on.
  const numberField = page.getByRole('textbox', { name: 'Order number' });
  await numberField.fill(String(ORDER));
  await numberField.press('Enter');
  await expect(autoSwitch()).toBeEnabled();
  // The switch shows what main says: it turns on once the station has started the session.
  await autoSwitch().click();
  await expect(autoSwitch()).toBeChecked();
  await expect(
    page.getByText(new RegExp(`^On: every key you plug now is checked and written into order ${ORDER}`)),
  ).toBeVisible();
  await snap(page, 'auto-on');

  // Keys plugged one at a time (from the Bench screen): each written by itself, heard and announced there.
  const written: number[] = [];
  for (let i = 0; i < 3; i++) {
    const key = await plugOne('Time');
    written.push(key);
    await expect(announcer()).toContainText(`Key ${key}: written.`, { timeout: 20_000 });
  }
  const misfit = await plugOne('Sign');
  await expect(announcer()).toContainText(`Key ${misfit}: left alone.`);
  await expect(announcer()).toContainText('does not fit');

  // Back on the Write screen: the running count, the newest result, every key's row.
  await page.keyboard.press('Alt+4');
  await expect(count('Written')).toHaveText('3');
  await expect(count('Failed')).toHaveText('0');
  await expect(count('Left alone')).toHaveText('1');
  await expect(page.getByTestId('auto-latest')).toContainText(`Key ${misfit}: Left alone`);
  const rows = page.getByRole('list', { name: 'Keys plugged in auto mode' }).getByRole('listitem');
  await expect(rows).toHaveCount(4);
  for (const key of written) await expect(rows.filter({ hasText: `Key ${key}` })).toContainText('Written');
  // Each row says where the key is on the hub: its plug number and USB port.
  for (const key of [...written, misfit])
    await expect(rows.filter({ hasText: `Key ${key}` })).toContainText(/plug #\d+ · port \d+-[\d.]+/);
  await expect(rows.filter({ hasText: `Key ${misfit}` })).toContainText(
    /Left alone.*Time limited|time limited/i,
  );
  await snap(page, 'auto-shift');
  // At 200 % zoom (half the CSS width) the switch, Stop and the counts still fit and read.
  await page.setViewportSize({ width: 720, height: 900 });
  await expect(page.getByRole('button', { name: 'Stop auto mode' })).toBeVisible();
  // The page scrolls down to the counts (it reflows, it does not clip): once there, they are whole.
  await count('Written').scrollIntoViewIfNeeded();
  await expect(count('Written')).toBeInViewport({ ratio: 1 });
  await snap(page, 'auto-shift-200-percent');
  await page.setViewportSize({ width: 1440, height: 900 });

  // Success and failure sound different: three rising pairs for the writes, one low tone for the misfit.
  const tones = await page.evaluate(() => window.__tones);
  expect(tones).toEqual([880, 1320, 880, 1320, 880, 1320, 440]);

  // Stop by keyboard: from the switch, Tab reaches the Stop button.
  await autoSwitch().focus();
  await page.keyboard.press('Tab');
  const stopButton = page.getByRole('button', { name: 'Stop auto mode' });
  await expect(stopButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(autoSwitch()).not.toBeChecked();
  await expect(page.getByText(`Auto mode for order ${ORDER}`)).toContainText('Stopped.');
  await snap(page, 'auto-stopped');

  // After Stop a plugged key is left as it is.
  const after = await plugOne('Time');
  await page.waitForTimeout(1_500);
  expect(await historyOf(station, after)).toEqual([]);

  // What the server holds: each written key once, with the order; the misfit nothing.
  for (const key of written) {
    const history = await historyOf(station, key);
    expect(history.map((h) => [h.order.number, h.actionresult])).toEqual([[ORDER, 0]]);
  }
  expect(await historyOf(station, misfit)).toEqual([]);
  await page.close();
});
