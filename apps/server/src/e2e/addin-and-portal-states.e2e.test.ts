import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, OPERATOR_USER_UPN, signInWithEmulator } from '../demo/emulators.js';
import { launchChromium, screenshot } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The add-in's and the portal's other screens, in Chromium against a real server in demo mode: a
 * user beyond the trial's 15 seats sees who can give them a licence (in German, following Outlook's
 * display language) and is turned away from the portal. The inactivity sign-out is tested in
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
