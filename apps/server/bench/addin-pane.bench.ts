/**
 * `npm run bench:addin-pane`: how long after the add-in's pane opens in Outlook its targets are on
 * screen (issue 15: ≤ 800 ms), in Debian's Chromium against a demo-mode server. Each run is a new
 * browser profile (nothing cached: the pane's first open of an Outlook session); the Outlook
 * emulator's sign-in and the choice of the mail come before the clock starts, the click on the
 * add-in's button starts it, and the first target button visible in the pane stops it. The pane's
 * own sign-in (nested app authentication), its bootstrap request and its scripts are all inside.
 * Uses whatever `apps/web/dist` holds (`npm run bench` builds it for production first).
 */

import type { Browser } from 'playwright-core';
import { launchOwnChromium } from '../src/test-support/chromium.js';
import { startTestServer, type TestServer } from '../src/test-support/test-server.js';
import { reportFigure } from './bench-result.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const USER = 'anna.berger@contoso.example';
const MAIL_SUBJECT = 'Offer 2026-117 for Northwind with price list';

async function timeOneOpen(browser: Browser, server: TestServer): Promise<number> {
  const context = await browser.newContext({ locale: 'en-GB' });
  try {
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
    return performance.now() - started;
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
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) times.push(await timeOneOpen(browser, server));
    times.sort((a, b) => a - b);
    const median = percentile(times, 0.5);
    const slowest = times.at(-1) ?? Number.NaN;
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
      `addin-pane: targets on screen ${median.toFixed(0)} ms after the pane opens (median of ${RUNS}, ` +
        `slowest ${slowest.toFixed(0)} ms; goal ≤ 800)`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
