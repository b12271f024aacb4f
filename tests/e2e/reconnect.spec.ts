/**
 * A stable station link and words, not codes (issue 10). The operator's page outlives a restart of the
 * station: it says "Reconnecting…" in plain words, comes back by itself on the same URL without a
 * reload and still shows the screen it showed; a rotated link says so. Errors lead with a sentence and
 * an action; codes are only in "Details for support".
 *
 * This spec kills and restarts its station, so it has its own: a reference server and a host on a
 * fixed port and one data folder, every process through the tracked helpers.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { stopProcess } from '../support/processes';
import { launchStationHost, ServerProcess } from './fixtures';
import { freePort } from '../support/free-port';
import { snap } from './station-page';

test.describe.configure({ mode: 'serial' });

let dir: string;
let server: ServerProcess;
let port: number;
let host: ChildProcess | null = null;
let url: string;
let page: Page;

/** The station host on this spec's port and data folder; resolves with the link it printed. */
async function startHost(extra: string[] = []): Promise<string> {
  const { child, url: link } = await launchStationHost({
    serverUrl: server.url,
    dataDir: join(dir, 'station'),
    keys: 2,
    port,
    extraArgs: extra,
    // The token comes from the data folder (kept across restarts, rotated on request), not from the env.
    env: { KEYBENCH_WEB_TOKEN: '' },
  });
  host = child;
  return link;
}

async function killHost(): Promise<void> {
  if (host) await stopProcess(host, 'SIGKILL');
  host = null;
}

test.beforeAll(async ({ browser }) => {
  dir = mkdtempSync(join(tmpdir(), 'kb-e2e-link-'));
  server = await ServerProcess.start(join(dir, 'server'));
  port = await freePort();
  url = await startHost();
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page?.close();
  await killHost();
  await server?.down();
  rmSync(dir, { recursive: true, force: true });
});

test('an invalid server address in Settings is a sentence and an action; the code is in details', async () => {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Server URL').fill('ftp://guardant.example.com');
  await page.getByRole('button', { name: 'Save settings' }).click();

  const notice = page.getByRole('alert').filter({ hasText: 'Could not save the settings' });
  await expect(notice).toContainText('The server address is not a valid web address.');
  await expect(notice).toContainText('starting with http:// or https://');
  // The code and the validator's words are for support: folded away, not read by the operator.
  const details = notice.locator('details');
  await expect(details).not.toHaveAttribute('open');
  await expect(notice.getByText('INVALID_REQUEST')).toBeHidden();
  await expect(notice.getByText(/Invalid URL/)).toBeHidden();
  await snap(page, 'error-notice');
  await details.locator('summary', { hasText: 'Details for support' }).click();
  await expect(notice.getByText('INVALID_REQUEST')).toBeVisible();
  await snap(page, 'error-notice-details');
});

test('the page reconnects by itself when the station restarts, on the same URL, on the same screen', async () => {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Orders' }).click();
  await expect(page.getByRole('tab', { name: 'Orders' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  // Proof that the page is never reloaded: a reload would lose this.
  await page.evaluate(() => ((window as unknown as { kbMark: number }).kbMark = 42));

  await killHost();
  const banner = page.getByRole('status').filter({ hasText: 'Reconnecting…' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('connects again by itself');
  await expect(banner).not.toContainText(/ECONN|INTERNAL|STATION_LINK|Error:|\bat \S+:\d+/);
  await snap(page, 'reconnecting');

  const again = await startHost();
  expect(again).toBe(url);
  await expect(banner).toBeHidden({ timeout: 60_000 });
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => (window as unknown as { kbMark?: number }).kbMark)).toBe(42);
  await expect(page.getByRole('tab', { name: 'Orders' })).toHaveAttribute('aria-selected', 'true');
  // It is live again: a request made now is answered (the bench lists the restarted station's keys).
  await page.getByRole('tab', { name: 'Bench', exact: true }).click();
  await expect(page.getByRole('checkbox', { name: /^Select key \d+$/ }).first()).toBeVisible();
  await snap(page, 'reconnected');
});

test('after --rotate-token the open page says its link has changed, and the new link works', async () => {
  await page.goto(url);
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  await killHost();
  const rotated = await startHost(['--rotate-token']);
  expect(rotated).not.toBe(url);
  await expect(
    page.getByText("This station's link has changed: open the new link printed by the station."),
  ).toBeVisible({ timeout: 60_000 });
  await snap(page, 'link-changed');

  await page.goto(rotated);
  await expect(page.getByRole('status', { name: 'Connection: Online' })).toBeVisible();
  url = rotated;
});
