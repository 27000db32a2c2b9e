import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { axeViolations } from '../test-support/axe.js';
import { launchChromium, SCREENSHOTS } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The portal's quality in Chromium (issue 8, part 9): axe-core, injected into each screen, finds no
 * serious or critical violation; the Users and Settings screens read in German for a German browser;
 * and a browser in a language we do not speak gets the organisation's default language (part 8).
 */
const ADMIN = 'anna.berger@contoso.example';
const NOT_AN_ADMIN = 'lena.fischer@contoso.example';

let browser: Browser;
let server: TestServer;

async function screenshot(page: Page, name: string): Promise<void> {
  // A check that fails after its browser context is closed has no page left to show.
  if (page.isClosed()) return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, user: string): Promise<void> {
  await page.goto(`${server.baseUrl}/portal/`);
  await page.getByTestId('portal-sign-in').click();
  await page.locator('button[name="emulator_user"]', { hasText: user }).click();
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  browser = await launchChromium();
});

beforeAll(async () => {
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

describe('portal quality', () => {
  it('has no serious or critical axe-core violation on any screen', async () => {
    // axe goes in through the debugger protocol: the pages keep their content security policy.
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'portal-axe-failure'));
    const violations: string[] = [];
    await page.goto(`${server.baseUrl}/portal/`);
    await page.getByTestId('portal-sign-in').waitFor();
    violations.push(...(await axeViolations(page, 'sign-in')));

    await page.getByTestId('portal-sign-in').click();
    await page.locator('button[name="emulator_user"]', { hasText: ADMIN }).click();
    await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
    const tabs = page.getByRole('tab');
    await tabs.first().waitFor();
    const count = await tabs.count();
    expect(count).toBeGreaterThanOrEqual(8);
    for (let index = 0; index < count; index += 1) {
      await tabs.nth(index).click();
      await page.waitForLoadState('networkidle');
      violations.push(...(await axeViolations(page, `tab ${index + 1}`)));
    }
    await context.close();

    // A user who is no administrator sees who the administrators are.
    const plain = await browser.newContext({ locale: 'en-GB' });
    const other = await plain.newPage();
    await signIn(other, NOT_AN_ADMIN);
    await other.getByTestId('tenant-administrators').waitFor({ timeout: 30_000 });
    violations.push(...(await axeViolations(other, 'administrators')));
    await plain.close();
    expect(violations).toEqual([]);
  });

  it('reads Users and Settings in German for a German browser, and a French one gets the default language', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'portal-german-failure'));
    await page.goto(`${server.baseUrl}/portal/`);
    expect(await page.getByTestId('portal-sign-in').textContent()).toBe('Mit Microsoft anmelden');
    await page.getByTestId('portal-sign-in').click();
    await page.locator('button[name="emulator_user"]', { hasText: ADMIN }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
      .toContain('Mailissa-Verwaltung für');
    expect(await page.locator('html').getAttribute('lang')).toBe('de');

    // Users: German labels, seat summary and paging.
    await page.getByRole('tab', { name: 'Benutzer' }).click();
    await page.getByLabel('Nach Name oder E-Mail suchen').waitFor();
    await expect
      .poll(() => page.getByTestId('seats-transfer').textContent())
      .toMatch(/^\d+ von \d+ Transfer$/);
    expect(await page.getByRole('button', { name: 'Lizenz zuweisen' }).count()).toBe(1);
    await screenshot(page, '30-portal-users-de');

    // Settings: German labels; the administrator makes German the organisation's language.
    await page.getByTestId('tab-settings').click();
    await page.getByLabel('Sprache für neue Benutzer').waitFor();
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Einstellungen');
    expect(await page.getByTestId('save-settings').textContent()).toBe('Einstellungen speichern');
    expect(await page.getByText('Ende der Nutzung').count()).toBeGreaterThan(0);
    await page.getByTestId('default-language').selectOption('de');
    await page.getByTestId('save-settings').click();
    await expect
      .poll(() => page.getByTestId('settings-notice').textContent())
      .toBe('Einstellungen gespeichert.');
    await screenshot(page, '31-portal-settings-de');
    await context.close();

    // A French browser: not a language of ours, so the organisation's German after sign-in.
    const french = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const frenchPage = await french.newPage();
    await signIn(frenchPage, ADMIN);
    await expect
      .poll(() => frenchPage.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
      .toContain('Mailissa-Verwaltung für');
    await french.close();
  });
});
