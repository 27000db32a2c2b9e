import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, JIRA_DEMO_ACCOUNTS, signInWithEmulator } from '../../demo/emulators.js';
import { finishedTransferState, launchChromium, screenshot } from '../../test-support/chromium.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

/**
 * Jira end to end in Debian's Chromium against the Jira Cloud stand-in of demo mode: the administrator
 * creates a Jira target in the portal with a field mapping (the mail's sender into a custom field); a
 * user connects their Atlassian account in the add-in and transfers a mail, which creates an issue
 * with the mapped field; a second mail is added to that issue as a comment, chosen in the add-in by
 * "Add to an existing one" and a search by its key.
 */
const ANNA = 'anna.berger@contoso.example';
const FIRST_MAIL = 'Offer 2026-117 for Northwind with price list';
const SECOND_MAIL = 'Customer visit from Northwind on 12 November';
const TARGET = 'Jira mail intake';
const account = JIRA_DEMO_ACCOUNTS.anna;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let outlook: Page;
let jiraSite: string;
/** The issue the first mail created, which the second mail is added to. */
const issue = { key: '', url: '' };

async function jira<T>(pathAndQuery: string, json?: unknown): Promise<T> {
  const auth = Buffer.from(`${account.emailAddress}:${account.apiToken}`).toString('base64');
  const response = await fetch(`${jiraSite}/rest/api/3${pathAndQuery}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Basic ${auth}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  expect(response.status, pathAndQuery).toBe(200);
  return (await response.json()) as T;
}

async function openMail(outlook: Page, subject: string): Promise<FrameLocator> {
  await outlook.getByTestId('mail-item').filter({ hasText: subject }).click();
  await outlook.getByTestId('open-addin').click();
  const addin = outlook.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('addin-subject').filter({ hasText: subject }).waitFor({ timeout: 60_000 });
  return addin;
}

beforeAll(async () => {
  server = await startTestServer();
  jiraSite = `${server.baseUrl}/emulator/jira`;
  browser = await launchChromium();
  // Anna is the tenant's first user: she becomes its administrator.
  const signedIn = await signInWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: DEMO_TENANT_ID,
    user: ANNA,
    scope: `api://${server.config.entra.clientId}/access_as_user`,
    clientId: server.config.entra.clientId,
  });
  const me = await fetch(`${server.baseUrl}/api/me`, {
    headers: { authorization: `Bearer ${signedIn.accessToken}` },
  });
  expect(me.status).toBe(200);
  context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('a Jira target with a field mapping, and a mail added to an existing issue', () => {
  const screenshotsOnFailure = (prefix: string) =>
    onTestFailed(async () => {
      for (const [index, open] of context.pages().entries()) await screenshot(open, `${prefix}-${index}`);
    });

  it('is created by the administrator in the portal with the sender mapped to a custom field', async () => {
    screenshotsOnFailure('jira-portal-failure');
    const portal = await context.newPage();
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByRole('tab', { name: 'Targets' }).click();
    await portal.getByTestId('new-target').click();
    const dialog = portal.getByTestId('target-dialog');
    await dialog.getByRole('combobox', { name: 'Connector' }).click();
    await portal.getByRole('option', { name: 'Jira' }).click();
    await dialog.getByTestId('title-en').fill(TARGET);
    await dialog.getByTestId('title-de').fill('Jira-Posteingang');
    await dialog.getByLabel('Jira site').fill(jiraSite);
    await dialog.getByLabel('Project key').fill('MAIL');
    await dialog.getByTestId('mapping-add').click();
    await dialog.getByRole('textbox', { name: 'Field 1' }).fill('customfield_10040');
    await dialog.getByRole('combobox', { name: 'Filled with (field 1)' }).click();
    await portal.getByRole('option', { name: 'Sender' }).click();
    await screenshot(portal, '70-portal-jira-mapping');
    await dialog.getByTestId('save-target').click();
    await portal.getByTestId('target-row').filter({ hasText: TARGET }).waitFor();
    await portal.close();
  });

  it('creates an issue with the mapped field once the user has connected their Atlassian account', async () => {
    screenshotsOnFailure('jira-create-failure');
    outlook = await context.newPage();
    await outlook.goto(`${server.baseUrl}/emulator/outlook/`);
    await outlook.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await outlook.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    const addin = await openMail(outlook, FIRST_MAIL);
    await addin.getByTestId('transfer-target').filter({ hasText: TARGET }).click();
    const connect = addin.getByTestId('connect-account');
    await connect.getByLabel('Atlassian account e-mail').fill(account.emailAddress);
    await connect.getByLabel('API token').fill(account.apiToken);
    await connect.getByTestId('connect-submit').click();
    expect(await finishedTransferState(addin)).toBe('done');
    // The link names what it opens: an issue, not a folder.
    expect(await addin.getByTestId('transfer-folder-link').textContent()).toContain('Open issue');
    issue.url = (await addin.getByTestId('transfer-folder-link').getAttribute('href')) ?? '';
    issue.key = issue.url.split('/browse/')[1] ?? '';
    expect(issue.key).toMatch(/^MAIL-\d+$/);
    const created = await jira<{ fields: { summary: string; customfield_10040?: string } }>(
      `/issue/${issue.key}?fields=summary,customfield_10040`,
    );
    expect(created.fields.summary).toBe(FIRST_MAIL);
    expect(created.fields.customfield_10040).toContain('sophie.wagner@contoso.example');
  });

  it('adds a second mail to that issue as a comment, chosen by "Add to an existing one" and its key', async () => {
    screenshotsOnFailure('jira-link-failure');
    const addin = await openMail(outlook, SECOND_MAIL);
    // Listed twice: suggested (same organisation) and in its group; either opens the same options.
    await addin
      .getByRole('button', { name: `Options for ${TARGET}` })
      .first()
      .click();
    const options = addin.getByTestId('transfer-options');
    await options.getByRole('radio', { name: 'Add to an existing one' }).check();
    // An issue has no folders: no subfolder to choose (the form offered one and dropped it).
    expect(await options.getByTestId('option-subfolder').count()).toBe(0);
    expect(await options.getByText('Subfolder').count()).toBe(0);
    // Nothing picked yet: the form says what is missing and does not send.
    await options.getByText('Choose where to add the mail.').waitFor();
    await options.getByTestId('record-search').fill(issue.key.toLowerCase());
    await options.getByTestId('record-search-button').click();
    await options.getByRole('radio', { name: `${issue.key} ${FIRST_MAIL}` }).check();
    await screenshot(outlook, '71-addin-link-existing');
    await options.getByTestId('option-send').click();
    expect(await finishedTransferState(addin)).toBe('done');
    expect(await addin.getByTestId('transfer-folder-link').getAttribute('href')).toBe(issue.url);

    const comments = await jira<{ comments: { body: unknown }[] }>(`/issue/${issue.key}/comment`);
    expect(comments.comments).toHaveLength(1);
    expect(JSON.stringify(comments.comments[0]?.body)).toContain(SECOND_MAIL);
    const all = await jira<{ issues: { fields: { summary?: string } }[] }>('/search/jql', {
      jql: 'project = MAIL',
      maxResults: 100,
      fields: ['summary'],
    });
    expect(all.issues.map((found) => found.fields.summary)).toEqual([FIRST_MAIL]);
  });
});
