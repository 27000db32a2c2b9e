import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The public website in Debian's Chromium: every page in both languages loads nothing from another
 * host, sets no cookie but necessary ones and writes no storage before consent; then the visitor
 * accepts statistics in the banner and the choice is in the database.
 */
const PAGES = ['/', '/pricing', '/contact', '/newsletter', '/imprint', '/privacy', '/cookie-settings'];
/** Cookies that may exist without consent: strictly necessary ones (none is set by merely reading). */
const NECESSARY_COOKIES = new Set(['mailissa_consent', 'mailissa_login', 'mailissa_session']);
const SCREENSHOTS =
  process.env.E2E_SCREENSHOT_DIR ?? fileURLToPath(new URL('../../../../.e2e-screenshots/', import.meta.url));

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function storageUse(page: Page): Promise<{ local: number; session: number }> {
  // The server's tsconfig has no DOM types, so browser-side code is passed as a string.
  return page.evaluate<{ local: number; session: number }>(
    '({ local: window.localStorage.length, session: window.sessionStorage.length })',
  );
}

describe('public website', () => {
  for (const locale of ['en-GB', 'de-DE'] as const) {
    it(`stays on our own host, sets no cookie and no storage before consent (${locale})`, async () => {
      const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const ownOrigin = new URL(server.baseUrl).origin;
      const lang = locale.slice(0, 2);
      try {
        for (const path of PAGES) {
          const response = await page.goto(`${server.baseUrl}${path}`, { waitUntil: 'load' });
          expect(response?.status(), path).toBe(200);
          expect(await page.getAttribute('html', 'lang')).toBe(lang);
          await expect.poll(() => page.evaluate<string>('document.fonts.status')).toBe('loaded');
          expect(await page.locator('main').count()).toBe(1);
          expect(
            await page.locator('header nav a[href="/privacy"], footer nav a[href="/privacy"]').count(),
          ).toBe(1);
          const cookies = await context.cookies();
          expect(
            cookies.filter((cookie) => !NECESSARY_COOKIES.has(cookie.name)),
            path,
          ).toEqual([]);
          expect(await storageUse(page), path).toEqual({ local: 0, session: 0 });
          if (locale === 'en-GB' || path === '/') {
            await mkdir(SCREENSHOTS, { recursive: true });
            const name = path === '/' ? 'home' : path.slice(1);
            await page.screenshot({ path: `${SCREENSHOTS}/website-${name}-${lang}.png`, fullPage: true });
          }
        }
        // The fonts really came from us.
        expect(requested.some((url) => url.includes('/site/fonts/inter-latin-400-normal.woff2'))).toBe(true);
        const foreign = requested.filter(
          (url) => !url.startsWith('data:') && new URL(url).origin !== ownOrigin,
        );
        expect(foreign).toEqual([]);
        expect(await context.cookies()).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }

  it('is usable by keyboard: the skip link comes first and moves to the content', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/pricing`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement?.textContent')).toBe('Skip to content');
      await page.keyboard.press('Enter');
      expect(await page.evaluate<string>('location.hash')).toBe('#main');
      await page.keyboard.press('Tab');
      expect(await page.evaluate<boolean>("document.activeElement?.closest('main') !== null")).toBe(true);
      // From the top, the banner's buttons come right after the skip link, before the navigation.
      await page.goto(`${server.baseUrl}/pricing`);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement?.textContent?.trim()')).toBe('Accept all');
      await page.keyboard.press('Tab');
      expect(await page.evaluate<string>('document.activeElement?.textContent?.trim()')).toBe(
        'Only necessary',
      );
    } finally {
      await context.close();
    }
  });

  // The newsletter's confirmation link and the registration's sign-in link: their pages keep the
  // token out of any Referer.
  it.each([
    '/newsletter/confirm?token=not-a-real-token&lang=en',
    '/register/link?token=not-a-real-token&lang=en',
  ])(
    'takes "Accept all" on a page whose URL holds a token (origin-only referrer policy): %s',
    async (path) => {
      const context = await browser.newContext({ locale: 'en-GB' });
      const page = await context.newPage();
      try {
        await page.goto(`${server.baseUrl}${path}`);
        const banner = page.getByRole('region', { name: 'Your cookie choice' });
        await expect.poll(() => banner.isVisible()).toBe(true);
        const [posted] = await Promise.all([
          page.waitForResponse((response) => response.url().endsWith('/cookie-settings')),
          banner.getByRole('button', { name: 'Accept all' }).click(),
        ]);
        // Chromium sends our origin (with `no-referrer` it sent `Origin: null`, refused as cross-site).
        expect(await posted.request().headerValue('origin')).toBe(new URL(server.baseUrl).origin);
        expect(posted.status()).toBe(303);
        await page.waitForLoadState('load');
        expect(await page.locator('.consent-banner').count()).toBe(0);
        expect((await context.cookies()).some((cookie) => cookie.name === 'mailissa_consent')).toBe(true);
      } finally {
        await context.close();
      }
    },
  );

  it('records the choice when the visitor accepts statistics in the banner', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/pricing`);
      const banner = page.getByRole('region', { name: 'Ihre Cookie-Auswahl' });
      await expect.poll(() => banner.isVisible()).toBe(true);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOTS}/website-banner-de.png` });
      await banner.getByRole('button', { name: 'Alle akzeptieren' }).click();
      await page.waitForURL(`${server.baseUrl}/pricing`);
      expect(await page.locator('.consent-banner').count()).toBe(0);
      const consent = (await context.cookies()).find((cookie) => cookie.name === 'mailissa_consent');
      const consentId = consent?.value.split('.')[0];
      expect(consent?.httpOnly).toBe(true);
      const rows = await server.database.db.query<{
        statistics: boolean;
        preferences: boolean;
        policy_revision: string;
      }>('select statistics, preferences, policy_revision from consent_records where consent_id = $1', [
        consentId,
      ]);
      expect(rows.rows).toEqual([{ statistics: true, preferences: true, policy_revision: '2026-11-01' }]);
      // Language is now kept in a cookie; still no storage.
      expect((await context.cookies()).map((cookie) => cookie.name).sort()).toEqual([
        'mailissa_consent',
        'mailissa_lang',
      ]);
      expect(await storageUse(page)).toEqual({ local: 0, session: 0 });

      // The settings page shows the choice and can withdraw it.
      await page.goto(`${server.baseUrl}/cookie-settings`);
      await page.screenshot({ path: `${SCREENSHOTS}/website-cookie-settings-after-de.png`, fullPage: true });
      await page.getByLabel('Statistik').uncheck();
      await page.getByRole('button', { name: 'Auswahl speichern' }).click();
      await page.waitForURL(/\/cookie-settings\?saved=1/);
      await expect.poll(() => page.getByRole('status').textContent()).toContain('gespeichert');
      const latest = await server.database.db.query<{ statistics: boolean }>(
        'select statistics from consent_records where consent_id = $1 order by id desc limit 1',
        [consentId],
      );
      expect(latest.rows).toEqual([{ statistics: false }]);
    } finally {
      await context.close();
    }
  });
});
