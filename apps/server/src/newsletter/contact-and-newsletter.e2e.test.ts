import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForCaughtMail } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createNewsletterCampaign } from './create-newsletter-campaign.js';

/**
 * The website's contact form and newsletter, end to end in Debian's Chromium against a real server in
 * demo mode: every mail goes over SMTP to the demo mail catcher and is read back from there.
 */
const OPERATOR_INBOX = 'inbox@operator.example';
const READER = 'reader@example.com';

let server: TestServer;
let browser: Browser;
let page: Page;
const cspViolations: string[] = [];

/** Screenshots only when asked for (E2E_SCREENSHOT_DIR), for looking at the pages by eye. */
async function screenshot(name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `website-${name}.png`), fullPage: true });
}

async function subscriberStatus(email: string): Promise<string | null> {
  const result = await server.database.db.query<{ status: string }>(
    'select status from newsletter_subscribers where email = $1',
    [email],
  );
  return result.rows[0]?.status ?? null;
}

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '1', CONTACT_EMAIL: OPERATOR_INBOX } });
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'en-GB' });
  page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('contact form and newsletter in a browser', () => {
  it('sends the contact form without JavaScript errors and the enquiry arrives in the mail catcher', async () => {
    await page.goto(`${server.baseUrl}/contact?lang=en`);
    // Sent empty first: the form comes back with a message beside each required field.
    await page.getByRole('button', { name: 'Send enquiry' }).click();
    await expect(page.locator('.field-error').count()).resolves.toBe(3);
    await screenshot('contact-errors');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('E-mail address').fill('ada@example.com');
    await page.getByLabel('Company (optional)').fill('Analytical Engines <Ltd>');
    await page.getByLabel('Your message').fill('Could we see a demo?\n<script>alert("x")</script>');
    await page.waitForTimeout(1100); // a person takes longer than the form's minimum time
    await page.getByRole('button', { name: 'Send enquiry' }).click();
    await page.waitForURL(/\/contact\/sent/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Thank you');

    const mail = await waitForCaughtMail(server.baseUrl, OPERATOR_INBOX);
    await page.goto(`${server.baseUrl}/emulator/mail`);
    await page.getByRole('link', { name: mail.subject }).click();
    await expect(page.locator('pre.mail-text').textContent()).resolves.toContain(
      '<script>alert("x")</script>',
    );
    await expect(page.locator('pre.mail-text').textContent()).resolves.toContain('ada@example.com');
  });

  it('signs up, confirms only by POST on the linked page, and unsubscribes with the RFC 8058 one-click POST', async () => {
    await page.goto(`${server.baseUrl}/newsletter?lang=en`);
    await expect(page.locator('.consent-wording').textContent()).resolves.toContain('newsletter');
    await screenshot('newsletter');
    await page.getByLabel('E-mail address').fill(READER);
    await page.waitForTimeout(1100);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.waitForURL(/\/newsletter\/check-inbox/);
    expect(await subscriberStatus(READER)).toBe('pending');

    const confirmationMail = await waitForCaughtMail(server.baseUrl, READER);
    const link = /(http:\/\/\S+\/newsletter\/confirm\?\S+)/.exec(confirmationMail.text ?? '')?.[1];
    expect(link).toBeDefined();

    // Opening the link (as a mail scanner would) shows a page and confirms nothing.
    await page.goto(link ?? '');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Confirm your subscription',
    );
    await screenshot('confirm');
    expect(await subscriberStatus(READER)).toBe('pending');

    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You are subscribed');
    expect(await subscriberStatus(READER)).toBe('confirmed');

    await createNewsletterCampaign(
      { db: server.database.db, jobs: server.app.appContext.jobs },
      { subject: 'Mailissa news', bodyText: 'What is new this month.' },
      new Date(),
    );
    const newsletter = await waitForCaughtMail(server.baseUrl, READER, {
      match: (mail) => mail.subject === 'Mailissa news',
    });
    const header = (name: string) => newsletter.headers.find((entry) => entry.name === name)?.value ?? '';
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<([^>]+)>$/.exec(header('list-unsubscribe'))?.[1] ?? '';
    expect(unsubscribeUrl).toMatch(/\/newsletter\/unsubscribe\?token=/);

    // What a mail client does for its "Unsubscribe" button: a POST with List-Unsubscribe=One-Click.
    const oneClick = await page.request.post(unsubscribeUrl, {
      multipart: { 'List-Unsubscribe': 'One-Click' },
    });
    expect(oneClick.status()).toBe(200);
    expect(await subscriberStatus(READER)).toBeNull();

    // The link in the mail's footer afterwards: harmless, and says so.
    await page.goto(unsubscribeUrl);
    await expect(page.locator('.notice').textContent()).resolves.toContain('not (or no longer) subscribed');
    expect(cspViolations).toEqual([]);
  });
});
