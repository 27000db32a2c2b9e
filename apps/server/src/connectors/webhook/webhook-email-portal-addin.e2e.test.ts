import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitForCaughtMail } from '@mailissa/emulators/test-client';
import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID } from '../../demo/emulators.js';
import { launchChromium, screenshot } from '../../test-support/chromium.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { emulatorTokenFor } from '../../transfer/transfer-test-helpers.js';
import type { WebhookPayload } from './webhook.schemas.js';

/**
 * Webhook and e-mail targets end to end in Debian's Chromium: the administrator creates a webhook
 * target in the portal pointing at a receiver started here (on loopback, allowed by name as the
 * emulators are) and copies the signing secret from the dialog that shows it once; a user transfers a
 * mail from the add-in in the Outlook emulator, and the receiver verifies the call with the Standard
 * Webhooks library and that secret, then downloads every file by its link. Then an e-mail target: the
 * transferred mail arrives in the demo mail catcher with the original attached, unchanged.
 */
const ANNA = 'anna.berger@contoso.example';
const OFFER = 'Offer 2026-117 for Northwind with price list';
const VISIT = 'Customer visit from Northwind on 12 November';
const FORWARD_TO = 'intake@tickets.example';

interface PayloadFile {
  kind: string;
  name: string;
  url: string;
}
/** What the receiver did with one call it accepted: the verified payload and each file it downloaded. */
interface Received {
  payload: WebhookPayload;
  downloads: Promise<{ name: string; kind: string; status: number; bytes: Buffer }[]>;
}

let receiver: Server;
let receiverUrl: string;
/** The secret the receiver verifies with: the one the administrator copied from the portal. */
let receiverSecret = '';
const received: Received[] = [];
let rejectedCalls = 0;

let server: TestServer;
let browser: Browser;

function screenshotsOnFailure(context: BrowserContext, prefix: string): void {
  onTestFailed(async () => {
    for (const [index, open] of context.pages().entries()) await screenshot(open, `${prefix}-${index}`);
  });
}

async function newContext(): Promise<BrowserContext> {
  return browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
}

/** A token of the demo user for `scope`, through the emulator's real authorize and token endpoints. */
const emulatorToken = (scope: string) => emulatorTokenFor(server, DEMO_TENANT_ID, ANNA, scope);

/** The MIME of Anna's mail as Microsoft 365 holds it: what every copy must equal. */
async function originalMime(subject: string): Promise<{ id: string; mime: Buffer }> {
  const authorization = `Bearer ${await emulatorToken('https://graph.microsoft.com/.default')}`;
  const graph = `${server.baseUrl}/emulator/graph/v1.0`;
  const messages = (await (
    await fetch(`${graph}/me/messages?$top=100`, { headers: { authorization } })
  ).json()) as { value: { id: string; subject: string }[] };
  const message = messages.value.find((candidate) => candidate.subject === subject);
  if (!message) throw new Error(`no mail "${subject}"`);
  const response = await fetch(`${graph}/me/messages/${encodeURIComponent(message.id)}/$value`, {
    headers: { authorization },
  });
  expect(response.status).toBe(200);
  return { id: message.id, mime: Buffer.from(await response.arrayBuffer()) };
}

async function openPortalTargets(context: BrowserContext): Promise<Page> {
  const portal = await context.newPage();
  await portal.goto(`${server.baseUrl}/portal/`);
  await portal.getByTestId('portal-sign-in').click();
  await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
  await portal.getByRole('tab', { name: 'Targets' }).click();
  return portal;
}

async function newTarget(portal: Page, connector: string, title: string) {
  await portal.getByTestId('new-target').click();
  const dialog = portal.getByTestId('target-dialog');
  await dialog.getByRole('combobox', { name: 'Connector' }).click();
  await portal.getByRole('option', { name: connector, exact: true }).click();
  await dialog.getByTestId('title-en').fill(title);
  await dialog.getByTestId('title-de').fill(title);
  return dialog;
}

/** Opens the mail in the Outlook emulator's add-in and transfers it to the target; waits for the end. */
async function transferFromAddin(context: BrowserContext, subject: string, target: string): Promise<void> {
  const outlook = await context.newPage();
  await outlook.goto(`${server.baseUrl}/emulator/outlook/`);
  await outlook.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await outlook.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
  await outlook.getByTestId('mail-item').filter({ hasText: subject }).click();
  await outlook.getByTestId('open-addin').click();
  const addin: FrameLocator = outlook.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('addin-subject').filter({ hasText: subject }).waitFor({ timeout: 60_000 });
  await addin.getByTestId('transfer-target').filter({ hasText: target }).click();
  const ended = addin.locator(
    '[data-testid="transfer-status"][data-state="done"], [data-testid="transfer-status"][data-state="failed"]',
  );
  await ended.waitFor({ timeout: 120_000 });
  if ((await ended.getAttribute('data-state')) === 'failed') {
    throw new Error(`transfer failed: ${await ended.textContent()}`);
  }
}

beforeAll(async () => {
  // A receiver as a customer would write one: it answers only calls signed with its secret, and
  // fetches the files afterwards, by the links alone (no cookie, no token).
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string',
        ),
      );
      let payload: WebhookPayload;
      try {
        payload = new Webhook(receiverSecret).verify(
          Buffer.concat(chunks).toString('utf8'),
          headers,
        ) as WebhookPayload;
      } catch {
        rejectedCalls += 1;
        response.statusCode = 401;
        response.end();
        return;
      }
      response.statusCode = 204;
      response.end();
      const files = (payload.data.files ?? []) as PayloadFile[];
      received.push({
        payload,
        downloads: Promise.all(
          files.map(async (file) => {
            const download = await fetch(file.url);
            return {
              name: file.name,
              kind: file.kind,
              status: download.status,
              bytes: Buffer.from(await download.arrayBuffer()),
            };
          }),
        ),
      });
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  // Demo mode allows its own emulators and, named here, the receiver; nothing else on loopback.
  server = await startTestServer({ env: { CONNECTOR_ALLOWED_ORIGINS: new URL(receiverUrl).origin } });
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
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('webhook and e-mail targets from the portal to the add-in', () => {
  it('delivers a call the receiver verifies with the secret shown once, and whose links download the mail', async () => {
    const context = await newContext();
    screenshotsOnFailure(context, 'webhook-failure');
    const portal = await openPortalTargets(context);
    const dialog = await newTarget(portal, 'Webhook', 'Intake hook');
    await dialog.getByLabel('Receiver address (https)').fill(receiverUrl);
    await dialog.getByTestId('save-target').click();
    const secretDialog = portal.getByTestId('signing-secret-dialog');
    const secret = await secretDialog.getByTestId('signing-secret').inputValue();
    expect(secret).toMatch(/^whsec_/);
    await screenshot(portal, '80-portal-webhook-secret');
    await secretDialog.getByRole('button', { name: 'I have copied it' }).click();
    await secretDialog.waitFor({ state: 'hidden' });
    await portal.getByTestId('target-row').filter({ hasText: 'Intake hook' }).waitFor();
    // Shown once: the page no longer holds it.
    expect(await portal.content()).not.toContain(secret);
    receiverSecret = secret;

    await transferFromAddin(context, OFFER, 'Intake hook');
    expect(rejectedCalls).toBe(0);
    expect(received).toHaveLength(1);
    const [call] = received as [Received];
    expect(call.payload.type).toBe('mail.transferred');
    expect(call.payload.data.mail).toMatchObject({ subject: OFFER });
    const downloads = await call.downloads;
    expect(downloads.map((file) => [file.name, file.status])).toEqual([
      ['2026-11-06 1505 Offer 2026-117 for Northwind with price list.eml', 200],
      ['Offer-2026-117.pdf', 200],
      ['price-list.csv', 200],
      ['call-notes.txt', 200],
    ]);
    const eml = downloads.find((file) => file.kind === 'message');
    expect(eml?.bytes.equals((await originalMime(OFFER)).mime)).toBe(true);
    await context.close();
  });

  it("lists the webhook's signing secret under Manage passwords, never its value, and renews it there", async () => {
    // The secret the test above was shown when it made the target.
    const secret = receiverSecret;
    expect(secret).toMatch(/^whsec_/);
    const context = await newContext();
    screenshotsOnFailure(context, 'passwords-failure');
    const portal = await openPortalTargets(context);
    // "Manage passwords" lists the secret as the target's (it was missing there), never its value.
    await portal.getByRole('tab', { name: 'Passwords' }).click();
    const secrets = portal.getByTestId('target-secrets-table');
    await secrets
      .getByRole('row')
      .filter({ hasText: 'Intake hook' })
      .filter({ hasText: 'Signing secret' })
      .waitFor();
    expect(await portal.content()).not.toContain(secret);
    // Renewed from there as on the Targets tab: a new secret, shown once.
    await secrets.getByTestId('renew-target-secret').click();
    await portal
      .getByTestId('renew-secret-confirm')
      .getByRole('button', { name: 'New signing secret' })
      .click();
    const renewed = portal.getByTestId('signing-secret-dialog');
    const newSecret = await renewed.getByTestId('signing-secret').inputValue();
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);
    await renewed.getByRole('button', { name: 'I have copied it' }).click();
    await renewed.waitFor({ state: 'hidden' });
    expect(await portal.content()).not.toContain(newSecret);
    await context.close();
  });

  it('forwards a mail to the address of an e-mail target, the original attached unchanged', async () => {
    const context = await newContext();
    screenshotsOnFailure(context, 'email-failure');
    const portal = await openPortalTargets(context);
    const dialog = await newTarget(portal, 'E-mail (forward)', 'Ticket intake');
    await dialog.getByLabel('Forward to').fill(FORWARD_TO);
    await dialog.getByLabel('Subject prefix').fill('[Ticket]');
    await screenshot(portal, '81-portal-email-target');
    await dialog.getByTestId('save-target').click();
    await portal.getByTestId('target-row').filter({ hasText: 'Ticket intake' }).waitFor();
    // No secret for a target without one.
    expect(await portal.getByTestId('signing-secret-dialog').count()).toBe(0);

    await transferFromAddin(context, VISIT, 'Ticket intake');
    const forwarded = await waitForCaughtMail(server.baseUrl, FORWARD_TO, {
      match: (mail) => mail.subject === `[Ticket] ${VISIT}`,
    });
    // The catcher's parsed view opens an attached message into its parts; its source keeps it whole.
    const source = await fetch(`${server.baseUrl}/emulator/mail/${forwarded.id}/source`);
    expect(source.status).toBe(200);
    const text = Buffer.from(await source.arrayBuffer()).toString('latin1');
    const boundary = /boundary="?([^";\r\n]+)"?/i.exec(text)?.[1] ?? '';
    const part = text
      .split(`\r\n--${boundary}`)
      .find((candidate) => /^content-type:\s*message\/rfc822/im.test(candidate.split('\r\n\r\n')[0] ?? ''));
    if (!part) throw new Error('the forwarded mail has no message/rfc822 part');
    const bytes = Buffer.from(part.slice(part.indexOf('\r\n\r\n') + 4), 'latin1');
    expect(bytes.equals((await originalMime(VISIT)).mime)).toBe(true);
    await context.close();
  });
});
