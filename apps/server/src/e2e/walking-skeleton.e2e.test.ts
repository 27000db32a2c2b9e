import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_DRIVE_ID, DEMO_TENANT_ID } from '../demo/emulators.js';
import { finishedTransferState, launchChromium, screenshot } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { emulatorTokenFor } from '../transfer/transfer-test-helpers.js';

/**
 * The walking skeleton, end to end in Debian's Chromium against a real server in demo mode on a
 * fresh database: Outlook emulator → add-in (nested app authentication through the emulator) →
 * transfer of the mail with the 10 MB attachment to a demo SharePoint target → the bytes in the
 * emulator's drive → the portal, signed in as the tenant's first user.
 */
const USER = 'anna.berger@contoso.example';
const LARGE_MAIL_SUBJECT = 'Measurement data 2026';
const TARGET_TITLE = 'Contracts 2026';

let server: TestServer;
let browser: Browser;
let context: BrowserContext;

interface TransferView {
  id: string;
  state: string;
  messageId: string;
  target: { title: string };
  files: { name: string; size: number }[];
  folderUrl: string | null;
}

/** A token of the demo user for `scope`, through the emulator's real authorize and token endpoints. */
const emulatorToken = (scope: string) => emulatorTokenFor(server, DEMO_TENANT_ID, USER, scope);

async function getBytes(url: string, token: string): Promise<Buffer> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

/** Waits until the live transfer status has ended, and returns how. */
beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('the walking skeleton', () => {
  it('transfers a mail with a 10 MB attachment from Outlook to SharePoint and shows it in the portal', async () => {
    const page = await context.newPage();
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries()) await screenshot(open, `failure-${index}`);
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    // 1. The Outlook emulator: sign in as a demo user of the seeded tenant (real OIDC + PKCE).
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenants').waitFor();
    await screenshot(page, '00-emulator-sign-in');
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await page.locator('button[name="emulator_user"]', { hasText: USER }).click();
    await expect
      .poll(() => page.getByTestId('emulator-user').textContent(), { timeout: 30_000 })
      .toBe('Anna Berger');

    // 2. Select the mail with the large attachment and open the add-in beside it.
    const mail = page.getByTestId('mail-item').filter({ hasText: LARGE_MAIL_SUBJECT });
    await mail.click();
    await page.getByTestId('reading-pane').getByText('measurements-2026.csv').waitFor();
    await page.getByTestId('open-addin').click();
    const addin = page.frameLocator('[data-testid="addin-frame"]');
    await addin
      .getByTestId('addin-subject')
      .filter({ hasText: LARGE_MAIL_SUBJECT })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => addin.getByTestId('addin-user').textContent()).toBe('Anna Berger');
    await screenshot(page, '01-addin-ready');

    // 3. Transfer it to the demo SharePoint target and watch it finish.
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET_TITLE }).click();
    expect(await finishedTransferState(addin)).toBe('done');
    await expect.poll(() => addin.getByTestId('transfer-folder-link').count()).toBe(1);
    await screenshot(page, '02-transfer-done');

    // 4. Through Graph: the folder holds the .eml byte-identical to the mailbox's MIME and every
    //    attachment byte-identical to the original part.
    const apiToken = await emulatorToken(`api://${server.config.entra.clientId}/access_as_user`);
    const graphToken = await emulatorToken('https://graph.microsoft.com/.default');
    const graph = `${server.baseUrl}/emulator/graph/v1.0`;
    const messages = await getJson<{ value: { id: string; subject: string; internetMessageId: string }[] }>(
      `${graph}/me/messages?$top=100`,
      graphToken,
    );
    const message = messages.value.find((candidate) => candidate.subject.startsWith(LARGE_MAIL_SUBJECT));
    expect(message).toBeDefined();
    if (!message) return;
    const transfers = await getJson<{ transfers: TransferView[] }>(
      `${server.baseUrl}/api/transfers?internetMessageId=${encodeURIComponent(message.internetMessageId)}`,
      apiToken,
    );
    expect(transfers.transfers).toHaveLength(1);
    const transfer = transfers.transfers[0] as TransferView;
    expect(transfer.state).toBe('done');
    expect(transfer.messageId).toBe(message.id);

    const folderItems = async (driveId: string) =>
      (
        await getJson<{ value: { id: string; name: string; size: number }[] }>(
          `${graph}/drives/${driveId}/root:/${encodeURIComponent(TARGET_TITLE)}:/children`,
          graphToken,
        )
      ).value;
    const items = await folderItems(DEMO_DRIVE_ID);

    const mime = await getBytes(`${graph}/me/messages/${encodeURIComponent(message.id)}/$value`, graphToken);
    const emlName = transfer.files.find((file) => file.name.endsWith('.eml'))?.name;
    const eml = items.find((item) => item.name === emlName);
    expect(eml, `${emlName} in ${items.map((item) => item.name).join(', ')}`).toBeDefined();
    if (!eml) return;
    const storedEml = await getBytes(`${graph}/drives/${DEMO_DRIVE_ID}/items/${eml.id}/content`, graphToken);
    expect(storedEml.length).toBeGreaterThan(10 * 1024 * 1024);
    expect(storedEml.equals(mime)).toBe(true);

    const attachments = await getJson<{
      value: { id: string; name: string; isInline: boolean; size: number }[];
    }>(`${graph}/me/messages/${encodeURIComponent(message.id)}/attachments`, graphToken);
    const fileAttachments = attachments.value.filter((attachment) => !attachment.isInline);
    expect(fileAttachments.length).toBeGreaterThan(0);
    for (const attachment of fileAttachments) {
      const original = await getBytes(
        `${graph}/me/messages/${encodeURIComponent(message.id)}/attachments/${encodeURIComponent(attachment.id)}/$value`,
        graphToken,
      );
      const stored = items.find((item) => item.name === attachment.name);
      expect(stored, `${attachment.name} in ${items.map((item) => item.name).join(', ')}`).toBeDefined();
      if (!stored) continue;
      const storedBytes = await getBytes(
        `${graph}/drives/${DEMO_DRIVE_ID}/items/${stored.id}/content`,
        graphToken,
      );
      expect(storedBytes.equals(original), attachment.name).toBe(true);
    }

    // 5. Transfer it again: the add-in says where the mail already went.
    await page.getByTestId('mail-item').first().click();
    await mail.click();
    await page.getByTestId('open-addin').click();
    await addin
      .getByTestId('earlier-transfers')
      .filter({ hasText: `Already in ${TARGET_TITLE}` })
      .waitFor({ timeout: 30_000 });
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET_TITLE }).click();
    // The same mail to the same target: the add-in asks first (issue 10); keep both files.
    await addin.getByTestId('duplicate-keep-both').click();
    expect(await finishedTransferState(addin)).toBe('done');
    await screenshot(page, '03-transferred-again');

    // A pinned pane stays open and follows the selection (Office's ItemChanged event).
    await page.getByTestId('pin-addin').click();
    const other = page.getByTestId('mail-item').filter({ hasNotText: LARGE_MAIL_SUBJECT }).first();
    const otherSubject = (await other.getAttribute('data-subject')) ?? '';
    await other.click();
    await addin.getByTestId('addin-subject').filter({ hasText: otherSubject }).waitFor({ timeout: 30_000 });
    expect(await addin.getByTestId('earlier-transfers').count()).toBe(0);

    // 6. The portal, signed in as the tenant's first user: an administrator, and the two transfers.
    const portal = await context.newPage();
    portal.on('pageerror', (error) => problems.push(`portal error: ${error.message}`));
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: USER }).click();
    await expect
      .poll(() => portal.getByTestId('portal-user').textContent(), { timeout: 30_000 })
      .toBe('Anna Berger');
    const annaRow = portal.getByTestId('user-row').filter({ hasText: USER });
    await annaRow.waitFor();
    expect(await annaRow.textContent()).toContain('User administrator');
    expect(await annaRow.textContent()).toContain('Tenant administrator');
    await screenshot(portal, '04-portal-users');
    await portal.getByRole('tab', { name: 'Transfers' }).click();
    await portal.getByTestId('transfers-table').waitFor();
    await expect
      .poll(() => portal.getByTestId('transfer-row').filter({ hasText: TARGET_TITLE }).count())
      .toBe(2);
    await screenshot(portal, '05-portal-transfers');

    expect(problems).toEqual([]);
  });

  it('serves every surface without inline scripts or third-party requests, the add-in frameable', async () => {
    for (const surfacePath of ['/addin/', '/portal/', '/emulator/outlook/', '/addin/auth-redirect']) {
      const response = await fetch(`${server.baseUrl}${surfacePath}`);
      expect(response.status, surfacePath).toBe(200);
      const html = await response.text();
      // Strict CSP: every script has a src on our own origin (demo mode loads the Office.js stand-in).
      for (const tag of html.match(/<script\b[^>]*>/g) ?? [])
        expect(tag, surfacePath).toMatch(/\ssrc="\/[^/]/);
      expect(html.replace(/<script\b[^>]*>\s*<\/script>/g, ''), surfacePath).not.toMatch(/<script\b/);
      expect(html, surfacePath).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    const addin = await fetch(`${server.baseUrl}/addin/`);
    expect(addin.headers.get('x-frame-options')).toBeNull();
    expect(addin.headers.get('content-security-policy')).toMatch(/frame-ancestors [^;]*'self'/);
    expect(await addin.text()).toContain('<script src="/emulator/outlook/office.js"></script>');
    const standin = await fetch(`${server.baseUrl}/emulator/outlook/office.js`);
    expect(standin.status).toBe(200);
    expect(await standin.text()).not.toMatch(/^\s*(import|export)\b/m);
    const manifest = await fetch(`${server.baseUrl}/addin/manifest.xml`);
    expect(await manifest.text()).toContain(`<SourceLocation DefaultValue="${server.baseUrl}/addin/"/>`);
  });
});
