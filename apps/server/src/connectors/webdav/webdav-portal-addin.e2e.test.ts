import { execFileSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID } from '../../demo/emulators.js';
import { type ApacheWebDav, startApacheWebDav } from '../../test-support/apache-webdav.js';
import { finishedTransferState, launchChromium, screenshot } from '../../test-support/chromium.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { emulatorTokenFor } from '../../transfer/transfer-test-helpers.js';

/**
 * WebDAV end to end in Debian's Chromium: a tenant administrator creates a WebDAV target in the portal
 * pointing at a real Apache httpd with mod_dav (started here on loopback, allowed by demo mode's
 * explicit allow-list as the emulators are); a user opens the add-in in the Outlook emulator, is asked
 * to connect their own WebDAV account, connects it, and transfers a mail — the files are then read back
 * from Apache over WebDAV, byte-identical to the mailbox's. A target at a loopback or metadata address
 * that is not on the allow-list is refused in the portal with a message naming the field.
 */
const ANNA = 'anna.berger@contoso.example';
const MAIL = 'Offer 2026-117 for Northwind with price list';
const TARGET = 'Nextcloud offers';
const FOLDER = 'Mail/Offers';

let apache: ApacheWebDav;
let server: TestServer;
let browser: Browser;

/** A token of the demo user for `scope`, through the emulator's real authorize and token endpoints. */
const emulatorToken = (scope: string) => emulatorTokenFor(server, DEMO_TENANT_ID, ANNA, scope);

async function bytes(url: string, authorization: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { authorization } });
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Opens the portal's target dialog as Anna, a WebDAV target with the given title and address filled in. */
async function newWebDavTarget(portal: Page, title: string, url: string) {
  await portal.getByTestId('new-target').click();
  const dialog = portal.getByTestId('target-dialog');
  await dialog.getByRole('combobox', { name: 'Connector' }).click();
  await portal.getByRole('option', { name: 'WebDAV (Nextcloud, ownCloud, …)' }).click();
  await dialog.getByTestId('title-en').fill(title);
  await dialog.getByTestId('title-de').fill(title);
  await dialog.getByLabel('WebDAV address').fill(url);
  await dialog.getByLabel('Folder', { exact: true }).fill(FOLDER);
  return dialog;
}

/** Changes the account's password on the Apache server; it reads the file on every request. */
function setPassword(password: string): void {
  execFileSync('htpasswd', ['-bB', apache.htpasswdFile, apache.username, password], { stdio: 'ignore' });
}

/** Opens the Outlook emulator as Anna, selects the mail and opens the add-in on it. */
async function openInAddin(context: BrowserContext, subject: string) {
  const outlook = await context.newPage();
  await outlook.goto(`${server.baseUrl}/emulator/outlook/`);
  await outlook.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await outlook.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
  await outlook.getByTestId('mail-item').filter({ hasText: subject }).click();
  await outlook.getByTestId('open-addin').click();
  const addin = outlook.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('addin-subject').filter({ hasText: subject }).waitFor({ timeout: 60_000 });
  return addin;
}

beforeAll(async () => {
  apache = await startApacheWebDav();
  // Demo mode allows its own emulators and, named here, the Apache server; nothing else on loopback.
  server = await startTestServer({ env: { CONNECTOR_ALLOWED_ORIGINS: apache.origin } });
  browser = await launchChromium();
  // Anna is the tenant's first user: she becomes its administrator.
  const token = await emulatorToken(`api://${server.config.entra.clientId}/access_as_user`);
  expect(
    (await fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
  ).toBe(200);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await apache?.stop();
});

describe('a WebDAV target from the portal to the add-in, against a real Apache', () => {
  it('is created by the administrator, connected by the user, and receives the mail byte-identical', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries())
        await screenshot(open, `webdav-failure-${index}`);
    });
    const portal = await context.newPage();
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByRole('tab', { name: 'Targets' }).click();
    const dialog = await newWebDavTarget(portal, TARGET, apache.davUrl);
    await screenshot(portal, '60-portal-webdav-target');
    await dialog.getByTestId('save-target').click();
    await portal.getByTestId('target-row').filter({ hasText: TARGET }).waitFor();

    // The user: the add-in asks for their own WebDAV account first, then transfers.
    const outlook = await context.newPage();
    await outlook.goto(`${server.baseUrl}/emulator/outlook/`);
    await outlook.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await outlook.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await outlook.getByTestId('mail-item').filter({ hasText: MAIL }).click();
    await outlook.getByTestId('open-addin').click();
    const addin = outlook.frameLocator('[data-testid="addin-frame"]');
    await addin.getByTestId('addin-subject').filter({ hasText: MAIL }).waitFor({ timeout: 60_000 });
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET }).click();
    const connect = addin.getByTestId('connect-account');
    await connect.waitFor();
    await connect.getByLabel('User name').fill(apache.username);
    await connect.getByLabel('Password or app password').fill('not the password');
    await connect.getByTestId('connect-submit').click();
    // Tested with Apache before it is stored: a wrong password is answered here.
    await expect
      .poll(() => connect.getByTestId('connect-error').textContent())
      .toContain('The user name or password was rejected.');
    await connect.getByLabel('Password or app password').fill(apache.password);
    await screenshot(outlook, '61-addin-connect-webdav');
    await connect.getByTestId('connect-submit').click();
    expect(await finishedTransferState(addin)).toBe('done');
    await screenshot(outlook, '62-addin-webdav-done');

    // Read back from Apache over WebDAV: the .eml equals the mailbox's MIME, each attachment its part.
    const apiToken = await emulatorToken(`api://${server.config.entra.clientId}/access_as_user`);
    const graphToken = await emulatorToken('https://graph.microsoft.com/.default');
    const graph = `${server.baseUrl}/emulator/graph/v1.0`;
    const bearer = `Bearer ${graphToken}`;
    const messages = (await (
      await fetch(`${graph}/me/messages?$top=100`, { headers: { authorization: bearer } })
    ).json()) as { value: { id: string; subject: string; internetMessageId: string }[] };
    const message = messages.value.find((candidate) => candidate.subject === MAIL);
    if (!message) throw new Error(`no mail "${MAIL}"`);
    const listed = (await (
      await fetch(
        `${server.baseUrl}/api/transfers?internetMessageId=${encodeURIComponent(message.internetMessageId)}`,
        { headers: { authorization: `Bearer ${apiToken}` } },
      )
    ).json()) as { transfers: { state: string; files: { name: string; size: number }[] }[] };
    expect(listed.transfers.map((transfer) => transfer.state)).toEqual(['done']);
    const files = listed.transfers[0]?.files ?? [];
    const basic = `Basic ${Buffer.from(`${apache.username}:${apache.password}`).toString('base64')}`;
    const onApache = (name: string) =>
      bytes(
        `${apache.davUrl}${FOLDER.split('/').map(encodeURIComponent).join('/')}/${encodeURIComponent(name)}`,
        basic,
      );

    const eml = files.find((file) => file.name.endsWith('.eml'));
    if (!eml) throw new Error(`no .eml among ${files.map((file) => file.name).join(', ')}`);
    const mime = await bytes(`${graph}/me/messages/${encodeURIComponent(message.id)}/$value`, bearer);
    expect((await onApache(eml.name)).equals(mime)).toBe(true);
    const attachments = (await (
      await fetch(`${graph}/me/messages/${encodeURIComponent(message.id)}/attachments`, {
        headers: { authorization: bearer },
      })
    ).json()) as { value: { id: string; name: string; isInline: boolean }[] };
    const fileAttachments = attachments.value.filter((attachment) => !attachment.isInline);
    expect(fileAttachments.length).toBeGreaterThan(0);
    for (const attachment of fileAttachments) {
      const original = await bytes(
        `${graph}/me/messages/${encodeURIComponent(message.id)}/attachments/${encodeURIComponent(attachment.id)}/$value`,
        bearer,
      );
      expect((await onApache(attachment.name)).equals(original), attachment.name).toBe(true);
    }
    await context.close();
  });

  it("lists the user's account under Manage passwords; revoked there, the add-in asks to connect again", async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries())
        await screenshot(open, `webdav-revoke-failure-${index}`);
    });
    // The administrator sees Anna's WebDAV account (never its password) and revokes it.
    const portal = await context.newPage();
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByRole('tab', { name: 'Passwords' }).click();
    const row = portal.getByTestId('passwords-table').getByRole('row').filter({ hasText: TARGET });
    await row.filter({ hasText: ANNA }).waitFor();
    expect(await portal.content()).not.toContain(apache.password);
    await screenshot(portal, '64-portal-passwords-webdav');
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await portal.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.waitFor({ state: 'detached' });

    // The user's next transfer to the target asks for the account again, and then goes through.
    const addin = await openInAddin(context, 'Customer visit from Northwind on 12 November');
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET }).click();
    const connect = addin.getByTestId('connect-account');
    await connect.waitFor();
    await connect.getByLabel('User name').fill(apache.username);
    await connect.getByLabel('Password or app password').fill(apache.password);
    await connect.getByTestId('connect-submit').click();
    expect(await finishedTransferState(addin)).toBe('done');
    await context.close();
  });

  it('asks to connect again when the server later rejects the stored account (password changed)', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries())
        await screenshot(open, `webdav-rejected-failure-${index}`);
    });
    // Expired, or changed by its owner: the server no longer takes the stored password.
    setPassword('changed on the server');
    try {
      const addin = await openInAddin(context, 'Lunch on Thursday?');
      await addin.getByTestId('transfer-target').filter({ hasText: TARGET }).click();
      // The transfer fails with a reason that says what to do …
      const failed = addin.locator('[data-testid="transfer-status"][data-state="failed"]');
      await failed.waitFor({ timeout: 60_000 });
      expect(await failed.textContent()).toContain('Connect it again in the add-in');
      const outlook = context.pages()[0];
      if (outlook) await screenshot(outlook, '65-addin-webdav-rejected');
      // … and the next try asks for the account instead of failing again.
      await addin.getByTestId('transfer-target').filter({ hasText: TARGET }).click();
      await addin.getByTestId('connect-account').waitFor();
    } finally {
      setPassword(apache.password);
    }
    await context.close();
  });

  it('refuses a target at a loopback or metadata address that is not on the allow-list, saving nothing', async () => {
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries()) await screenshot(open, `ssrf-failure-${index}`);
    });
    const portal = await context.newPage();
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByRole('tab', { name: 'Targets' }).click();
    for (const [title, url, host] of [
      ['SSH on loopback', 'http://127.0.0.1:22/', '127.0.0.1'],
      ['Cloud metadata', 'http://169.254.169.254/latest/', '169.254.169.254'],
    ] as const) {
      const dialog = await newWebDavTarget(portal, title, url);
      await dialog.getByTestId('save-target').click();
      await dialog
        .getByText(
          `settings.url: ${host} is a private, local or reserved network address, which Mailissa does not connect to.`,
          { exact: false },
        )
        .waitFor();
      await screenshot(portal, `63-portal-refused-${host}`);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
    }
    const saved = await server.database.db.query(
      `select 1 from targets where title_en in ('SSH on loopback', 'Cloud metadata')`,
    );
    expect(saved.rowCount).toBe(0);
    await context.close();
  });
});
