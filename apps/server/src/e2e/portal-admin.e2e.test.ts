import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, signInWithEmulator } from '../demo/emulators.js';
import { launchChromium, SCREENSHOTS } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The portal's administration in Chromium against a real server in demo mode: the tenant's first
 * user (administrator) changes a setting, assigns a licence and grants a role; the audit tab shows
 * each change, its CSV export contains them, and the same view reads in German. The race for the
 * last seat is tested at the API (licensing/licensing.db.test.ts).
 */
const ADMIN = 'anna.berger@contoso.example';
const COLLEAGUE = 'jonas.weber@contoso.example';

let browser: Browser;
let server: TestServer;

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  browser = await launchChromium();
});

// Starting a server in demo mode (emulators included) takes a while on a busy machine.
beforeAll(async () => {
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

describe('portal administration', () => {
  it('changes a setting, assigns a licence and grants a role, each in the audit log and its CSV, in English and German', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'portal-admin-failure'));
    await page.goto(`${server.baseUrl}/portal/`);
    await page.getByTestId('portal-sign-in').click();
    await page.locator('button[name="emulator_user"]', { hasText: ADMIN }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
      .toContain('Mailissa administration');
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);

    // Settings: no automatic Transfer licence from now on, and a longer inactivity sign-out.
    await page.getByTestId('tab-settings').click();
    const autoTransfer = page.getByRole('checkbox', { name: 'Automatic Transfer licence' });
    await expect.poll(() => autoTransfer.isChecked()).toBe(true);
    await autoTransfer.uncheck();
    await page
      .getByLabel('Sign out of the portal after this many minutes without activity (3–60)')
      .fill('25');
    await page.getByTestId('save-settings').click();
    await expect.poll(() => page.getByTestId('settings-notice').textContent()).toBe('Settings saved.');

    // A colleague starts the add-in for the first time: with the setting off, no Transfer licence.
    const tokens = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: COLLEAGUE,
      scope: `api://${server.config.entra.clientId}/access_as_user`,
      clientId: server.config.entra.clientId,
    });
    const me = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(((await me.json()) as { licences: string[] }).licences).toEqual(['team']);

    // Users: find the colleague, give them Transfer, make them user administrator.
    await page.getByRole('tab', { name: 'Users' }).click();
    await expect.poll(() => page.getByTestId('seats-transfer').textContent()).toBe('1 of 15 Transfer');
    await page.getByLabel('Search by name or e-mail').fill('jonas');
    const row = page.getByTestId('user-row').filter({ hasText: COLLEAGUE });
    await expect.poll(() => page.getByTestId('user-row').count()).toBe(1);
    await row.getByRole('checkbox', { name: 'Select Jonas Weber' }).check();
    await page.getByTestId('licence-module').selectOption('transfer');
    await page.getByTestId('assign-licence').click();
    await expect.poll(() => page.getByTestId('users-notice').textContent()).toBe('1 licence changed.');
    await expect.poll(() => row.getByTestId('user-licences').textContent()).toBe('Team, Transfer');
    await expect.poll(() => page.getByTestId('seats-transfer').textContent()).toBe('2 of 15 Transfer');
    // The switch shows the server's answer: it turns on once the role is granted.
    const roleSwitch = row.getByRole('switch', { name: 'User administrator: Jonas Weber' });
    await roleSwitch.click();
    await expect.poll(() => roleSwitch.isChecked()).toBe(true);
    await expect
      .poll(() => page.getByTestId('users-notice').textContent())
      .toBe('Roles of Jonas Weber changed.');
    await screenshot(page, '20-portal-users-en');

    // Audit: each change, newest first, and the CSV export holds the same.
    await page.getByTestId('tab-audit').click();
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('Role granted'),
      expect.stringContaining('Licence assigned'),
      expect.stringContaining('Settings changed'),
    ]);
    await screenshot(page, '21-portal-audit-en');
    const href = (await page.getByTestId('audit-export').getAttribute('href')) ?? '';
    const csv = await page.request.get(`${server.baseUrl}${href}`);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const csvText = await csv.text();
    for (const action of ['role.granted', 'licence.assigned', 'setting.changed'])
      expect(csvText).toContain(`,${action},`);
    expect(csvText).toContain('Jonas Weber <jonas.weber@contoso.example>');
    expect(csvText).toContain('""portalIdleMinutes"":25');

    // Filtered to one action, the list and the export narrow alike.
    await page.getByTestId('audit-action').selectOption('licence.assigned');
    await expect.poll(() => rows.count()).toBe(1);
    const filteredHref = (await page.getByTestId('audit-export').getAttribute('href')) ?? '';
    const filteredCsv = await (await page.request.get(`${server.baseUrl}${filteredHref}`)).text();
    expect(filteredCsv.trimEnd().split('\r\n')).toHaveLength(2);

    // The same view in German.
    await page.getByTestId('audit-action').selectOption('');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Protokoll');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('Rolle erteilt'),
      expect.stringContaining('Lizenz zugewiesen'),
      expect.stringContaining('Einstellungen geändert'),
    ]);
    expect(await page.getByTestId('audit-export').textContent()).toBe('CSV herunterladen');
    await screenshot(page, '22-portal-audit-de');
    await context.close();
  });

  it('shows a user who is no administrator who their administrators are', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    onTestFailed(async () => screenshot(page, 'portal-admins-page-failure'));
    await page.goto(`${server.baseUrl}/portal/`);
    await page.getByTestId('portal-sign-in').click();
    await page.locator('button[name="emulator_user"]', { hasText: 'lena.fischer@contoso.example' }).click();
    const list = page.getByTestId('tenant-administrators');
    await list.waitFor({ timeout: 30_000 });
    expect(await list.textContent()).toContain('Anna Berger');
    expect(await page.getByTestId('user-administrators').textContent()).toContain('Jonas Weber');
    expect(await list.getByRole('link', { name: ADMIN }).getAttribute('href')).toBe(`mailto:${ADMIN}`);
    expect(await page.getByRole('main').count()).toBe(1);
    await context.close();
  });
});
