/**
 * `npm run bench:addin-pane`: how long after the add-in's pane opens in Outlook its targets are on
 * screen (issue 15: ≤ 800 ms), in Debian's Chromium against a demo-mode server. Each run is a new
 * browser profile (nothing cached: the pane's first open of an Outlook session); the Outlook
 * emulator's sign-in and the choice of the mail come before the clock starts. The pane's own sign-in
 * (nested app authentication), its bootstrap request and its scripts are all inside.
 *
 * Both ends are read in the browser, on its one clock (decision 173): the click event on the
 * add-in's button starts the clock, and the first frame drawn after a target button is visible in
 * the pane stops it. Playwright's own view comes late: it looks for an element after 0, 20, 50, 100,
 * 100 ms and then every 500 ms, each look a round trip, so what it reports is as much its schedule
 * as the pane (it is printed beside, for comparison).
 * Uses whatever `apps/web/dist` holds (`npm run bench` builds it for production first).
 */

import type { Browser } from 'playwright-core';
import { launchOwnChromium } from '../src/test-support/chromium.js';
import { startTestServer, type TestServer } from '../src/test-support/test-server.js';
import { reportFigure } from './bench-result.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const USER = 'anna.berger@contoso.example';
const MAIL_SUBJECT = 'Offer 2026-117 for Northwind with price list';

/**
 * In every frame: when the add-in's button is clicked, and when a frame with a target in it was
 * drawn. A string, as the browser runs it: a compiled function could call the compiler's helpers.
 */
const MARK_PANE_MOMENTS = `(() => {
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-testid="open-addin"]'))
      window.openClickedAt = performance.timeOrigin + event.timeStamp;
  }, true);
  function visibleTarget() {
    const button = document.querySelector('[data-testid="transfer-target"]');
    return button !== null && button.getBoundingClientRect().height > 0 && button.checkVisibility();
  }
  const watch = new MutationObserver(() => {
    if (!visibleTarget()) return;
    watch.disconnect();
    // The frame that shows it: an animation frame's callback runs before it is drawn, a task queued
    // from there after.
    requestAnimationFrame(() => setTimeout(() => {
      window.targetDrawnAt = performance.timeOrigin + performance.now();
    }));
  });
  document.addEventListener('DOMContentLoaded', () =>
    watch.observe(document.body, { subtree: true, childList: true, attributes: true }));
})()`;

interface OneOpen {
  /** From the click to the first frame drawn with a target, as the browser saw it. */
  inBrowser: number;
  /** From before Playwright's click to its finding the target. */
  byPlaywright: number;
}

async function timeOneOpen(browser: Browser, server: TestServer): Promise<OneOpen> {
  const context = await browser.newContext({ locale: 'en-GB' });
  try {
    await context.addInitScript(MARK_PANE_MOMENTS);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await page.locator('button[name="emulator_user"]', { hasText: USER }).click();
    await page.getByTestId('mail-item').filter({ hasText: MAIL_SUBJECT }).click();
    await page.getByTestId('reading-pane').getByText(MAIL_SUBJECT).first().waitFor();

    const started = performance.now();
    await page.getByTestId('open-addin').click();
    await page
      .frameLocator('[data-testid="addin-frame"]')
      .getByTestId('transfer-target')
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    const byPlaywright = performance.now() - started;
    const clickedAt = (await page.evaluate('window.openClickedAt')) as number | undefined;
    const pane = page.frames().find((frame) => frame.url().includes('/addin'));
    const drawnAt = (await pane
      ?.waitForFunction('window.targetDrawnAt')
      .then((handle) => handle.jsonValue())) as number | undefined;
    if (clickedAt === undefined || drawnAt === undefined) throw new Error('the pane was not timed');
    return { inBrowser: drawnAt - clickedAt, byPlaywright };
  } finally {
    await context.close();
  }
}

function percentile(sorted: number[], share: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const server = await startTestServer();
  const browser = await launchOwnChromium();
  try {
    // Once untimed: the server's first bootstrap for the tenant fills its caches, as any earlier
    // user of the organisation would have.
    await timeOneOpen(browser, server);
    const opens: OneOpen[] = [];
    for (let run = 0; run < RUNS; run++) opens.push(await timeOneOpen(browser, server));
    const times = opens.map((open) => open.inBrowser).sort((a, b) => a - b);
    const median = percentile(times, 0.5);
    const slowest = times.at(-1) ?? Number.NaN;
    const seen = opens.map((open) => open.byPlaywright).sort((a, b) => a - b);
    reportFigure({
      name: 'add-in targets on screen after the pane opens, median',
      value: median,
      unit: 'ms',
      goal: { atMost: 800 },
    });
    reportFigure({
      name: 'add-in targets on screen after the pane opens, slowest',
      value: slowest,
      unit: 'ms',
    });
    console.log(
      `as Playwright saw it (its polling included): median ${percentile(seen, 0.5).toFixed(0)} ms, ` +
        `slowest ${(seen.at(-1) ?? Number.NaN).toFixed(0)} ms`,
    );
    console.log(
      `addin-pane: targets on screen ${median.toFixed(0)} ms after the pane opens (median of ${RUNS}, ` +
        `slowest ${slowest.toFixed(0)} ms; goal ≤ 800)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
