import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER_UPN } from '../demo/emulators.js';
import { launchChromium } from '../test-support/chromium.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/**
 * The app pages' CSP admits runtime styles only by the response's nonce (no `'unsafe-inline'`). In
 * Chromium: the portal, the operator console and the add-in (inside the Outlook emulator) render
 * with Fluent UI's styles applied and without a single CSP violation, in any frame. A page whose
 * nonce does not match shows what a violation looks like, so the check is known to see one.
 */
let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  server = await startTestServer();
  // A busy machine may take minutes to start Chromium and a server in demo mode.
}, 240_000);
afterAll(async () => {
  await server?.close();
  await browser?.close();
});

/** A browser context that reports every CSP violation and CSP console error, from every frame. */
async function watchedContext(): Promise<{ context: BrowserContext; violations: string[] }> {
  const violations: string[] = [];
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  await context.exposeBinding('reportCspViolation', ({ frame }, text: string) => {
    violations.push(`${frame.url()}: ${text}`);
  });
  // Browser code as text: the server's TypeScript has no DOM types.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => {
      window.reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline'));
    });`,
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(`console: ${message.text()}`);
    }
  });
  return { context, violations };
}

interface FluentStyling {
  brandColour: string;
  buttonRadius: string;
  styleElements: number;
  everyStyleHasTheNonce: boolean;
}

/** What decides whether Fluent UI's runtime styles arrived: its theme variables and a styled button. */
async function fluentStyling(frame: Page | Frame, buttonSelector: string): Promise<FluentStyling> {
  return (await frame.evaluate(`(() => {
    const provider = document.querySelector('.fui-FluentProvider');
    const button = document.querySelector(${JSON.stringify(buttonSelector)});
    const meta = document.querySelector('meta[property="csp-nonce"]');
    const styles = [...document.querySelectorAll('style')];
    return {
      brandColour: provider ? getComputedStyle(provider).getPropertyValue('--colorBrandBackground').trim() : '',
      buttonRadius: button ? getComputedStyle(button).borderTopLeftRadius : '',
      styleElements: styles.length,
      everyStyleHasTheNonce: styles.every((style) => style.nonce !== '' && style.nonce === meta?.nonce),
    };
  })()`)) as FluentStyling;
}

describe('CSP nonce for Fluent UI styles on the app pages', () => {
  it('serves each page with a fresh nonce in style-src and in the page, and no unsafe-inline', async () => {
    const nonces = new Set<string>();
    for (const path of ['/portal/', '/operator/', '/addin/']) {
      for (let load = 0; load < 2; load += 1) {
        const response = await fetch(`${server.baseUrl}${path}`);
        const csp = response.headers.get('content-security-policy') ?? '';
        const styleSrc = /style-src ([^;]*)/.exec(csp)?.[1] ?? '';
        expect(styleSrc, path).not.toContain('unsafe-inline');
        const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(styleSrc)?.[1] ?? '';
        expect(nonce.length, path).toBeGreaterThanOrEqual(22);
        const page = await response.text();
        expect(page).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
        // Every app page names its icon, so browsers do not ask for /favicon.ico on each load.
        expect(page, path).toContain('<link rel="icon" href="/site/favicon.svg" type="image/svg+xml"');
        nonces.add(nonce);
      }
    }
    expect(nonces.size).toBe(6);
  });

  it('renders the portal and the operator console styled, with no CSP violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/operator/`);
    await page.getByTestId('operator-sign-in').waitFor();
    const operator = await fluentStyling(page, '[data-testid="operator-sign-in"]');
    expect(operator.brandColour).toMatch(/^#[0-9a-f]{6}$/i);
    expect(operator.buttonRadius).toBe('4px');
    expect(operator.everyStyleHasTheNonce).toBe(true);

    await page.goto(`${server.baseUrl}/portal/`);
    await page.getByTestId('portal-sign-in').click();
    await page.locator('button[name="emulator_user"]', { hasText: DEMO_USER_UPN }).click();
    await page.getByTestId('portal-user').waitFor({ timeout: 30_000 });
    const portal = await fluentStyling(page, '[data-testid="portal-sign-out"]');
    expect(portal.brandColour).toMatch(/^#[0-9a-f]{6}$/i);
    expect(portal.styleElements).toBeGreaterThan(1);
    expect(portal.everyStyleHasTheNonce).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('renders the add-in in the Outlook emulator styled, with no CSP violation', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/emulator/outlook/`);
    await page.getByTestId('emulator-tenant').filter({ hasText: 'Contoso' }).click();
    await page.locator('button[name="emulator_user"]', { hasText: DEMO_USER_UPN }).click();
    await page.getByTestId('mail-item').first().click();
    await page.getByTestId('open-addin').click();
    await page
      .frameLocator('[data-testid="addin-frame"]')
      .getByTestId('addin-user')
      .waitFor({ timeout: 60_000 });
    const frame = page.frames().find((candidate) => new URL(candidate.url()).pathname.startsWith('/addin/'));
    expect(frame).toBeDefined();
    if (!frame) return;
    const addin = await fluentStyling(frame, '[data-testid="transfer-target"]');
    expect(addin.brandColour).toMatch(/^#[0-9a-f]{6}$/i);
    expect(addin.everyStyleHasTheNonce).toBe(true);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('sees the violation when the nonce does not match (the check can fail)', async () => {
    const { context, violations } = await watchedContext();
    const page = await context.newPage();
    // The page's own nonce swapped for another: the CSP header no longer admits its styles.
    await page.route(`${server.baseUrl}/operator/`, async (route) => {
      const response = await route.fetch();
      const csp = (response.headers()['content-security-policy'] ?? '').replace(
        /'nonce-[^']+'/,
        "'nonce-AAAAAAAAAAAAAAAAAAAAAA=='",
      );
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
    });
    await page.goto(`${server.baseUrl}/operator/`);
    await page.getByTestId('operator-sign-in').waitFor();
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect((await fluentStyling(page, '[data-testid="operator-sign-in"]')).buttonRadius).not.toBe('4px');
    await context.close();
  });
});
