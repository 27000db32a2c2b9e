import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hiddenField } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

/** What browsers send when another site's page makes them post to us. */
const CROSS_SITE: Record<string, string>[] = [
  { 'sec-fetch-site': 'cross-site', origin: 'https://attacker.example' },
  { 'sec-fetch-site': 'same-site', origin: 'https://other.mailissa.example' },
  { origin: 'https://attacker.example' },
  { origin: 'null' },
  // Origin null counts as ours only when the browser itself says same-origin.
  { 'sec-fetch-site': 'cross-site', origin: 'null' },
  { 'sec-fetch-site': 'cross-site' },
];

let server: TestServer;
let operatorCookie: string;

beforeAll(async () => {
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' } });
  const session = await createWebSession(
    server.database.db,
    { app: 'operator', operatorEmail: 'operator@mailissa.example', displayName: 'Operator' },
    new Date(),
  );
  operatorCookie = `mailissa_operator=${session.token}`;
});
afterAll(async () => {
  await server.close();
});

async function postForm(path: string, fields: Record<string, string>, headers: Record<string, string>) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
  return { status: response.status, text: await response.text() };
}

async function formFields(path: string): Promise<Record<string, string>> {
  const page = await (await fetch(`${server.baseUrl}${path}?lang=en`)).text();
  const fields: Record<string, string> = { lang: 'en', form_token: hiddenField(page, 'form_token') };
  if (path === '/newsletter') fields.consent_version = hiddenField(page, 'consent_version');
  return fields;
}

async function count(table: string): Promise<number> {
  const result = await server.database.db.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return result.rows[0]?.n ?? -1;
}

describe('website forms refuse cross-site posts', () => {
  it('refuses the contact form, the newsletter sign-up and the cookie choice from another site', async () => {
    const contact = {
      ...(await formFields('/contact')),
      name: 'Erika Muster',
      email: 'erika@example.com',
      message: 'Hello there, a question about prices.',
    };
    const newsletter = { ...(await formFields('/newsletter')), email: 'news@example.com', consent: 'on' };
    const consent = { choice: 'accept', return_to: '/' };
    for (const headers of CROSS_SITE) {
      for (const [path, fields] of [
        ['/contact', contact],
        ['/newsletter', newsletter],
        ['/cookie-settings', consent],
      ] as const) {
        const answer = await postForm(path, fields, headers);
        expect({ path, headers, status: answer.status }).toEqual({ path, headers, status: 403 });
        // JSON (`cross_site_form`) or the site's error page: either names the reason.
        expect(answer.text).toMatch(/cross_site_form|can only be sent from our own pages/);
      }
    }
    expect(await count('contact_enquiries')).toBe(0);
    expect(await count('newsletter_subscribers')).toBe(0);
    expect(await count('consent_records')).toBe(0);
  });

  it('refuses the registration sign-up and sign-in and the privacy request form from another site', async () => {
    const signUp = {
      ...(await formFields('/register')),
      plan: 'transfer',
      full_name: 'Erika Muster',
      email: 'erika@example.com',
    };
    const signIn = { ...(await formFields('/register/sign-in')), email: 'erika@example.com' };
    const request = {
      ...(await formFields('/privacy/request')),
      email: 'erika@example.com',
      kind: 'access',
      details: '',
    };
    for (const headers of CROSS_SITE) {
      for (const [path, fields] of [
        ['/register', signUp],
        ['/register/sign-in', signIn],
        ['/privacy/request', request],
        ['/privacy/request/confirm', { token: 'any', lang: 'en' }],
      ] as const) {
        const answer = await postForm(path, fields, headers);
        expect({ path, headers, status: answer.status }).toEqual({ path, headers, status: 403 });
        expect(answer.text).toMatch(/cross_site_form|can only be sent from our own pages/);
      }
    }
    expect(await count('registration_accounts')).toBe(0);
    expect(await count('rights_requests')).toBe(0);
    // The control: the same sign-up from our own page is taken.
    const own = await postForm('/register', signUp, {
      'sec-fetch-site': 'same-origin',
      origin: server.baseUrl,
    });
    expect(own.status).toBe(303);
    expect(await count('registration_accounts')).toBe(1);
  });

  it('takes the same forms from our own pages', async () => {
    const own = { 'sec-fetch-site': 'same-origin', origin: server.baseUrl };
    const contact = await postForm(
      '/contact',
      {
        ...(await formFields('/contact')),
        name: 'Erika Muster',
        email: 'erika@example.com',
        message: 'Hello there, a question about prices.',
      },
      own,
    );
    expect(contact.status).toBe(303);
    const newsletter = await postForm(
      '/newsletter',
      { ...(await formFields('/newsletter')), email: 'news@example.com', consent: 'on' },
      { origin: server.baseUrl },
    );
    expect(newsletter.status).toBe(303);
    // Sec-Fetch-Site alone, Origin alone, and neither (not a browser's cross-site request).
    const fromUs: Record<string, string>[] = [
      { 'sec-fetch-site': 'same-origin' },
      { origin: server.baseUrl },
      {},
    ];
    for (const headers of fromUs) {
      expect((await postForm('/cookie-settings', { choice: 'accept', return_to: '/' }, headers)).status).toBe(
        303,
      );
    }
    expect(await count('contact_enquiries')).toBe(1);
    expect(await count('consent_records')).toBe(3);
  });

  it('sends an origin-only referrer policy on pages whose URL holds a token, so their forms carry a real Origin', async () => {
    for (const path of [
      '/newsletter/confirm?token=abc&lang=en',
      '/newsletter/unsubscribe?token=abc&lang=en',
      '/register/link?token=abc&lang=en',
      '/marketplace/landing?token=abc&lang=en',
    ]) {
      const page = await fetch(`${server.baseUrl}${path}`);
      await page.text();
      expect({ path, policy: page.headers.get('referrer-policy') }).toEqual({
        path,
        policy: 'strict-origin',
      });
    }
    const home = await fetch(`${server.baseUrl}/`);
    await home.text();
    expect(home.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });
});

describe('cookie-authenticated API refuses cross-site changes', () => {
  async function send(method: string, path: string, headers: Record<string, string>, body?: unknown) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method,
      headers: {
        cookie: operatorCookie,
        'x-requested-with': 'mailissa',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, code: text.startsWith('{') ? JSON.parse(text).error?.code : undefined };
  }

  it('refuses operator API changes and session routes from another site, with csrf_check_failed', async () => {
    const campaign = { subject: 'Spring news', bodyText: 'Hello subscribers.' };
    for (const headers of CROSS_SITE) {
      expect(await send('POST', '/operator/api/newsletter/campaigns', headers, campaign)).toEqual({
        status: 403,
        code: 'csrf_check_failed',
      });
      expect(
        await send('DELETE', '/operator/api/enquiries/7f0b6a47-3c55-4a3c-9a55-0a1f1c2a9e01', headers),
      ).toEqual({ status: 403, code: 'csrf_check_failed' });
      expect(await send('POST', '/auth/session/keepalive?app=operator', headers)).toEqual({
        status: 403,
        code: 'csrf_check_failed',
      });
      expect(await send('POST', '/auth/logout?app=operator', headers)).toEqual({
        status: 403,
        code: 'csrf_check_failed',
      });
    }
    expect(await count('newsletter_campaigns')).toBe(0);
    // Reading is not a change: the session still works, and our own pages may change things.
    const own = { 'sec-fetch-site': 'same-origin', origin: server.baseUrl };
    expect((await send('GET', '/operator/api/enquiries', { 'sec-fetch-site': 'cross-site' })).status).toBe(
      200,
    );
    expect((await send('POST', '/auth/session/keepalive?app=operator', own)).status).toBe(200);
    const deleted = await send('DELETE', '/operator/api/enquiries/7f0b6a47-3c55-4a3c-9a55-0a1f1c2a9e01', own);
    expect(deleted.status).toBeLessThan(300);
  });
});
