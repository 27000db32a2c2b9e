import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField, waitForCaughtMail } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The operator console in Debian's Chromium: sign-in through the emulator's operator tenant, an
 * enquiry with markup shown as text and closed, a newsletter campaign sent through the job queue,
 * and the Art. 30 downloads. Needs the built front ends (npm run build -w apps/web).
 */
const HOSTILE = '<img src=x onerror="window.__pwned=1">Please call me';

let server: TestServer;

/** Screenshots only when asked for (E2E_SCREENSHOT_DIR), for looking at the console by eye. */
async function screenshot(name: string): Promise<void> {
  const dir = process.env.E2E_SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: path.join(dir, `operator-${name}.png`), fullPage: true });
}
let browser: Browser;
let page: Page;

async function post(path: string, fields: Record<string, string>): Promise<void> {
  const form = await (await fetch(`${server.baseUrl}${path}?lang=en`)).text();
  const extra: Record<string, string> = { form_token: hiddenField(form, 'form_token') };
  if (path === '/newsletter') extra.consent_version = hiddenField(form, 'consent_version');
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ lang: 'en', ...extra, ...fields }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
}

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'en-GB' })).newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('operator console', () => {
  it('signs in as an operator, shows and closes an enquiry, sends a newsletter', async () => {
    await post('/contact', { name: 'Mallory', email: 'mallory@example.com', message: HOSTILE });
    await post('/newsletter', { email: 'fan@example.com' });
    const confirmation = await waitForCaughtMail(server.baseUrl, 'fan@example.com');
    const token =
      new URL(/(http:\S+)/.exec(confirmation.text ?? '')?.[1] ?? '').searchParams.get('token') ?? '';
    await fetch(`${server.baseUrl}/newsletter/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });

    await page.goto(`${server.baseUrl}/operator/`);
    await page.getByTestId('operator-sign-in').click();
    await page.getByRole('button', { name: /Olga Operator/ }).click();
    await page.waitForURL(/\/operator\/$/);
    await expect(page.getByTestId('operator-user').textContent()).resolves.toContain('Olga');

    const message = page.getByTestId('enquiry-message');
    await expect(message.textContent()).resolves.toBe(HOSTILE);
    await screenshot('enquiries');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.getByTestId('close-enquiry').click();
    await page.getByText('No enquiries here.').waitFor();

    await page.getByRole('tab', { name: 'Newsletter' }).click();
    await page.getByTestId('subscribers-table').getByText('fan@example.com').waitFor();
    await page.getByLabel('Subject').fill('Operator news');
    await page.getByLabel('Text').fill('Sent from the console.');
    await page.getByRole('button', { name: 'Send newsletter' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Send newsletter' }).click();
    await page.getByText('The newsletter is queued for 1 subscriber.').waitFor();
    await screenshot('newsletter');
    const newsletter = await waitForCaughtMail(server.baseUrl, 'fan@example.com', {
      match: (mail) => mail.subject === 'Operator news',
    });
    expect(newsletter.text).toContain('Sent from the console.');

    await page.getByRole('tab', { name: 'Art. 30 record' }).click();
    await page.getByText('Download CSV').waitFor();
    await screenshot('record');
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    expect((await download).suggestedFilename()).toBe('record-of-processing.csv');
  });
});
