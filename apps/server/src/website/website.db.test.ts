import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageViewStatistics } from '../privacy/page-view-statistics.js';
import { settleUsageLog } from '../privacy/usage-log.test-support.js';
import { clockStoppedMidMinute, startTestServer, type TestServer } from '../test-support/test-server.js';

const PAGES = ['/', '/pricing', '/imprint', '/privacy', '/cookie-settings'];
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function get(server: TestServer, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}${path}`, { headers, redirect: 'manual' });
  return { response, body: await response.text() };
}

async function postConsent(server: TestServer, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}/cookie-settings`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...FORM, ...headers },
    body,
  });
  await response.text();
  return response;
}

/** `name=value` pairs from a response's Set-Cookie headers, for sending back. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function consentCount(server: TestServer): Promise<number> {
  const result = await server.database.db.query<{ n: number }>(
    'select count(*)::int as n from consent_records',
  );
  return result.rows[0]?.n ?? -1;
}

describe('website', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: '127.0.0.1', OPERATOR_COMPANY: 'Beispiel <AG>' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves every page in English and German, linked from every page, without any cookie', async () => {
    for (const page of PAGES) {
      for (const [acceptLanguage, lang] of [
        ['en-GB,en;q=0.9', 'en'],
        ['de-DE,de;q=0.9,en;q=0.5', 'de'],
      ] as const) {
        const { response, body } = await get(server, page, { 'accept-language': acceptLanguage });
        expect(response.status, page).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(response.headers.getSetCookie(), page).toEqual([]);
        expect(body).toContain(`<html lang="${lang}">`);
        expect(body).toContain('<main id="main"');
        expect(body).toContain('href="#main"');
        for (const target of [...PAGES, '/contact', '/newsletter'])
          expect(body, page).toContain(`href="${target}"`);
        // Nothing but our own origin: no absolute URL in src or href attributes except mailto.
        expect(body).not.toMatch(/(src|href)="(https?:)?\/\//);
        expect(body).not.toContain('<script');
        expect(body).not.toContain('style=');
      }
    }
  });

  it('shows the operator from configuration, escaped', async () => {
    const { body } = await get(server, '/imprint');
    expect(body).toContain('Beispiel &lt;AG&gt;');
    expect(body).not.toContain('Beispiel <AG>');
  });

  it('renders the privacy tables from the data inventory, one per surface', async () => {
    const { body } = await get(server, '/privacy?lang=de');
    expect(body).toContain('<caption>Registrierungsportal</caption>');
    expect(body).toContain('Die Umsatzsteuer-Identifikationsnummer Ihres Unternehmens');
    expect(body).toContain('<caption>Outlook-Add-in und Portal</caption>');
    expect(body).toContain('<caption>Website</caption>');
    expect(body).toContain('Microsoft-365-Benutzer-ID');
    expect(body).toContain('Nach 7 Tagen gelöscht');
    expect(body).toContain('Google Fonts');
  });

  it('keeps a language chosen by link in the links when preferences are not allowed', async () => {
    const { response, body } = await get(server, '/pricing?lang=de');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(body).toContain('<html lang="de">');
    expect(body).toContain('href="/privacy?lang=de"');
    expect(body).toContain('href="/pricing?lang=en"');
  });

  it('keeps the language in a permanent cookie only with consent to preferences', async () => {
    const consent = await postConsent(server, 'choice=save&preferences=on&lang=en&return_to=/pricing');
    const cookies = cookieHeader(consent);
    const { response, body } = await get(server, '/pricing?lang=de', { cookie: cookies });
    const set = response.headers.getSetCookie();
    expect(set).toHaveLength(1);
    // The attributes, in whatever order the cookie library writes them.
    const [pair, ...attributes] = (set[0] ?? '').split('; ');
    expect(pair).toBe('mailissa_lang=de');
    expect(attributes.sort()).toEqual(['HttpOnly', 'Max-Age=31536000', 'Path=/', 'SameSite=Lax']);
    expect(body).toContain('href="/privacy"');
    const next = await get(server, '/', {
      cookie: `${cookies.replace(/mailissa_lang=\w+/, '')}; mailissa_lang=de`,
    });
    expect(next.body).toContain('<html lang="de">');
  });

  it('records accept and reject as proof and sets only the consent cookie on reject', async () => {
    const before = await consentCount(server);
    const accepted = await postConsent(server, 'choice=accept&lang=de&return_to=/pricing', {
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      'x-forwarded-for': '203.0.113.45',
    });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get('location')).toBe('/pricing');
    const consentCookie = accepted.headers.getSetCookie().find((c) => c.startsWith('mailissa_consent='));
    const consentId = /^mailissa_consent=([0-9a-f-]{36})\.2026-11-01\.11;/.exec(consentCookie ?? '')?.[1];
    expect(consentId).toBeDefined();
    const rows = await server.database.db.query(
      'select policy_revision, preferences, statistics, gpc, ip_truncated, browser from consent_records where consent_id = $1',
      [consentId],
    );
    expect(rows.rows).toEqual([
      {
        policy_revision: '2026-11-01',
        preferences: true,
        statistics: true,
        gpc: false,
        ip_truncated: '203.0.113.0/24',
        browser: 'Firefox',
      },
    ]);

    const rejected = await postConsent(server, 'choice=reject&return_to=/');
    expect(rejected.headers.getSetCookie()).toHaveLength(1);
    expect(rejected.headers.getSetCookie()[0]).toMatch(/^mailissa_consent=[0-9a-f-]{36}\.2026-11-01\.00;/);
    expect(await consentCount(server)).toBe(before + 2);
    // With a current choice the banner is gone.
    const page = await get(server, '/', { cookie: cookieHeader(rejected) });
    expect(page.body).not.toContain('consent-banner');
  });

  it('honours Global Privacy Control: statistics stay off and are not offered', async () => {
    const { body } = await get(server, '/', { 'sec-gpc': '1' });
    expect(body).toContain('Global Privacy Control');
    expect(body).not.toContain('Accept all');
    const response = await postConsent(server, 'choice=accept&return_to=/', { 'sec-gpc': '1' });
    expect(response.headers.getSetCookie()[0]).toMatch(/\.10;/);
    const row = await server.database.db.query(
      'select statistics, gpc from consent_records order by id desc limit 1',
    );
    expect(row.rows).toEqual([{ statistics: false, gpc: true }]);
  });

  it('counts page views only with consent to statistics', async () => {
    const db = server.database.db;
    const accepted = cookieHeader(await postConsent(server, 'choice=accept&return_to=/'));
    const usageRows = async () =>
      (await db.query<{ n: number }>('select coalesce(sum(requests), 0)::int as n from usage_log')).rows[0]
        ?.n ?? 0;
    await settleUsageLog(server.app, db, 0);
    const before = await usageRows();
    await get(server, '/imprint', { cookie: accepted });
    await get(server, '/imprint', { cookie: accepted, 'sec-gpc': '1' });
    await get(server, '/imprint');
    // All three requests are logged, so their counting is done too.
    await settleUsageLog(server.app, db, before + 3);
    const views = await pageViewStatistics(db, {
      since: new Date(Date.now() - 86_400_000),
      until: new Date(Date.now() + 86_400_000),
    });
    expect(views.filter((row) => row.path === '/imprint').map((row) => row.views)).toEqual([1]);
  });

  it('rejects bad input with a clear 4xx and stores nothing', async () => {
    const before = await consentCount(server);
    const cases: [string, Record<string, string>, number][] = [
      ['choice=maybe', FORM, 400],
      ['choice=accept&return_to=//evil.example/', FORM, 400],
      ['choice=accept&return_to=https://evil.example/', FORM, 400],
      ['choice=accept&lang=fr', FORM, 400],
      ['{"choice":"accept"}', { 'content-type': 'application/json' }, 415],
      ['choice=accept', { ...FORM, origin: 'https://evil.example' }, 403],
      ['choice=accept', { ...FORM, 'sec-fetch-site': 'cross-site' }, 403],
      [`choice=accept&pad=${'x'.repeat(5000)}`, FORM, 413],
    ];
    for (const [body, headers, status] of cases) {
      const response = await fetch(`${server.baseUrl}/cookie-settings`, { method: 'POST', headers, body });
      const text = await response.text();
      expect(response.status, body.slice(0, 40)).toBe(status);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(text.length).toBeGreaterThan(0);
    }
    const bad = await fetch(`${server.baseUrl}/cookie-settings`, {
      method: 'POST',
      headers: FORM,
      body: 'choice=maybe',
    });
    expect(await bad.text()).toContain('choice');
    expect(await consentCount(server)).toBe(before);
    expect((await get(server, '/?lang=xx')).response.status).toBe(400);
  });

  it('asks again when the policy revision is raised', async () => {
    const accepted = await postConsent(server, 'choice=accept&return_to=/');
    const cookie = cookieHeader(accepted).replace('2026-11-01', '2025-01-01');
    const { body } = await get(server, '/', { cookie });
    expect(body).toContain('consent-banner');
  });

  it('sends strict security headers, and lets Office frame only the add-in', async () => {
    const home = (await get(server, '/')).response.headers;
    const csp = home.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/style-src 'self';/);
    expect(csp).not.toContain('unsafe-inline');
    expect(home.get('x-frame-options')).toBe('DENY');
    expect(home.get('x-content-type-options')).toBe('nosniff');
    expect(home.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(home.get('strict-transport-security')).toBeNull();
    // MSAL's sign-in popup reports back to its opener; the rest as helmet sets them.
    expect(home.get('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    expect(home.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(home.get('origin-agent-cluster')).toBe('?1');
    expect(home.get('x-dns-prefetch-control')).toBe('off');
    expect(home.get('x-permitted-cross-domain-policies')).toBe('none');
    expect(home.get('x-xss-protection')).toBe('0');
    expect(home.get('permissions-policy')).toContain('camera=()');

    const addin = (await get(server, '/addin/taskpane.html')).response.headers;
    const addinCsp = addin.get('content-security-policy') ?? '';
    expect(addinCsp).toContain("frame-ancestors 'self' https://*.officeapps.live.com");
    expect(addinCsp).toContain('https://outlook.office.com');
    expect(addinCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(addin.get('x-frame-options')).toBeNull();
    expect(addin.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(addin.get('x-content-type-options')).toBe('nosniff');

    // Behind the trusted proxy, X-Forwarded-Proto: https means TLS: HSTS and Secure cookies.
    const proxied = await fetch(`${server.baseUrl}/cookie-settings`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...FORM, 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
      body: 'choice=reject',
    });
    expect(proxied.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    expect(proxied.headers.getSetCookie()[0]).toContain('; Secure');
    expect(proxied.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('serves its own fonts and stylesheet', async () => {
    const css = await get(server, '/site/site.css');
    expect(css.response.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const fonts = [...css.body.matchAll(/url\((\/site\/fonts\/[^)]+)\)/g)].map((match) => match[1] ?? '');
    expect(fonts).toHaveLength(2);
    for (const font of fonts) {
      const response = await fetch(`${server.baseUrl}${font}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('font/woff2');
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
    expect((await get(server, '/site/fonts/..%2Fpackage.json')).response.status).toBe(400);
  });
});

describe('website behind an untrusted proxy', () => {
  it('ignores X-Forwarded-Proto: no HSTS, no Secure cookie', async () => {
    const server = await startTestServer();
    try {
      const response = await postConsent(server, 'choice=reject', { 'x-forwarded-proto': 'https' });
      expect(response.headers.get('strict-transport-security')).toBeNull();
      expect(response.headers.getSetCookie()[0]).not.toContain('Secure');
    } finally {
      await server.close();
    }
  });
});

describe('website over TLS', () => {
  it('serves HTTPS from TLS_CERT_FILE and TLS_KEY_FILE, with HSTS and Secure cookies', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mailissa-tls-'));
    const certFile = path.join(dir, 'cert.pem');
    const keyFile = path.join(dir, 'key.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    const server = await startTestServer({ env: { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } });
    try {
      const port = new URL(server.baseUrl).port;
      const { readFile } = await import('node:fs/promises');
      const ca = await readFile(certFile);
      const result = await new Promise<{
        status: number;
        headers: Record<string, string | string[] | undefined>;
      }>((resolve, reject) => {
        const req = httpsRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/cookie-settings',
            method: 'POST',
            ca,
            headers: { ...FORM, 'content-length': String(Buffer.byteLength('choice=reject')) },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
          },
        );
        req.on('error', reject);
        req.end('choice=reject');
      });
      expect(result.status).toBe(303);
      expect(result.headers['strict-transport-security']).toMatch(/^max-age=31536000/);
      expect(String(result.headers['set-cookie'])).toContain('; Secure');
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('rate limit', () => {
  it('answers 429 beyond the per-minute limit of one network, while others get through', async () => {
    const server = await startTestServer({
      env: { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '3' },
      now: clockStoppedMidMinute(),
    });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const response = await fetch(`${server.baseUrl}/healthz`, {
          headers: { 'x-forwarded-for': '203.0.113.60' },
        });
        statuses.push(response.status);
        const body = await response.text();
        if (response.status === 429)
          expect(JSON.parse(body)).toMatchObject({ error: { code: 'rate_limited' } });
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      const other = await fetch(`${server.baseUrl}/healthz`, {
        headers: { 'x-forwarded-for': '198.51.100.61' },
      });
      expect(other.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
