import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { waitForCaughtMail } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

// A server starts in about a minute on the shared, loaded test machine.
vi.setConfig({ hookTimeout: 300_000, testTimeout: 300_000 });

/**
 * A newsletter subscriber who also sent a contact enquiry asks for access and then erasure on the
 * website, in Chromium against a real server in demo mode: the link comes by SMTP through the mail
 * catcher, the operator console shows the request with its deadline.
 */
const PERSON = 'hanna@example.com';

let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Fills the request form, follows the mailed link and confirms on the linked page. */
async function requestAndConfirm(kind: RegExp, subjectMatch: string): Promise<void> {
  await page.goto(`${server.baseUrl}/privacy/request?lang=en`);
  await page.getByLabel('Your e-mail address').fill(PERSON);
  await page.getByLabel(kind).check();
  await page.getByRole('button', { name: 'Send request' }).click();
  await page.waitForURL(/\/privacy\/request\/sent/);
  const mail = await waitForCaughtMail(server.baseUrl, PERSON, {
    match: (caught) => caught.subject.includes('confirm') && !seenLinks.has(caught.text ?? ''),
  });
  seenLinks.add(mail.text ?? '');
  const link = /(http:\/\/\S+\/privacy\/request\/confirm\?\S+)/.exec(mail.text ?? '')?.[1];
  expect(link).toBeDefined();
  await page.goto(link ?? '');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Confirm your request');
  await page.getByRole('button', { name: 'Confirm request' }).click();
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
    'Your request is confirmed',
  );
  await waitForCaughtMail(server.baseUrl, PERSON, {
    match: (caught) => caught.subject.includes(subjectMatch),
  });
}
const seenLinks = new Set<string>();

describe('a data-subject request on the website', () => {
  it('exports the enquiry and the subscription, then erases both and keeps only the opt-in proof', async () => {
    // The person subscribes (double opt-in) and writes through the contact form.
    await page.goto(`${server.baseUrl}/newsletter?lang=en`);
    await page.getByLabel('E-mail address').fill(PERSON);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    const confirmation = await waitForCaughtMail(server.baseUrl, PERSON);
    await page.goto(/(http:\/\/\S+\/newsletter\/confirm\?\S+)/.exec(confirmation.text ?? '')?.[1] ?? '');
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.goto(`${server.baseUrl}/contact?lang=en`);
    await page.getByLabel('Name').fill('Hanna Example');
    await page.getByLabel('E-mail address').fill(PERSON);
    await page.getByLabel('Your message').fill('What does Mailissa cost for 40 people?');
    await page.getByRole('button', { name: 'Send enquiry' }).click();
    await page.waitForURL(/\/contact\/sent/);

    // Access: the export lists both records.
    await requestAndConfirm(/Access to my data/, 'Your data at Mailissa');
    await expect(page.locator('[data-table="contact_enquiries"]').textContent()).resolves.toContain(
      'What does Mailissa cost for 40 people?',
    );
    await expect(page.locator('[data-table="newsletter_subscribers"]').textContent()).resolves.toContain(
      PERSON,
    );

    // The operator sees the request with its deadline.
    const session = await createWebSession(
      server.database.db,
      { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
      new Date(),
    );
    const operator = await browser.newContext({ locale: 'en-GB' });
    await operator.addCookies([{ name: 'mailissa_operator', value: session.token, url: server.baseUrl }]);
    const console_ = await operator.newPage();
    await console_.goto(`${server.baseUrl}/operator/#rights`);
    const request = console_.getByTestId('rights-request').filter({ hasText: PERSON });
    // Kind, channel, status and the reply templates in words, not the API's identifiers.
    const shown = (await request.first().textContent()) ?? '';
    expect(shown).toContain('Access (Art. 15/20)');
    expect(shown).toContain('Website form');
    expect(shown).toContain('Completed');
    expect(shown).not.toMatch(/\b(self_service|awaiting_confirmation|identity_needed|rejected_unfounded)\b/);
    await expect(
      request.first().getByRole('option', { name: 'Identity check needed' }).count(),
    ).resolves.toBe(1);
    await expect(request.first().getByTestId('rights-due').textContent()).resolves.toMatch(/Due /);
    await operator.close();
    const operatorDe = await browser.newContext({ locale: 'de-DE' });
    await operatorDe.addCookies([{ name: 'mailissa_operator', value: session.token, url: server.baseUrl }]);
    const consoleDe = await operatorDe.newPage();
    await consoleDe.goto(`${server.baseUrl}/operator/#rights`);
    const requestDe = consoleDe.getByTestId('rights-request').filter({ hasText: PERSON }).first();
    await expect(requestDe.textContent()).resolves.toContain('Auskunft (Art. 15/20)');
    const shownDe = (await requestDe.textContent()) ?? '';
    expect(shownDe).toContain('Website-Formular');
    expect(shownDe).toContain('Erledigt');
    await operatorDe.close();

    // Erasure: both go, the opt-in proof stays, locked, and the page and the reply say why.
    await requestAndConfirm(/Erasure of my data/, 'erased');
    await expect(page.locator('ul.erased [data-table="contact_enquiries"]').count()).resolves.toBe(1);
    await expect(
      page.locator('ul.kept [data-table="newsletter_subscribers"]').textContent(),
    ).resolves.toContain('double opt-in');
    const db = server.database.db;
    expect((await db.query('select 1 from contact_enquiries where email = $1', [PERSON])).rowCount).toBe(0);
    expect((await db.query('select 1 from newsletter_subscribers where email = $1', [PERSON])).rowCount).toBe(
      0,
    );
    const held = await db.query<{ source_table: string }>(
      `select source_table from held_records where subject_keys ->> 'email' = $1`,
      [PERSON],
    );
    expect(held.rows.map((row) => row.source_table)).toEqual(['newsletter_subscribers']);
    const reply = await waitForCaughtMail(server.baseUrl, PERSON, {
      match: (mail) => mail.subject.includes('erased'),
    });
    expect(reply.text).toContain('double opt-in');
  });
});
