import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { DEMO_TENANT_ID, signInWithEmulator, waitForCaughtMail } from '../demo/emulators.js';
import { outlookSyncDeps, reconcileSubscriptions } from '../outlook-sync/outlook-sync.jobs.js';
import { launchChromium, screenshot } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { demoGraph } from '../transfer/transfer-test-helpers.js';

/**
 * Mailissa Team in the Outlook emulator: Anna and Elias, both in the demo's Service Desk team, have
 * the same mail open in two browsers. Anna adds "Urgent" and Elias's pane shows it within a second
 * without a reload, and Elias's mail list in the Outlook stand-in shows the Outlook category on his
 * own copy; a category set on Elias's copy through Graph reaches Anna's copy and both panes; Elias
 * assigns the mail to Anna and sets it done, Anna sees both; Elias's note mentioning Anna sends her a
 * mail that arrives in the mail catcher. Chromium against a demo server.
 */
const ANNA = 'anna.berger@contoso.example';
const ELIAS = 'elias.zimmermann@contoso.example';
const SUBJECT = 'Customer visit from Northwind on 12 November';

let browser: Browser;
let server: TestServer;

async function openTeamPaneAs(page: Page, user: string): Promise<FrameLocator> {
  await page.goto(`${server.baseUrl}/emulator/outlook/`);
  await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await page.locator('button[name="emulator_user"]', { hasText: user }).click();
  await page.getByTestId('mail-item').filter({ hasText: SUBJECT }).first().click();
  await page.getByTestId('open-addin').click();
  const addin = page.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('tab-team').click({ timeout: 60_000 });
  const select = addin.getByTestId('team-select');
  if (await select.count()) await select.selectOption({ label: 'Service Desk' });
  await addin.getByTestId('team-pane').waitFor({ timeout: 30_000 });
  return addin;
}

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  // Signed in once so the trial gives both a Team licence.
  for (const user of [ANNA, ELIAS]) {
    const signedIn = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user,
      scope: `api://${server.config.entra.clientId}/access_as_user`,
      clientId: server.config.entra.clientId,
    });
    const me = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${signedIn.accessToken}` },
    });
    expect(me.status).toBe(200);
  }
  // The mirror's reconcile run: both members' mailboxes are watched through Graph notifications.
  await reconcileSubscriptions(
    outlookSyncDeps({
      context: server.app.appContext,
      log: server.app.log,
      signal: new AbortController().signal,
      mail: { send: async () => {} } as never,
    }),
  );
}, 180_000);

/** The categories on a member's own copy of the mail, as Graph shows them. */
async function outlookCategories(user: string): Promise<string[]> {
  const page = await demoGraph(server).json<{ value: Array<{ subject: string; categories: string[] }> }>({
    path: `/users/${user}/messages?$select=subject,categories&$top=100`,
  });
  return page.value.find((message) => message.subject === SUBJECT)?.categories ?? [];
}

afterAll(async () => {
  await server?.close();
  await browser?.close();
});

describe('two members on the same mail', () => {
  it('share categories live, assignment and status, and a mention mails the member', async () => {
    const contexts = await Promise.all(
      [0, 1].map(() => browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } })),
    );
    const [annaPage, eliasPage] = await Promise.all(contexts.map((context) => context.newPage()));
    if (!annaPage || !eliasPage) throw new Error('no pages');
    onTestFailed(async () => {
      await screenshot(annaPage, 'team-failure-anna');
      await screenshot(eliasPage, 'team-failure-elias');
    });
    const anna = await openTeamPaneAs(annaPage, ANNA);
    const elias = await openTeamPaneAs(eliasPage, ELIAS);

    // Anna adds "Urgent"; Elias's pane shows it without a reload. Only the team's event stream
    // reloads a pane's categories (its heartbeat carries who is present, nothing else), so the chip
    // turning on proves the push. How fast it arrives is bench:team's figure, not a test's limit.
    const annaUrgent = anna.getByTestId('team-chip-Urgent');
    const eliasUrgent = elias.getByTestId('team-chip-Urgent');
    expect(await eliasUrgent.getAttribute('aria-pressed')).toBe('false');
    await annaUrgent.click();
    await expect.poll(() => annaUrgent.getAttribute('aria-pressed'), { timeout: 5000 }).toBe('true');
    await expect
      .poll(() => eliasUrgent.getAttribute('aria-pressed'), { timeout: 10_000, interval: 50 })
      .toBe('true');
    await screenshot(eliasPage, '90-team-pane-live-category');
    // Mirrored into Outlook: Elias's own mail list shows the category on his copy.
    await expect
      .poll(
        () =>
          eliasPage
            .getByTestId('mail-item')
            .filter({ hasText: SUBJECT })
            .first()
            .getByTestId('mail-categories')
            .textContent(),
        { timeout: 30_000 },
      )
      .toContain('Urgent');

    // A category set on Elias's copy directly through Graph (as Outlook does) reaches Anna's copy and
    // both panes.
    const eliasCopy = await demoGraph(server).json<{ value: Array<{ id: string; subject: string }> }>({
      path: `/users/${ELIAS}/messages?$select=id,subject&$top=100`,
    });
    const copyId = eliasCopy.value.find((message) => message.subject === SUBJECT)?.id;
    const patched = await demoGraph(server).request({
      method: 'PATCH',
      path: `/users/${ELIAS}/messages/${copyId}`,
      body: { categories: [...(await outlookCategories(ELIAS)), 'Invoice'] },
    });
    await patched.body?.cancel();
    await expect.poll(() => outlookCategories(ANNA), { timeout: 30_000 }).toContain('Invoice');
    for (const pane of [anna, elias]) {
      await expect
        .poll(() => pane.getByTestId('team-chip-Invoice').getAttribute('aria-pressed'), { timeout: 10_000 })
        .toBe('true');
    }

    // Elias assigns the mail to Anna and sets it done; Anna sees both.
    await elias.getByTestId('team-assignee').selectOption({ label: 'Anna Berger' });
    await expect
      .poll(() => elias.getByTestId('team-history').textContent())
      .toContain('assigned it to Anna Berger');
    await elias.getByTestId('team-status').selectOption('done');
    await expect.poll(() => anna.getByTestId('team-status').inputValue(), { timeout: 5000 }).toBe('done');
    expect(await anna.getByTestId('team-assignee').locator('option:checked').textContent()).toBe(
      'Anna Berger',
    );
    expect(await anna.getByTestId('team-history').textContent()).toContain(
      'Elias Zimmermann set the status to Done',
    );

    // Elias mentions Anna in a note: she gets a mail and a badge.
    const note = elias.getByTestId('team-new-note');
    await note.fill('Please check the visit date with @Ann');
    await elias.getByRole('button', { name: 'Mention Anna Berger' }).click();
    expect(await note.inputValue()).toBe('Please check the visit date with @Anna Berger ');
    await note.pressSequentially('<script>alert(1)</script>');
    await elias.getByTestId('team-new-note-submit').click();
    await expect
      .poll(() => anna.getByTestId('team-notes').textContent(), { timeout: 5000 })
      .toContain('@Anna Berger <script>alert(1)</script>');
    await screenshot(annaPage, '91-team-pane-note');
    const mail = await waitForCaughtMail(server.baseUrl, ANNA, {
      match: (candidate) => (candidate.subject ?? '').includes('Elias Zimmermann mentioned you'),
    });
    expect(mail.subject).toContain(SUBJECT);
    expect(mail.text).toContain('Please check the visit date with @Anna Berger');

    // The team list: "assigned to me", done.
    await anna.getByTestId('tab-team-list').click();
    await anna.getByTestId('team-list-status').selectOption('done');
    await anna.getByTestId('team-list-assignee').selectOption('me');
    await expect.poll(() => anna.getByTestId('team-list-mail').count(), { timeout: 5000 }).toBe(1);
    expect(await anna.getByTestId('team-list-mail').textContent()).toContain(SUBJECT);
    await screenshot(annaPage, '92-team-list');

    // In the portal, Anna (tenant administrator) sees the team's dashboard and adds a group.
    const portal = await contexts[0]?.newPage();
    if (!portal) throw new Error('no portal page');
    await portal.goto(`${server.baseUrl}/portal/`);
    await portal.getByTestId('portal-sign-in').click();
    await portal.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
    await portal.getByTestId('tab-teams').click();
    const row = portal.getByTestId('team-row').filter({ hasText: 'Service Desk' });
    await row.getByRole('button', { name: 'Dashboard' }).click();
    await expect.poll(() => row.getByTestId('team-count-done').textContent()).toContain('1');
    expect(await row.getByTestId('team-chart').count()).toBe(1);
    await screenshot(portal, '93-portal-team-dashboard');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = portal.getByTestId('team-dialog');
    await dialog.getByTestId('team-directory-search').fill('Sal');
    await dialog.getByRole('button', { name: 'Add Sales' }).click();
    await dialog.getByTestId('team-save').click();
    await expect.poll(() => row.textContent()).toContain('Sales');
    await Promise.all(contexts.map((context) => context.close()));
  });
});
