import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type FrameLocator, type Page } from 'playwright-core';

/** Debian's Chromium, never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';

/** Where the browser tests leave screenshots of their steps and failures, to look at after a run. */
export const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(tmpdir(), 'mailissa-e2e-screenshots');

/**
 * Chromium as every browser test drives it: headless, without a sandbox (containers), without a GPU
 * and without its own background requests (nothing may leave the machine). A process of its own that
 * `close()` ends: for scripts such as the benchmarks, which must exit when done; test files use
 * `launchChromium`, which shares the worker's.
 */
export function launchOwnChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * The test worker's Chromium: a worker runs its files one after another in one process (isolate:
 * false), so they share one browser process instead of starting and stopping one each. Playwright
 * ends it when the worker process exits.
 */
let workerChromium: Promise<Browser> | undefined;

async function runningChromium(): Promise<Browser> {
  const running = await workerChromium?.catch(() => undefined);
  if (running?.isConnected()) return running;
  workerChromium = launchOwnChromium();
  return workerChromium;
}

/**
 * A browser for one test file. Behind it is the worker's shared Chromium, but what a file sees is its
 * own: every page lives in a browser context the file created (cookies, storage and cache of their
 * own, nothing shared with another file), `contexts()` lists only those, and `close()` closes them
 * and leaves the process running for the next file.
 */
export async function launchChromium(): Promise<Browser> {
  const shared = await runningChromium();
  const own = new Set<BrowserContext>();
  const track = (context: BrowserContext): BrowserContext => {
    own.add(context);
    context.once('close', () => own.delete(context));
    return context;
  };
  const overrides: Partial<Browser> = {
    async newContext(options) {
      return track(await shared.newContext(options));
    },
    async newPage(options) {
      const page = await shared.newPage(options);
      track(page.context());
      return page;
    },
    contexts: () => [...own],
    async close() {
      await Promise.all([...own].map((context) => context.close()));
    },
  };
  return new Proxy(shared, {
    get(target, property) {
      if (Object.hasOwn(overrides, property)) return Reflect.get(overrides, property);
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
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
