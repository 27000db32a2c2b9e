import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NORTHWIND_ADMIN_UPN, NORTHWIND_TENANT_ID } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * A marketplace purchase end to end in Debian's Chromium against a demo-mode server: bought on the
 * marketplace emulator's page for Northwind, activated on our landing page after Microsoft's (the
 * emulator's) sign-in, and an active subscription for Northwind's tenant with the seats bought.
 */

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the Microsoft marketplace in a browser', { timeout: 60_000 }, () => {
  it('buy in the marketplace → landing page → sign in with Microsoft → active subscription for that tenant → admin consent', async () => {
    await page.goto(`${server.baseUrl}/emulator/marketplace/?lang=en`);
    await page
      .getByLabel('Organisation (Microsoft tenant)')
      .selectOption({ label: 'Northwind Traders (Demo)' });
    await page.getByLabel('Plan', { exact: true }).selectOption('suite');
    await page.getByLabel('Users', { exact: true }).fill('7');
    await page.getByRole('button', { name: 'Buy and configure account' }).click();

    await page.waitForURL(/\/marketplace\/landing\?token=/);
    await expect(page.getByRole('heading', { name: 'Activate Mailissa' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('marketplace-plan').textContent()).resolves.toContain('Suite');
    await expect(page.getByTestId('marketplace-users').textContent()).resolves.toBe('7');

    await page.getByRole('button', { name: 'Sign in with Microsoft and activate' }).click();
    await page.getByRole('button', { name: new RegExp(NORTHWIND_ADMIN_UPN) }).click();
    await page.waitForURL(/\/marketplace\/landing\/callback/);
    await expect(page.getByTestId('marketplace-active').textContent()).resolves.toContain(
      'Mailissa Suite for 7 users',
    );

    const found = await server.database.db.query<{
      state: string;
      plan: string;
      seats_team: number;
      seats_transfer: number;
      marketplace_subscription_id: string | null;
    }>(
      `select s.state, s.plan, s.seats_team, s.seats_transfer, s.marketplace_subscription_id
         from subscriptions s join tenants t on t.id = s.tenant_id where t.microsoft_tenant_id = $1`,
      [NORTHWIND_TENANT_ID],
    );
    const bought = server.app.marketplaceEmulator.store.all()[0];
    expect(found.rows[0]).toEqual({
      state: 'active',
      plan: 'suite',
      seats_team: 7,
      seats_transfer: 7,
      marketplace_subscription_id: bought?.id,
    });
    expect(bought?.saasSubscriptionStatus).toBe('Subscribed');

    // Transfers need Northwind's admin consent: granted from the same page, on Microsoft's (the emulator's).
    await page.getByRole('button', { name: 'Grant admin consent' }).click();
    await page.getByRole('button', { name: new RegExp(`Accept as .*${NORTHWIND_ADMIN_UPN}`) }).click();
    await page.waitForURL(/\/marketplace\/consent\/callback/);
    await expect(page.getByRole('heading', { name: 'Admin consent granted' }).count()).resolves.toBe(1);
    const consent = await server.database.db.query<{ admin_consent_at: Date | null }>(
      'select admin_consent_at from tenants where microsoft_tenant_id = $1',
      [NORTHWIND_TENANT_ID],
    );
    expect(consent.rows[0]?.admin_consent_at).not.toBeNull();
  });
});
