import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, OPERATOR_USER_UPN, signInWithEmulator } from '../demo/emulators.js';
import { launchChromium, screenshot } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The add-in's and the portal's other screens, in Chromium against a real server in demo mode: a
 * user beyond the trial's 15 seats sees who can give them a licence (in German, following Outlook's
 * display language) and is turned away from the portal; a user whom Microsoft 365 no longer signs in
 * quietly is asked to sign in, and an add-in that could not reach the server starts on "Try again".
 * The inactivity sign-out is tested in
 * web-session/idle-sign-out.e2e.test.ts.
 */
const DOMAIN = 'contoso.example';
/** The demo tenant's trial has 15 seats; these users take them, the first becomes administrator. */
const LICENSED = [
  'anna.berger',
  'jonas.weber',
  'lena.fischer',
  'maximilian.schaefer',
  'sophie.wagner',
  'lukas.becker',
  'marie.hoffmann',
  'felix.schulz',
  'emma.koch',
  'paul.richter',
  'hannah.klein',
  'leon.wolf',
  'mia.schroeder',
  'noah.neumann',
  'laura.schwarz',
];
const UNLICENSED = `david.lange@${DOMAIN}`;

let browser: Browser;

async function signInViaEmulatorPage(page: Page, user: string): Promise<void> {
  await page.locator('button[name="emulator_user"]', { hasText: user }).click();
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('screens beyond the happy path', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('tells a user without a licence whom to ask, in German, and keeps them out of the portal', async () => {
    // Fill the trial's seats: every user gets a licence at first sign-in while seats last.
    for (const local of LICENSED) {
      const tokens = await signInWithEmulator({
        baseUrl: server.baseUrl,
        tenantId: DEMO_TENANT_ID,
        user: `${local}@${DOMAIN}`,
        scope: `api://${server.config.entra.clientId}/access_as_user`,
        clientId: server.config.entra.clientId,
      });
      const me = await fetch(`${server.baseUrl}/api/me`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(me.status).toBe(200);
    }

    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries())
        await screenshot(open, `states-failure-${index}`);
    });
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await signInViaEmulatorPage(page, UNLICENSED);
    await page.getByTestId('mail-item').first().click();
    await page.getByTestId('open-addin').click();
    const addin = page.frameLocator('[data-testid="addin-frame"]');
    const noLicence = addin.getByTestId('addin-no-licence');
    await noLicence.waitFor({ timeout: 60_000 });
    // German, as Outlook's display language is; and the administrator who can help.
    expect(await noLicence.textContent()).toContain('Sie haben keine Lizenz für Transfer');
    expect(await noLicence.textContent()).toContain('Anna Berger');
    expect(await noLicence.locator('a[href="mailto:anna.berger@contoso.example"]').count()).toBe(1);
    await screenshot(page, '10-addin-no-licence-de');

    const portal = await context.newPage();
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await signInViaEmulatorPage(portal, UNLICENSED);
    await portal.getByTestId('portal-admins-only').waitFor({ timeout: 30_000 });
    expect(await portal.getByTestId('portal-admins-only').textContent()).toContain('Nur für Administratoren');
    await screenshot(portal, '11-portal-administrators-only-de');
    await context.close();
  });

  // Anna holds a seat whichever test runs first: she is among the users the test above licenses.
  const USER = `anna.berger@${DOMAIN}`;
  const TARGET_TITLE = 'Contracts 2026';

  /** Outlook (the emulator) signed in as the demo user, a mail selected, the add-in not open yet. */
  async function outlookWithMailSelected(page: Page): Promise<void> {
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await signInViaEmulatorPage(page, USER);
    await page.getByTestId('mail-item').first().click();
  }

  it('asks the user to sign in when Microsoft 365 refuses a quiet sign-in, and gets in with the button', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'needs-sign-in-failure'));
    await outlookWithMailSelected(page);

    // The identity provider refuses to renew the session quietly, as Entra ID does after the user's
    // sessions were revoked: Outlook (the broker) tells the add-in that only the user can sign in.
    const refused: string[] = [];
    await page.route('**/oauth2/v2.0/token', async (route) => {
      refused.push(route.request().url());
      await route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: 'invalid_grant',
          error_description: 'AADSTS50173: The provided grant has expired due to it being revoked.',
        }),
      });
    });
    await page.getByTestId('open-addin').click();
    const addin = page.frameLocator('[data-testid="addin-frame"]');
    const needsSignIn = addin.getByTestId('addin-needs-sign-in');
    await needsSignIn.waitFor({ timeout: 60_000 });
    expect(refused.length).toBeGreaterThan(0);
    expect(await needsSignIn.textContent()).toContain('Sign in with your Microsoft 365 account');
    expect(await addin.getByTestId('transfer-target').count()).toBe(0);
    await screenshot(page, '15-addin-needs-sign-in');

    // Signing in works again: the button gets the user in, with their targets.
    await page.unroute('**/oauth2/v2.0/token');
    await needsSignIn.getByRole('button', { name: 'Sign in' }).click();
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET_TITLE }).waitFor({ timeout: 60_000 });
    expect(await addin.getByTestId('addin-user').textContent()).toBe('Anna Berger');
    expect(await addin.getByTestId('addin-needs-sign-in').count()).toBe(0);
    await context.close();
  });

  it('says that it could not start when the server cannot be reached, and starts on "Try again"', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'could-not-start-failure'));
    await outlookWithMailSelected(page);

    // The add-in's first request after signing in does not get through (a network down on the way).
    let refused = 0;
    await page.route('**/api/bootstrap*', async (route) => {
      refused += 1;
      await route.abort('connectionrefused');
    });
    await page.getByTestId('open-addin').click();
    const addin = page.frameLocator('[data-testid="addin-frame"]');
    const failed = addin.getByTestId('addin-error');
    await failed.waitFor({ timeout: 60_000 });
    expect(refused).toBeGreaterThan(0);
    // German, as Outlook's display language is.
    expect(await failed.textContent()).toContain('Mailissa konnte nicht starten');
    await screenshot(page, '16-addin-could-not-start-de');

    // The network is back: "Try again" starts the add-in without reopening it.
    await page.unroute('**/api/bootstrap*');
    await failed.getByRole('button', { name: 'Erneut versuchen' }).click();
    // The target's German title.
    await addin
      .getByTestId('transfer-target')
      .filter({ hasText: 'Verträge 2026' })
      .waitFor({ timeout: 60_000 });
    expect(await addin.getByTestId('addin-error').count()).toBe(0);
    await context.close();
  });
});

describe('an organisation without a subscription', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends its users to the registration from the add-in', async () => {
    // The operator's own tenant buys no Mailissa: its users have no subscription.
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'no-subscription-failure'));
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Mailissa Operations' }).click();
    await signInViaEmulatorPage(page, OPERATOR_USER_UPN);
    await page.getByTestId('mail-item').first().click();
    await page.getByTestId('open-addin').click();
    const addin = page.frameLocator('[data-testid="addin-frame"]');
    const screen = addin.getByTestId('addin-no-subscription');
    await screen.waitFor({ timeout: 60_000 });
    expect(await screen.textContent()).toContain('no Mailissa subscription');
    expect(await screen.getByRole('link').getAttribute('href')).toBe(server.config.registrationUrl);
    await screenshot(page, '14-addin-no-subscription');
    await context.close();
  });
});
