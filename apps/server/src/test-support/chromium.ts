import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type FrameLocator, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests leave screenshots of their steps and failures, to look at after a run. */
export const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(tmpdir(), 'mailissa-e2e-screenshots');

/**
 * Chromium as every browser test drives it: headless, without a sandbox (containers), without a GPU
 * and without its own background requests (nothing may leave the machine).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves what the page shows as `<name>.png` in SCREENSHOTS. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Waits for the add-in's transfer to end and returns `done`; a failed transfer fails the test with
 * the reason the add-in shows.
 */
export async function finishedTransferState(addin: FrameLocator): Promise<string> {
  const ended = addin.locator(
    '[data-testid="transfer-status"][data-state="done"], [data-testid="transfer-status"][data-state="failed"]',
  );
  await ended.waitFor({ timeout: 120_000 });
  const state = (await ended.getAttribute('data-state')) ?? '';
  if (state === 'failed') throw new Error(`transfer failed: ${await ended.textContent()}`);
  return state;
}
