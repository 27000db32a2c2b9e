import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_SECOND_USER_UPN } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { accessTokenFor, demoTenantId } from '../transfer/transfer-test-helpers.js';

// A server starts in about a minute on the shared, loaded test machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

/**
 * The portal's rights screens in Chromium (issue 13, parts 1, 5 and 6): a tenant administrator ends
 * the tenancy in the Settings tab and withdraws it, downloads and objects under "Your data" (in
 * German), and exports and erases a departed employee from the users view, whose requests then show.
 */
const ADMIN = 'anna.berger@contoso.example';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  // Jonas has used Mailissa once, so the users view lists him.
  await accessTokenFor(server, server.app.emulator.ids.demoTenantId, ADMIN);
  await accessTokenFor(server, server.app.emulator.ids.demoTenantId, DEMO_SECOND_USER_UPN);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedInPortal(locale: string): Promise<Page> {
  const context = await browser.newContext({ locale, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/portal/`);
  await page.getByTestId('portal-sign-in').click();
  await page.locator('button[name="emulator_user"]', { hasText: ADMIN }).click();
  await page.getByRole('heading', { level: 1 }).waitFor({ timeout: 30_000 });
  return page;
}

async function downloadedJson<T>(page: Page, click: () => Promise<void>): Promise<T> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as T;
}

describe('rights screens of the portal', () => {
  it('a tenant administrator sees what the end of the tenancy deletes, confirms it with its date, and withdraws it', async () => {
    const page = await signedInPortal('en-GB');
    const tenantId = await demoTenantId(server);
    await page.getByTestId('tab-settings').click();
    const section = page.getByTestId('tenancy-end');
    await expect.poll(() => section.getByTestId('tenancy-deletes').textContent()).toContain('users');

    const exported = await downloadedJson<{ tables: { table: string }[] }>(page, () =>
      section.getByRole('link', { name: 'Download the organisation’s data (JSON)' }).click(),
    );
    expect(exported.tables.map((table) => table.table)).toEqual(
      expect.arrayContaining(['tenants', 'users', 'subscriptions']),
    );

    await section.getByTestId('tenancy-end-button').click();
    const dialog = page.getByTestId('tenancy-confirm');
    await expect(dialog.textContent()).resolves.toContain('Contoso');
    await dialog.getByRole('button', { name: 'End the tenancy' }).click();
    await expect.poll(() => section.getByTestId('tenancy-ending').textContent()).toMatch(/deleted on/);
    const ending = await server.database.db.query<{ delete_after: Date }>(
      'select delete_after from tenancy_endings where tenant_id = $1',
      [tenantId],
    );
    expect(ending.rows).toHaveLength(1);

    await section.getByTestId('tenancy-withdraw').click();
    await expect.poll(() => section.getByTestId('tenancy-end-button').count()).toBe(1);
    expect(
      (await server.database.db.query('select 1 from tenancy_endings where tenant_id = $1', [tenantId]))
        .rowCount,
    ).toBe(0);
    await page.context().close();
  });

  it('“Ihre Daten”: downloads everything about the administrator, objects to the usage log and withdraws it', async () => {
    const page = await signedInPortal('de-DE');
    await page.getByRole('tab', { name: 'Ihre Daten' }).click();
    const mine = page.getByTestId('your-data');
    await mine.waitFor();
    const data = await downloadedJson<{ tables: { table: string; rows: { email?: string }[] }[] }>(page, () =>
      mine.getByRole('button', { name: 'Als JSON herunterladen' }).click(),
    );
    expect(data.tables.find((table) => table.table === 'users')?.rows[0]?.email).toBe(ADMIN);

    await mine.getByRole('button', { name: 'Dieser Verarbeitung widersprechen' }).click();
    await expect.poll(() => mine.textContent()).toContain('widersprochen');
    const objections = () =>
      server.database.db.query(
        `select 1 from processing_objections o join users u on u.id = o.user_id where u.email = $1`,
        [ADMIN],
      );
    expect((await objections()).rowCount).toBe(1);
    await mine.getByRole('button', { name: 'Widerspruch zurücknehmen' }).click();
    await expect.poll(async () => (await objections()).rowCount).toBe(0);
    await page.context().close();
  });

  it("a user administrator exports and erases a departed employee's data, and sees those requests", async () => {
    const page = await signedInPortal('en-GB');
    const row = page.getByRole('row').filter({ hasText: DEMO_SECOND_USER_UPN });
    await row.waitFor();
    const exported = await downloadedJson<{ tables: { table: string; rows: { email?: string }[] }[] }>(
      page,
      () => row.getByTestId('export-user-data').click(),
    );
    expect(exported.tables.find((table) => table.table === 'users')?.rows[0]?.email).toBe(
      DEMO_SECOND_USER_UPN,
    );

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByTestId('erase-user-data').click();
    await expect.poll(() => row.count()).toBe(0);
    expect(
      (await server.database.db.query('select 1 from users where email = $1', [DEMO_SECOND_USER_UPN]))
        .rowCount,
    ).toBe(0);

    await page.getByRole('tab', { name: 'Your data' }).click();
    const requests = page.getByTestId('tenant-requests');
    await expect.poll(() => requests.textContent()).toMatch(/Erasure \(Art\. 17\)/);
    await expect(requests.textContent()).resolves.toMatch(/Access \(Art\. 15\/20\)/);
    await page.context().close();
  });
});
