import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium.js';
import { startTestIssuer, type TestIssuer } from '../test-support/test-issuer.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * Chromium checks `form-action` against every redirect of a form submission. The registration's
 * account buttons post to us and are sent on to Microsoft's sign-in (or Stripe's pages): with the
 * identity provider on another origin, as in production, our pages' policy must admit it, and only it.
 * In demo mode the emulator shares our origin, so the registration's own browser test cannot see this.
 */
let browser: Browser;
let issuer: TestIssuer;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  issuer = await startTestIssuer();
  server = await startTestServer({ env: { ENTRA_AUTHORITY_BASE: issuer.authorityBase } });
}, 240_000);
afterAll(async () => {
  await server?.close();
  await issuer?.close();
  await browser?.close();
});

/**
 * Posts a form of our page to our origin, which answers 303 to `target`; returns where the page went
 * once it arrived there or the browser reported a policy violation (or after 20 s, whichever first).
 */
async function postAndRedirect(
  target: string,
  until: 'arrived' | 'blocked',
): Promise<{ url: string; violations: string[] }> {
  const context = await browser.newContext();
  const violations: string[] = [];
  let reportViolation = () => {};
  const violated = new Promise<void>((resolve) => {
    reportViolation = resolve;
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
      reportViolation();
    }
  });

  const page = await context.newPage();
  try {
    // Our own page, with the policy our server sends; the form's endpoint answers as /register/microsoft does.
    await page.goto(`${server.baseUrl}/contact?lang=en`);
    await page.route(`${server.baseUrl}/redirect-probe`, (route) =>
      route.fulfill({ status: 303, headers: { location: target } }),
    );
    // On a busy machine the submission alone can take seconds: wait for the outcome the test expects.
    // A blocked redirect aborts the navigation at once, and the browser's violation report can come
    // just after: an aborted navigation still waits for the report (or the same 20 s).
    const arrival = page.waitForURL((url) => url.toString().startsWith(target), { timeout: 20_000 });
    const reportOrTimeout = () =>
      Promise.race([violated, new Promise<void>((resolve) => setTimeout(resolve, 20_000).unref())]);
    const outcome =
      until === 'arrived'
        ? arrival.catch(() => undefined)
        : Promise.race([violated, arrival.then(() => undefined, reportOrTimeout)]);
    await page.evaluate(`(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.action = '/redirect-probe';
      document.body.append(form);
      form.submit();
    })()`);
    await outcome;
    return { url: page.url(), violations };
  } finally {
    await context.close();
  }
}

describe('form-action admits the identity provider our forms redirect to', () => {
  it('follows a form post redirected to the configured sign-in authority', async () => {
    // A page of the authority that answers (the stand-in serves its keys, not a sign-in page).
    const authority = `${issuer.authorityBase}/common/discovery/v2.0/keys`;
    const { url, violations } = await postAndRedirect(authority, 'arrived');
    expect(violations).toEqual([]);
    expect(url).toBe(authority);
  });

  it('still blocks a redirect to any other origin (the check can fail)', async () => {
    const elsewhere = 'http://127.0.0.2:9/collect';
    const { url, violations } = await postAndRedirect(elsewhere, 'blocked');
    expect(url.startsWith(elsewhere)).toBe(false);
    expect(violations.join('\n')).toMatch(/form-action/);
  });
});
