import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berlinParts } from '../billing/accounting/datev-export.js';
import {
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_TENANT_ID,
  NORTHWIND_USER_UPN,
  signInWithEmulator,
  waitForCaughtMail,
} from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * A new customer end to end in Debian's Chromium against a demo-mode server: from the pricing page
 * to a running trial for the emulator's Northwind tenant, whose users then get into the add-in's API.
 */
const BUYER = 'nora.lindqvist@northwind.example';

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('registration in a browser', { timeout: 180_000 }, () => {
  it('pricing → free trial → e-mail link → Microsoft 365 → company data → admin consent → trial → the add-in works', async () => {
    await page.goto(`${server.baseUrl}/pricing?lang=en`);
    await page.getByRole('link', { name: 'Start free trial of Transfer' }).click();
    await page.waitForURL(/\/register\?plan=transfer/);
    await expect(page.locator('.notice').textContent()).resolves.toContain('Chosen plan: Transfer');

    await page.getByLabel('Your full name').fill('Nora Lindqvist');
    await page.getByLabel('E-mail address').fill(BUYER);
    await page.getByRole('button', { name: 'Send confirmation link' }).click();
    await page.waitForURL(/\/register\/check-inbox/);

    // The link, read in the mail catcher as a person would.
    const mail = await waitForCaughtMail(server.baseUrl, BUYER);
    await page.goto(`${server.baseUrl}/emulator/mail`);
    await page.getByRole('link', { name: mail.subject }).click();
    const mailText = (await page.locator('pre.mail-text').textContent()) ?? '';
    const link = /(http:\/\/\S+\/register\/link\?\S+)/.exec(mailText)?.[1];
    expect(link).toBeDefined();
    await page.goto(link ?? '');
    await page.getByRole('button', { name: 'Confirm and sign in' }).click();
    await page.waitForURL(/\/register\/account/);
    await expect(page.getByText('Signed in as Nora Lindqvist').count()).resolves.toBe(1);

    // Connect Microsoft 365: the emulator's account picker, as Northwind's administrator.
    await page.getByRole('button', { name: 'Connect your Microsoft 365' }).click();
    await page.getByRole('button', { name: new RegExp(NORTHWIND_ADMIN_UPN) }).click();
    await page.waitForURL(/notice=connected/);
    await expect(page.getByTestId('consent-state').textContent()).resolves.toBe('Consent pending');

    await page.getByLabel('Company name').fill('Northwind Traders GmbH');
    await page.getByLabel('Street and number').fill('Hafenstraße 1');
    await page.getByLabel('Postal code').fill('20457');
    await page.getByLabel('City').fill('Hamburg');
    await page.getByLabel('Country').selectOption('DE');
    await page.getByLabel('VAT identification number (optional)').fill('DE136695976');
    await page.getByRole('button', { name: 'Save company data' }).click();
    await page.waitForURL(/notice=company_saved/);

    // Admin consent on Microsoft's (the emulator's) page.
    await page.getByRole('button', { name: 'Grant admin consent' }).click();
    await page.getByRole('button', { name: new RegExp(`Accept as .*${NORTHWIND_ADMIN_UPN}`) }).click();
    await page.waitForURL(/notice=consent_granted/);
    await expect(page.getByTestId('consent-state').textContent()).resolves.toBe('Granted');

    await page.getByLabel(/^Transfer — .*after the trial/).check();
    await page.getByRole('button', { name: 'Start free trial' }).click();
    await page.waitForURL(/notice=trial_started/);
    await expect(page.getByTestId('subscription-state').textContent()).resolves.toBe('Trial');

    // A Northwind user now gets into the add-in's API.
    const tokens = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: NORTHWIND_TENANT_ID,
      user: NORTHWIND_USER_UPN,
      scope: `api://${server.config.entra.clientId}/access_as_user`,
      clientId: server.config.entra.clientId,
    });
    const me = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(me.status).toBe(200);
  });

  it('chooses plan and users → pays on the payment emulator’s page → active subscription → invoice PDF', async () => {
    await page.goto(`${server.baseUrl}/register/account?lang=en`);
    await page.getByLabel(/^Transfer — .*per user and year/).check();
    await page.getByLabel('Yearly (two months free)').check();
    await page.getByLabel('Users', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/emulator\/stripe\/c\/pay\/cs_test_/);
    // 5 users × €60.00 a year, plus 19 % VAT.
    await expect(page.getByTestId('checkout-total').textContent()).resolves.toBe('€357.00');
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/register\/account\?notice=payment_done/);
    await expect(page.getByTestId('subscription-state').textContent()).resolves.toBe('Active');
    await expect(page.getByTestId('paid-seats').textContent()).resolves.toBe('5');

    const link = page.getByRole('link', { name: /^PDF \d{4}-\d{5}$/ });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const path = await download.path();
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.includes(Buffer.from('factur-x.xml'))).toBe(true);
    // The download is the PDF/A-3 file: its own fonts embedded, sRGB as output intent (decision 150).
    expect(bytes.includes(Buffer.from('/FontFile2'))).toBe(true);
    expect(bytes.includes(Buffer.from('/S /GTS_PDFA1'))).toBe(true);

    // The plan/term switch form: Transfer → Suite, yearly kept; prorated at the provider.
    await page.getByLabel(/^Suite — €8\.50 \/ €85\.00$/).check();
    await expect(page.getByLabel('Yearly (two months free)').isChecked()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Switch', exact: true }).click();
    await page.waitForURL(/notice=plan_changed/);
    await expect(
      page.locator('section[aria-labelledby="paid-title"] dd').first().textContent(),
    ).resolves.toBe('Suite');
  });

  it('the operator console: a bank transfer recorded, a credit note on the invoice, a trial extended, the DATEV file downloaded', async () => {
    // A second customer on a free trial, ending in five days.
    const db = server.database.db;
    const tenant = await db.query<{ id: string }>(
      `insert into tenants (microsoft_tenant_id, name) values (gen_random_uuid(), 'Trial Tenant') returning id`,
    );
    await db.query(
      `insert into subscriptions (tenant_id, plan, seats_team, seats_transfer, state, period_start, period_end)
       values ($1, 'team', 10, 0, 'trial', now(), now() + interval '5 days')`,
      [tenant.rows[0]?.id],
    );
    // A third customer buys on invoice (bank transfer), through the portal's form post.
    const transferTenant = await db.query<{ id: string }>(
      `insert into tenants (microsoft_tenant_id, name, admin_consent_at) values (gen_random_uuid(), 'Transfer Tenant', now())
       returning id`,
    );
    const account = await db.query<{ id: string }>(
      `insert into registration_accounts (email, full_name, language, created_at, email_confirmed_at, tenant_id,
          tenant_connected_at, company_name, street, postal_code, city, country, invoice_email, company_updated_at)
       values ('ap@transfer.example', 'Tom Transfer', 'en', now(), now(), $1, now(), 'Transfer GmbH', 'Weg 1',
               '10115', 'Berlin', 'DE', 'ap@transfer.example', now())
       returning id`,
      [transferTenant.rows[0]?.id],
    );
    const { createRegistrationSession, REGISTRATION_COOKIE } = await import('./registration-sessions.js');
    const registration = await createRegistrationSession(db, account.rows[0]?.id ?? '', new Date());
    const cookie = `${REGISTRATION_COOKIE}=${registration.token}`;
    const accountHtml = await (
      await fetch(`${server.baseUrl}/register/account`, { headers: { cookie } })
    ).text();
    const bought = await fetch(`${server.baseUrl}/register/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl, cookie },
      body: new URLSearchParams({
        csrf: /name="csrf" value="([^"]+)"/.exec(accountHtml)?.[1] ?? '',
        lang: 'en',
        plan: 'team',
        interval: 'month',
        seats: '2',
        payment: 'bank_transfer',
      }),
      redirect: 'manual',
    });
    expect(bought.headers.get('location')).toContain('notice=invoice_sent');

    const operator = await (await browser.newContext({ locale: 'en-GB' })).newPage();
    await operator.goto(`${server.baseUrl}/operator/`);
    await operator.getByTestId('operator-sign-in').click();
    await operator.getByRole('button', { name: /Olga Operator/ }).click();
    await operator.waitForURL(/\/operator\/$/);
    await operator.getByRole('tab', { name: 'Billing' }).click();

    // The credit-note form: €10 net of the invoice, confirmed in the dialog.
    const form = operator.getByTestId('credit-note-form');
    const invoiceSelect = form.getByLabel('Invoice');
    const northwind = await invoiceSelect.locator('option', { hasText: 'Northwind' }).getAttribute('value');
    await invoiceSelect.selectOption(northwind ?? '');
    await form.getByLabel('Reason (printed on the credit note)').fill('Goodwill for the outage');
    await form.getByLabel(/^Net amount in euros/).fill('10');
    await form.getByRole('button', { name: 'Issue credit note' }).click();
    await operator.getByRole('dialog').getByRole('button', { name: 'Issue credit note' }).click();
    await operator.getByText(/^Credit note CN-\d{4}-00001 issued: €11\.90 credited\.$/).waitFor();
    await operator
      .getByTestId('invoices')
      .getByText(/credited/)
      .waitFor();

    // The transfer arrived: recorded, confirmed first.
    const transfers = operator.getByTestId('open-transfers');
    await transfers
      .getByRole('row', { name: /Transfer GmbH/ })
      .getByRole('button', { name: 'Record payment' })
      .click();
    await operator.getByRole('dialog').getByRole('button', { name: 'Record payment' }).click();
    await operator.getByText(/^Invoice \d{4}-\d{5} is recorded as paid by bank transfer\.$/).waitFor();
    await operator.getByText('No bank transfer is open.').waitFor();
    await operator
      .getByTestId('invoices')
      .getByText(/ · bank transfer$/)
      .waitFor();

    // The trial: 7 more days, confirmed.
    const trial = operator.getByTestId('trials').getByRole('row', { name: /Trial Tenant/ });
    await trial.getByLabel('Days to add (1–30)').fill('7');
    await trial.getByRole('button', { name: 'Extend trial' }).click();
    await operator.getByRole('dialog').getByRole('button', { name: 'Extend trial' }).click();
    await operator.getByText(/^The trial of Trial Tenant now ends on /).waitFor();
    const ends = await db.query<{ days: number }>(
      `select round(extract(epoch from period_end - now()) / 86400)::int as days from subscriptions where tenant_id = $1`,
      [tenant.rows[0]?.id],
    );
    expect(ends.rows[0]?.days).toBe(12);

    // The accountant's file for this month: its days are calendar days in Germany, which near
    // midnight UTC are already tomorrow's.
    const { year, month, day } = berlinParts(new Date());
    const exportBox = operator.getByTestId('datev-export');
    await exportBox.getByLabel('From').fill(`${year}-${month}-01`);
    await exportBox.getByLabel('To').fill(`${year}-${month}-${day}`);
    const [file] = await Promise.all([
      operator.waitForEvent('download'),
      exportBox.getByRole('link', { name: 'Download DATEV file' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^EXTF_Buchungsstapel_\d{8}_\d{8}\.csv$/);
    const { readFile } = await import('node:fs/promises');
    const content = (await readFile(await file.path())).toString('latin1');
    expect(content.startsWith('"EXTF";700;21;"Buchungsstapel";13;')).toBe(true);
    expect(content).toMatch(/;"CN-\d{4}-00001";/);
    await operator.close();
  });
});
