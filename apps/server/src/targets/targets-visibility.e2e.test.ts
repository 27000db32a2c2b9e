import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, signInWithEmulator } from '../demo/emulators.js';
import { launchChromium, screenshot } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { demoTenantId, findMail } from '../transfer/transfer-test-helpers.js';
import { createWebSession } from '../web-session/web-session.store.js';

/**
 * A tenant administrator creates a SharePoint target through the picker and restricts it to the
 * Engineering group; Elias (Platform Team, nested in Engineering) sees it in the add-in inside the
 * Outlook emulator, Jonas (Sales) does not and gets 404 when transferring to it; a user
 * administrator cannot create targets. Chromium against a real server in demo mode.
 */
const ANNA = 'anna.berger@contoso.example';
const ELIAS = 'elias.zimmermann@contoso.example';
const JONAS = 'jonas.weber@contoso.example';

let browser: Browser;
let server: TestServer;
const tokens: Record<string, string> = {};

async function openAddinAs(page: Page, user: string) {
  await page.goto(`${server.baseUrl}/emulator/outlook/`);
  await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await page.locator('button[name="emulator_user"]', { hasText: user }).click();
  await page.getByTestId('mail-item').first().click();
  await page.getByTestId('open-addin').click();
  const addin = page.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('transfer-target').first().waitFor({ timeout: 60_000 });
  return addin;
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  // Anna first (she becomes administrator), then the two others; the trial gives each a licence.
  for (const user of [ANNA, ELIAS, JONAS]) {
    const signedIn = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user,
      scope: `api://${server.config.entra.clientId}/access_as_user`,
      clientId: server.config.entra.clientId,
    });
    tokens[user] = signedIn.accessToken;
    expect(
      (
        await fetch(`${server.baseUrl}/api/me`, {
          headers: { authorization: `Bearer ${signedIn.accessToken}` },
        })
      ).status,
    ).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

describe('targets with visibility per group', () => {
  it('is created through the SharePoint picker, restricted to a group, and seen only by its (nested) members', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    const portal = await context.newPage();
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries())
        await screenshot(open, `targets-failure-${index}`);
    });
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByRole('tab', { name: 'Targets' }).click();
    await portal.getByTestId('new-target').click();
    const dialog = portal.getByTestId('target-dialog');
    await dialog.getByTestId('title-en').fill('Specifications');
    await dialog.getByTestId('title-de').fill('Spezifikationen');
    await dialog.getByTestId('open-picker').click();
    const picker = dialog.getByTestId('sharepoint-picker');
    await picker.getByRole('button', { name: /team site/ }).click();
    await picker.getByRole('button', { name: 'Documents' }).click();
    await picker.getByRole('button', { name: 'Projects' }).click();
    await picker.getByRole('button', { name: 'Beta' }).click();
    await picker.getByTestId('picker-choose').click();
    expect(await dialog.getByTestId('picked-folder').textContent()).toContain('Documents / Projects/Beta');
    await dialog.getByTestId('test-connection').click();
    await dialog.getByTestId('test-result').waitFor();
    expect(await dialog.getByTestId('test-result').textContent()).toContain('Works');
    await screenshot(portal, '40-portal-new-target');
    await dialog.getByTestId('save-target').click();
    const row = portal.getByTestId('target-row').filter({ hasText: 'Specifications' });
    await row.waitFor();

    await row.getByTestId('target-visibility').click();
    const visibility = portal.getByTestId('visibility-dialog');
    await visibility.getByRole('radio', { name: /Only the users and groups/ }).check();
    await visibility.getByTestId('directory-search').fill('Engin');
    await visibility.getByRole('button', { name: 'Add Engineering' }).click();
    await screenshot(portal, '41-portal-visibility');
    await visibility.getByTestId('visibility-save').click();
    await row.filter({ hasText: 'Engineering' }).waitFor();

    const targetId = (
      await server.database.db.query<{ id: string }>(
        `select id from targets where title_en = 'Specifications'`,
      )
    ).rows[0]?.id;
    expect(targetId).toBeDefined();

    // Elias is in the Platform Team, which is a member of Engineering: he sees it.
    const eliasPage = await context.newPage();
    const eliasAddin = await openAddinAs(eliasPage, ELIAS);
    await eliasAddin.getByTestId('transfer-target').filter({ hasText: 'Specifications' }).waitFor();
    await screenshot(eliasPage, '42-addin-member-sees-target');

    // Jonas (Sales) does not, and transferring to it is as if it did not exist.
    const jonasPage = await context.newPage();
    const jonasAddin = await openAddinAs(jonasPage, JONAS);
    const jonasTargets = await jonasAddin.getByTestId('transfer-target').allTextContents();
    expect(jonasTargets.length).toBeGreaterThan(0);
    expect(jonasTargets.join(' ')).not.toContain('Specifications');
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const refused = await fetch(`${server.baseUrl}/api/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[JONAS]}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messageId: mail.id, internetMessageId: mail.internetMessageId, targetId }),
    });
    expect(refused.status).toBe(404);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('target_not_found');
    await context.close();
  });

  it('refuses target creation to a user administrator (403)', async () => {
    const tenantId = await demoTenantId(server);
    const jonas = await server.database.db.query<{ id: string }>(
      `update users set is_user_admin = true, is_tenant_admin = false where tenant_id = $1 and email = $2 returning id`,
      [tenantId, JONAS],
    );
    const session = await createWebSession(
      server.database.db,
      { app: 'portal', tenantId, userId: jonas.rows[0]?.id ?? '', displayName: 'Jonas Weber' },
      new Date(),
    );
    const response = await fetch(`${server.baseUrl}/portal/api/targets`, {
      method: 'POST',
      headers: {
        cookie: `mailissa_portal=${session.token}`,
        'x-requested-with': 'mailissa',
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        connectorType: 'sharepoint',
        title: { en: 'Not allowed', de: 'Nicht erlaubt' },
        categoryId: null,
        settings: { driveId: server.app.emulator.ids.demoDriveId },
      }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'tenant_administrator_required',
    );
  });
});
