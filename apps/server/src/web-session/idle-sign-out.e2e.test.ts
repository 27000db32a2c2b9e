import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchChromium, screenshot } from '../test-support/chromium.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';

/**
 * The inactivity sign-out of the portal and the operator console, in Chromium against a real server
 * in demo mode with the default 30 minutes. Time is moved, not waited for: Playwright's clock in the
 * page and the server's injectable clock jump by the same amounts. The server is asked directly
 * whether the session is still alive at moments when only a working keep-alive can have kept it.
 */
const MINUTE = 60_000;
const IDLE_MS = 30 * MINUTE;

let browser: Browser;
let server: TestServer;
let clock: TestClock;

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ now: clock.now });
  browser = await launchChromium();
  // A busy machine may take minutes to start Chromium and a server in demo mode.
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Moves the page's and the server's time forward together, like a laptop lid closed for `ms`. */
async function skip(page: Page, ms: number): Promise<void> {
  clock.advance(ms);
  await page.clock.fastForward(ms);
}

/** What the server says of the page's session right now (200 alive, 401 ended). */
function sessionStatus(page: Page, app: string): Promise<number> {
  return page.evaluate(async (name) => (await fetch(`/auth/session?app=${name}`)).status, app);
}

const SURFACES = [
  { app: 'portal', user: 'anna.berger@contoso.example', inactive: 'inactive', shot: '12-portal-idle' },
  { app: 'operator', user: 'Olga Operator', inactive: 'inactivity', shot: 'operator-idle' },
] as const;

describe.each(SURFACES)('the $app after inactivity', ({ app, user, inactive, shot }) => {
  it('keeps the session alive on activity and on request, and signs out when the time has passed', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, `${shot}-failure`));
    // Flows from real time, in step with the server's clock, until the test skips ahead.
    await page.clock.install();
    await page.goto(`${server.baseUrl}/${app}/`);
    await page.getByTestId(`${app}-sign-in`).click();
    await page.locator('button[name="emulator_user"]', { hasText: user }).click();
    await page.getByTestId(`${app}-user`).waitFor({ timeout: 30_000 });
    const keepAlive = () =>
      page.waitForResponse((response) => response.url().includes('/auth/session/keepalive'));

    // Activity (the mouse moves), then two quiet minutes: the page sends a keep-alive on its own.
    await page.mouse.move(200, 200);
    await page.mouse.move(300, 250);
    const byActivity = keepAlive();
    await skip(page, 2 * MINUTE);
    expect((await byActivity).status()).toBe(200);

    // Quiet until 50 s before the timeout the keep-alive set: a warning with a countdown. The server
    // still knows the session only because the keep-alive reached it (sign-in was 31 minutes ago).
    await skip(page, IDLE_MS - 50_000);
    const warning = page.getByTestId('idle-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/signed out in \d+ seconds?/);
    expect(await sessionStatus(page, app)).toBe(200);
    await screenshot(page, `${shot}-warning`);

    // "Stay signed in" resets the server's timer: alive past the deadline the warning counted to.
    const onRequest = keepAlive();
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    expect((await onRequest).status()).toBe(200);
    await warning.waitFor({ state: 'hidden' });
    await skip(page, 5 * MINUTE);
    expect(await sessionStatus(page, app)).toBe(200);
    expect(await warning.isVisible()).toBe(false);

    // No more activity: warned again, then signed out, on the server too.
    await skip(page, IDLE_MS - 5 * MINUTE - 30_000);
    await warning.waitFor();
    await skip(page, 31_000);
    const signedOut = page.getByTestId(`${app}-signed-out`);
    await signedOut.waitFor();
    expect(await signedOut.textContent()).toContain(inactive);
    expect(await sessionStatus(page, app)).toBe(401);
    await screenshot(page, `${shot}-signed-out`);
    await context.close();
  });
});
