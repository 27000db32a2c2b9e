import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { withTenant } from '../db/database.js';
import { axeViolations } from '../test-support/axe.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { DEFAULT_FILE_NAME_TEMPLATE } from './file-name-template.js';
import { saveTargetTransferOptions } from './get-target-transfer-options.js';
import { demoGraph, demoTenantId, findMail, folderChildren, seedTargets } from './transfer-test-helpers.js';

/**
 * Issue 10, "how it will be checked", in Debian's Chromium against the emulators: the user works in
 * the Outlook stand-in and the add-in only; what landed is read back through the emulator's Graph.
 * Choices before sending, a duplicate replaced, the filed category in the mail list, three selected
 * mails in one action, the suggested target for a known sender, and a cancel that leaves nothing.
 * (The one-click transfer and "keep both" are the walking skeleton's; a mapped column is checked
 * through the API in target-transfer-options.db.test.ts.)
 */
const SCREENSHOTS = process.env.E2E_SCREENSHOT_DIR ?? path.join(tmpdir(), 'mailissa-e2e-screenshots');
const ANNA = 'anna.berger@contoso.example';
const FOUR = 'Four files for the Müller file';
const FROM_MAX_AGAIN = 'Signed contract from Max Müller';
const BATCH = ['Site report 1 of 3', 'Site report 2 of 3', 'Site report 3 of 3'];
const LARGE = 'Measurement data 2026 (large file)';
const CONTRACTS = 'Contracts 2026';
const ALPHA = 'Project Alpha';
const FILED = 'Filed: Contracts';
const SUBFOLDER = 'Customers/Müller';
const SITE_REPORTS = 'Site reports';

let server: TestServer;
let importDir: string;
let browser: Browser;
let outlook: Page;

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

function screenshotOnFailure(name: string): void {
  onTestFailed(async () => {
    await screenshot(outlook, `choices-failure-${name}`);
  });
}

/** An imported mail: `files` become attachments, each `content of <name>`. */
function mail(subject: string, from: string, messageId: string, date: string, files: string[] = []): string {
  const boundary = 'mixed-boundary';
  const head = [
    `From: ${from}`,
    `To: Anna Berger <${ANNA}>`,
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
  ];
  if (files.length === 0) {
    return [...head, 'Content-Type: text/plain; charset=utf-8', '', `${subject}.`, ''].join('\r\n');
  }
  const parts = files.map((name) =>
    [
      `--${boundary}`,
      `Content-Type: application/octet-stream; name="${name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${name}"`,
      '',
      Buffer.from(`content of ${name}`).toString('base64'),
    ].join('\r\n'),
  );
  return [
    ...head,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'The files are attached.',
    ...parts,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Selects the mail (which closes an unpinned pane, as Outlook does) and opens the add-in beside it. */
async function openAddin(subject: string): Promise<FrameLocator> {
  await outlook.getByTestId('mail-item').filter({ hasText: subject }).click();
  await outlook.getByTestId('reading-pane').filter({ hasText: subject }).waitFor();
  await outlook.getByTestId('open-addin').click();
  const addin = outlook.frameLocator('[data-testid="addin-frame"]');
  await addin.getByTestId('addin-subject').filter({ hasText: subject }).waitFor({ timeout: 60_000 });
  return addin;
}

async function endedState(addin: FrameLocator, states: string[] = ['done', 'failed']): Promise<string> {
  const ended = addin.locator(
    states.map((state) => `[data-testid="transfer-status"][data-state="${state}"]`).join(', '),
  );
  await ended.waitFor({ timeout: 60_000 });
  const state = (await ended.getAttribute('data-state')) ?? '';
  if (state === 'failed') throw new Error(`transfer failed: ${await ended.textContent()}`);
  return state;
}

/** The transfer options of a target, with only `keep` of the attachments ticked and the subfolder set. */
async function chooseTwoAttachments(addin: FrameLocator, keep: string[]): Promise<Locator> {
  await addin
    .getByRole('button', { name: `Options for ${CONTRACTS}` })
    .first()
    .click();
  const options = addin.getByTestId('transfer-options');
  await options.waitFor();
  expect(await options.getByTestId('option-attachment').count()).toBe(4);
  for (const name of ['contract.pdf', 'notes.txt', 'budget.csv', 'photo.jpg']) {
    // Labelled "name (size)"; all four are ticked by default (none is an inline image).
    const box = options.getByRole('checkbox', { name: new RegExp(`^${name.replace('.', '\\.')} \\(`) });
    if (keep.includes(name)) await box.check();
    else await box.uncheck();
  }
  await options.getByTestId('option-subfolder').fill(SUBFOLDER);
  return options;
}

beforeAll(async () => {
  importDir = await mkdtemp(path.join(tmpdir(), 'mailissa-choices-'));
  const max = 'Max Müller <max@mueller.example>';
  await writeFile(
    path.join(importDir, 'four.eml'),
    mail(FOUR, max, '<four-files@mueller.example>', 'Tue, 17 Nov 2026 10:30:00 +0000', [
      'contract.pdf',
      'notes.txt',
      'budget.csv',
      'photo.jpg',
    ]),
  );
  await writeFile(
    path.join(importDir, 'max-again.eml'),
    mail(FROM_MAX_AGAIN, max, '<signed@mueller.example>', 'Wed, 18 Nov 2026 08:00:00 +0000'),
  );
  for (const [index, subject] of BATCH.entries()) {
    await writeFile(
      path.join(importDir, `batch-${index}.eml`),
      mail(
        subject,
        'Site Office <site@alpha.example>',
        `<site-${index}@alpha.example>`,
        `Thu, 19 Nov 2026 0${index}:00:00 +0000`,
        // One carries a file, so that "no attachments" for the batch is seen to hold.
        index === 0 ? ['site-plan.pdf'] : [],
      ),
    );
  }
  server = await startTestServer({ env: { EMULATOR_IMPORT_DIR: importDir } });
  const targets = await seedTargets(server);
  // The filed marker of "Contracts 2026": the category the mail list shows after a transfer.
  const tenantId = await demoTenantId(server);
  await withTenant(server.database.db, tenantId, (tx) =>
    saveTargetTransferOptions(
      tx,
      tenantId,
      targets.contracts,
      {
        fileNameTemplate: DEFAULT_FILE_NAME_TEMPLATE,
        filedCategory: FILED,
        filedColor: 'preset7',
        columnMapping: {},
      },
      new Date(),
    ),
  );
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
  outlook = await context.newPage();
  await outlook.goto(`${server.baseUrl}/emulator/outlook/`);
  await outlook.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
  await outlook.locator('button[name="emulator_user"]', { hasText: ANNA }).click();
  await outlook.getByTestId('mail-item').filter({ hasText: FOUR }).waitFor({ timeout: 60_000 });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (importDir) await rm(importDir, { recursive: true, force: true });
});

describe('transfer as filing tools do it, in the add-in', () => {
  it('sends exactly the two chosen of four attachments into the chosen subfolder, and marks the mail filed', async () => {
    screenshotOnFailure('choices');
    const addin = await openAddin(FOUR);
    const options = await chooseTwoAttachments(addin, ['contract.pdf', 'budget.csv']);
    await screenshot(outlook, '90-addin-choices');
    await options.getByTestId('option-send').click();
    expect(await endedState(addin)).toBe('done');

    const landed = await folderChildren(server, `${CONTRACTS}/${SUBFOLDER}`);
    const names = landed.map((file) => file.name).sort();
    expect(names.filter((name) => !name.endsWith('.eml'))).toEqual(['budget.csv', 'contract.pdf']);
    expect(names.filter((name) => name.endsWith('.eml'))).toHaveLength(1);
    expect(landed.find((file) => file.name === 'contract.pdf')?.size).toBe('content of contract.pdf'.length);
    // Nothing went to the target's own folder.
    const top = (await folderChildren(server, CONTRACTS)).map((file) => file.name);
    expect(top.filter((name) => /notes|budget|contract|photo|Four files/.test(name))).toEqual([]);

    // The filed marker: on the mail in Microsoft 365, and in the mail list the user looks at.
    const ref = await findMail(server, FOUR);
    const message = await demoGraph(server).json<{ categories: string[] }>({
      path: `/users/${server.app.emulator.ids.demoUserOid}/messages/${encodeURIComponent(ref.id)}?$select=categories`,
      what: 'read the filed mail',
    });
    expect(message.categories).toContain(FILED);
    await outlook
      .getByTestId('mail-item')
      .filter({ hasText: FOUR })
      .getByTestId('mail-categories')
      .filter({ hasText: FILED })
      .waitFor({ timeout: 30_000 });
  });

  it('asks before sending the same mail again; "Replace" leaves one copy', async () => {
    screenshotOnFailure('replace');
    const addin = await openAddin(FOUR);
    const options = await chooseTwoAttachments(addin, ['contract.pdf', 'budget.csv']);
    await options.getByTestId('option-send').click();
    const question = addin.getByTestId('duplicate-question');
    await question.filter({ hasText: `already in ${CONTRACTS}` }).waitFor();
    await screenshot(outlook, '91-addin-duplicate');
    await question.getByTestId('duplicate-replace').click();
    expect(await endedState(addin)).toBe('done');

    const names = (await folderChildren(server, `${CONTRACTS}/${SUBFOLDER}`)).map((file) => file.name).sort();
    expect(names.filter((name) => !name.endsWith('.eml'))).toEqual(['budget.csv', 'contract.pdf']);
    expect(names.filter((name) => name.endsWith('.eml'))).toHaveLength(1);
  });

  it('suggests the target used before for the same sender', async () => {
    screenshotOnFailure('suggested');
    const addin = await openAddin(FROM_MAX_AGAIN);
    const suggested = addin.getByTestId('suggested').getByTestId('suggested-target');
    await suggested.first().waitFor();
    expect(await suggested.first().textContent()).toContain(CONTRACTS);
    expect(await suggested.first().textContent()).toContain('same sender');
    await suggested.first().click();
    expect(await endedState(addin)).toBe('done');
    const names = (await folderChildren(server, CONTRACTS)).map((file) => file.name);
    expect(names.some((name) => name.includes(FROM_MAX_AGAIN))).toBe(true);
  });

  it('sends three selected mails in one action, with the same options and one progress list', async () => {
    screenshotOnFailure('batch');
    await outlook.getByTestId('mail-item').filter({ hasText: BATCH[0] }).click();
    for (const subject of BATCH.slice(1)) {
      await outlook
        .getByTestId('mail-item')
        .filter({ hasText: subject })
        .click({ modifiers: ['Control'] });
    }
    await outlook.getByTestId('reading-pane').filter({ hasText: BATCH[2] }).waitFor();
    await outlook.getByTestId('open-addin').click();
    const addin = outlook.frameLocator('[data-testid="addin-frame"]');
    const panel = addin.getByTestId('batch-panel');
    await panel.filter({ hasText: '3 mails selected' }).waitFor({ timeout: 60_000 });
    // The same options for all three: the .eml alone, no attachments, into a new subfolder.
    await panel.getByRole('button', { name: `Options for ${ALPHA}` }).click();
    const options = panel.getByRole('form', { name: `Transfer 3 mails to ${ALPHA}` });
    await options.getByRole('radio', { name: 'None' }).check();
    // The subfolder made by keyboard while browsing: Enter creates it (and does not send yet).
    await options.getByRole('button', { name: 'Browse folders' }).click();
    await options.getByRole('textbox', { name: 'New folder name' }).fill(SITE_REPORTS);
    await options.getByRole('textbox', { name: 'New folder name' }).press('Enter');
    // The folder is made in the drive (server → Graph) before the field shows it: on a busy machine
    // that took over the poll's default second.
    await expect
      .poll(() => options.getByRole('textbox', { name: 'Subfolder' }).inputValue(), { timeout: 30_000 })
      .toBe(SITE_REPORTS);
    await screenshot(outlook, '92-addin-batch-options');
    const frame = await (await outlook.getByTestId('addin-frame').elementHandle())?.contentFrame();
    if (!frame) throw new Error('the add-in has no frame');
    expect(await axeViolations(frame, 'batch options')).toEqual([]);
    await options.getByRole('button', { name: 'Transfer', exact: true }).click();

    const progress = panel.getByRole('list', { name: 'Progress of each mail' });
    expect(await progress.count()).toBe(1);
    const rows = progress.getByTestId('batch-row');
    await expect.poll(() => rows.count()).toBe(3);
    await expect
      .poll(() => panel.locator('[data-testid="batch-row"][data-state="done"]').count(), { timeout: 60_000 })
      .toBe(3);
    await screenshot(outlook, '92-addin-batch');
    expect((await rows.allTextContents()).map((text) => text.replace(/Done$/, ''))).toEqual(BATCH);

    // Each mail as its own .eml in the subfolder, and the one attachment left behind as chosen.
    const names = (await folderChildren(server, `Projects/Alpha/${SITE_REPORTS}`)).map((file) => file.name);
    expect(names).toHaveLength(3);
    for (const subject of BATCH) {
      expect(names.filter((name) => name.includes(subject) && name.endsWith('.eml'))).toHaveLength(1);
    }
    const top = (await folderChildren(server, 'Projects/Alpha')).map((file) => file.name);
    expect(top.filter((name) => /site/i.test(name) && name !== SITE_REPORTS)).toEqual([]);
  });

  it('cancels a running transfer and leaves nothing behind', async () => {
    screenshotOnFailure('cancel');
    const addin = await openAddin(LARGE);
    // Hold the upload (the library answers 503 with Retry-After, the waits growing to over 15 s) until
    // the cancel has arrived, as on a slow line: the transfer cannot end before it, and goes on (to
    // notice the cancel at its next fragment) as soon as the hold is lifted.
    server.app.emulator.faults.inject({
      method: 'PUT',
      pathPattern: /upload/i,
      status: 503,
      retryAfterSeconds: 1,
      times: 5,
    });
    await addin.getByTestId('transfer-target').filter({ hasText: ALPHA }).click();
    await addin.locator('[data-testid="transfer-status"][data-state="running"]').waitFor({ timeout: 30_000 });
    const cancelAnswer = outlook.waitForResponse(
      (response) =>
        response.request().method() === 'POST' &&
        /^\/api\/transfers\/[^/]+\/cancel$/.test(new URL(response.url()).pathname),
    );
    await addin.getByTestId('transfer-cancel').click();
    expect((await cancelAnswer).status()).toBe(200);
    server.app.emulator.faults.clear();
    expect(await endedState(addin, ['cancelled', 'done', 'failed'])).toBe('cancelled');
    await screenshot(outlook, '93-addin-cancelled');

    const names = (await folderChildren(server, 'Projects/Alpha')).map((file) => file.name);
    expect(names.filter((name) => /measurement/i.test(name))).toEqual([]);
    expect(await addin.getByTestId('transfer-retry').count()).toBe(1);
  });
});
