import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseUserOnEmulatorPicker,
  hiddenField,
  NORTHWIND_ADMIN_UPN,
  NORTHWIND_TENANT_ID,
  NORTHWIND_USER_UPN,
  signInWithEmulator,
  waitForCaughtMail,
} from '../demo/emulators.js';
import { isAppError } from '../errors/app-error.js';
import {
  createTestClock,
  startTestServer,
  type TestClock,
  type TestServer,
} from '../test-support/test-server.js';
import { connectTenant } from './connect-tenant.js';
import { startTrial } from './start-trial.js';

/**
 * The registration portal over real HTTP against a demo-mode server: links from the mail catcher,
 * Microsoft sign-in and admin consent through the emulator, and the add-in's API for the new tenant.
 */
let server: TestServer;
let clock: TestClock;

/** A browser's cookies for one origin, enough for these pages. */
class Browser {
  readonly cookies = new Map<string, string>();
  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async get(url: string): Promise<Response> {
    const response = await fetch(new URL(url, server.baseUrl), {
      headers: { cookie: this.header() },
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }
  async post(path: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(new URL(path, server.baseUrl), {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.header(),
        origin: server.baseUrl,
      },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    this.remember(response);
    return response;
  }
}

const seenMails = new Set<string>();

/** The link in the next mail to `to` that this test file has not read yet. */
async function linkFromMail(to: string): Promise<string> {
  const mail = await waitForCaughtMail(server.baseUrl, to, {
    match: (candidate) => !seenMails.has(candidate.id),
  });
  seenMails.add(mail.id);
  const url = /(http:\/\/\S+\/register\/link\?\S+)/.exec(mail.text ?? '')?.[1];
  if (!url) throw new Error('no registration link in the mail');
  return url;
}

async function signUp(browser: Browser, email: string, fullName: string): Promise<void> {
  const form = await (await browser.get('/register?lang=en&plan=transfer')).text();
  const response = await browser.post('/register', {
    lang: 'en',
    form_token: hiddenField(form, 'form_token'),
    plan: 'transfer',
    full_name: fullName,
    email,
  });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toContain('/register/check-inbox');
}

async function useLink(browser: Browser, url: string): Promise<Response> {
  const token = new URL(url).searchParams.get('token') ?? '';
  return browser.post('/register/link', { token, lang: 'en' });
}

async function accountPage(browser: Browser): Promise<string> {
  const response = await browser.get('/register/account?lang=en');
  expect(response.status).toBe(200);
  return response.text();
}

async function connectNorthwind(browser: Browser): Promise<Response> {
  const csrf = hiddenField(await accountPage(browser), 'csrf');
  const start = await browser.post('/register/microsoft', { csrf, lang: 'en' });
  expect(start.status).toBe(303);
  const authorize = start.headers.get('location') ?? '';
  expect(authorize).toContain('/emulator/organizations/oauth2/v2.0/authorize');
  const callback = await chooseUserOnEmulatorPicker(authorize, NORTHWIND_ADMIN_UPN);
  expect(callback.pathname).toBe('/register/microsoft/callback');
  return browser.get(callback.toString());
}

async function apiMe(user: string): Promise<Response> {
  const tokens = await signInWithEmulator({
    baseUrl: server.baseUrl,
    tenantId: NORTHWIND_TENANT_ID,
    user,
    scope: `api://${server.config.entra.clientId}/access_as_user`,
    clientId: server.config.entra.clientId,
  });
  return fetch(`${server.baseUrl}/api/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
}

async function accountId(email: string): Promise<string> {
  const found = await server.database.db.query<{ id: string }>(
    'select id from registration_accounts where email = $1',
    [email],
  );
  const id = found.rows[0]?.id;
  if (!id) throw new Error(`no account ${email}`);
  return id;
}

beforeAll(async () => {
  clock = createTestClock();
  server = await startTestServer({ env: { CONTACT_MIN_SUBMIT_SECONDS: '0' }, now: clock.now });
}, 240_000);

afterAll(async () => {
  await server?.close();
});

// Generous timeouts: the shared test machine is often heavily loaded.
describe('registration portal', { timeout: 120_000 }, () => {
  it('the pricing page reads the plan table and leads each plan to its free trial', async () => {
    const page = await (await fetch(`${server.baseUrl}/pricing?lang=en`)).text();
    for (const plan of ['team', 'transfer', 'suite'])
      expect(page).toContain(`href="/register?plan=${plan}&amp;lang=en"`);
    expect(page).toContain('€60.00');
    expect(page).toContain('Free for 30 days with up to 10 users');
    const german = await (await fetch(`${server.baseUrl}/pricing?lang=de`)).text();
    expect(german).toContain('Kostenlos testen');
  });

  it('signs up with a single-use link from the mail catcher; a used or expired link does not sign in', async () => {
    const buyer = new Browser();
    await signUp(buyer, 'nora@northwind.example', 'Nora Lindqvist');
    const link = await linkFromMail('nora@northwind.example');

    // Opening the link (as a mail scanner would) confirms nothing.
    const page = await buyer.get(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Confirm and sign in');
    const unconfirmed = await server.database.db.query<{ email_confirmed_at: Date | null }>(
      'select email_confirmed_at from registration_accounts where email = $1',
      ['nora@northwind.example'],
    );
    expect(unconfirmed.rows[0]?.email_confirmed_at).toBeNull();

    const used = await useLink(buyer, link);
    expect(used.status).toBe(303);
    expect(buyer.cookies.has('mailissa_registration')).toBe(true);
    expect(await accountPage(buyer)).toContain('Signed in as Nora Lindqvist (nora@northwind.example)');

    // The same link a second time, in another browser: refused.
    const again = await useLink(new Browser(), link);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('has been used already');

    // A sign-in link expires after an hour by the server's clock.
    const other = new Browser();
    const form = await (await other.get('/register/sign-in?lang=en')).text();
    await other.post('/register/sign-in', {
      lang: 'en',
      form_token: hiddenField(form, 'form_token'),
      email: 'nora@northwind.example',
    });
    const signInLink = await linkFromMail('nora@northwind.example');
    clock.advance(61 * 60 * 1000);
    const expired = await useLink(other, signInLink);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('has expired');
    expect(other.cookies.has('mailissa_registration')).toBe(false);
    // Back in step with real time, which the tokens of the emulator are verified against.
    clock.advance(-61 * 60 * 1000);
  });

  it('asks for the full name and a valid address, naming the fields', async () => {
    const browser = new Browser();
    const form = await (await browser.get('/register?lang=de')).text();
    const response = await browser.post('/register', {
      lang: 'de',
      form_token: hiddenField(form, 'form_token'),
      full_name: '',
      email: 'not-an-address',
    });
    expect(response.status).toBe(400);
    const body = await response.text();
    expect(body).toContain('Bitte geben Sie Ihren vollständigen Namen ein.');
    expect(body).toContain('Bitte geben Sie eine gültige E-Mail-Adresse ein');
  });

  it('refuses invisible formatting and line breaks in the full name and the company data, naming the field', async () => {
    const stranger = new Browser();
    const form = await (await stranger.get('/register?lang=en')).text();
    const refused = await stranger.post('/register', {
      lang: 'en',
      form_token: hiddenField(form, 'form_token'),
      full_name: 'Nora \u202ELindqvist',
      email: 'bidi@example.com',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('without control or invisible formatting characters');
    const none = await server.database.db.query('select 1 from registration_accounts where email = $1', [
      'bidi@example.com',
    ]);
    expect(none.rowCount).toBe(0);

    const buyer = new Browser();
    await signUp(buyer, 'plain@example.com', 'Paula Plain');
    await useLink(buyer, await linkFromMail('plain@example.com'));
    const csrf = hiddenField(await accountPage(buyer), 'csrf');
    const company = {
      csrf,
      lang: 'en',
      company_name: 'Plain Paper GmbH',
      street: 'Hafenstraße 1',
      postal_code: '20457',
      city: 'Hamburg',
      country: 'DE',
      vat_id: '',
      invoice_email: 'invoices@plain.example',
      po_reference: '',
    };
    for (const bad of [
      { company_name: 'Plain\u200B Paper GmbH' },
      { company_name: 'Paper \u2067GmbH\u2069' },
      { street: 'Hafenstraße 1\nBcc: x' },
      { po_reference: 'PO\u202E42' },
    ]) {
      const answer = await buyer.post('/register/company', { ...company, ...bad });
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(await answer.text()).toContain('without control or invisible formatting characters');
    }
    const stored = await server.database.db.query<{ company_name: string | null }>(
      'select company_name from registration_accounts where email = $1',
      ['plain@example.com'],
    );
    expect(stored.rows[0]?.company_name ?? null).toBeNull();
    // The control: the same data without the hidden characters is taken.
    expect((await buyer.post('/register/company', company)).status).toBe(303);
  });

  it('keeps the signed-in account pages out of every cache, under the website’s strict CSP', async () => {
    const buyer = new Browser();
    await signUp(buyer, 'cache@example.com', 'Carla Cache');
    await useLink(buyer, await linkFromMail('cache@example.com'));
    for (const path of [
      '/register/account?lang=en',
      '/register/account/data',
      '/register/account/data.html',
    ]) {
      const response = await buyer.get(path);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect({ path, cache: response.headers.get('cache-control') }).toEqual({ path, cache: 'no-store' });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).not.toContain('unsafe-inline');
      if (path.includes('.html')) {
        // The readable export's own <style> is admitted by this response's nonce, and only by it.
        const nonce = /style-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
        expect(nonce, path).toBeDefined();
        expect(body).toContain(`<style nonce="${nonce}">`);
      } else {
        expect(csp, path).toMatch(/style-src 'self';/);
      }
    }
    // The public registration pages: no inline style either (they are the website's pages).
    const signUpPage = await fetch(`${server.baseUrl}/register?lang=en`);
    await signUpPage.text();
    expect(signUpPage.headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });

  it('connects Northwind, keeps transfers waiting for admin consent, starts the trial, and then the add-in works', async () => {
    const buyer = new Browser();
    await signUp(buyer, 'buyer@northwind.example', 'Nora Lindqvist');
    await useLink(buyer, await linkFromMail('buyer@northwind.example'));

    const connected = await connectNorthwind(buyer);
    expect(connected.status).toBe(303);
    expect(connected.headers.get('location')).toContain('notice=connected');
    let page = await accountPage(buyer);
    expect(page).toContain(NORTHWIND_TENANT_ID);
    expect(page).toContain('Consent pending');

    // The trial needs the company data first; a VAT id of the wrong form is refused by field.
    let csrf = hiddenField(page, 'csrf');
    const company = {
      csrf,
      lang: 'en',
      company_name: 'Northwind Traders GmbH',
      street: 'Hafenstraße 1',
      postal_code: '20457',
      city: 'Hamburg',
      country: 'DE',
      vat_id: 'DE12345',
      invoice_email: 'invoices@northwind.example',
      po_reference: '',
    };
    const invalid = await buyer.post('/register/company', company);
    expect(invalid.status).toBe(400);
    expect(await invalid.text()).toContain('This is not a valid VAT identification number');
    const saved = await buyer.post('/register/company', { ...company, vat_id: 'DE 136 695 976' });
    expect(saved.status).toBe(303);
    const stored = await server.database.db.query<{ vat_id: string; company_name: string }>(
      'select vat_id, company_name from registration_accounts where email = $1',
      ['buyer@northwind.example'],
    );
    expect(stored.rows[0]).toEqual({ vat_id: 'DE136695976', company_name: 'Northwind Traders GmbH' });

    page = await accountPage(buyer);
    csrf = hiddenField(page, 'csrf');
    const trial = await buyer.post('/register/trial', { csrf, lang: 'en', plan: 'transfer' });
    expect(trial.headers.get('location')).toContain('notice=trial_started');
    page = await accountPage(buyer);
    expect(page).toContain('Team: 0, Transfer: 10');
    expect(page).toContain('data-testid="subscription-state">Trial<');

    // A user of Northwind is let in, but transfers say why they cannot run yet.
    expect((await apiMe(NORTHWIND_USER_UPN)).status).toBe(200);
    const tokens = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: NORTHWIND_TENANT_ID,
      user: NORTHWIND_USER_UPN,
      scope: `api://${server.config.entra.clientId}/access_as_user`,
      clientId: server.config.entra.clientId,
    });
    const transfer = await fetch(`${server.baseUrl}/api/transfers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        targetId: '00000000-0000-4000-8000-000000000000',
        messageId: 'AAMkAD-some-message',
        internetMessageId: '<x@northwind.example>',
      }),
    });
    expect(transfer.status).toBe(409);
    expect(((await transfer.json()) as { error: { code: string } }).error.code).toBe('admin_consent_pending');

    // Admin consent through Microsoft's endpoint, as Northwind's global administrator.
    const start = await buyer.post('/register/consent', { csrf, lang: 'en' });
    const consentUrl = start.headers.get('location') ?? '';
    expect(consentUrl).toContain(`/emulator/${NORTHWIND_TENANT_ID}/v2.0/adminconsent?client_id=`);
    const back = await chooseUserOnEmulatorPicker(consentUrl, NORTHWIND_ADMIN_UPN);
    expect(back.searchParams.get('admin_consent')).toBe('True');
    expect(back.searchParams.get('tenant')).toBe(NORTHWIND_TENANT_ID);
    const granted = await buyer.get(back.toString());
    expect(granted.headers.get('location')).toContain('notice=consent_granted');
    expect(await accountPage(buyer)).toContain('data-testid="consent-state">Granted<');

    // A second buyer trying the same tenant is told who holds it (masked).
    const rival = new Browser();
    await signUp(rival, 'rival@example.com', 'Rita Rival');
    await useLink(rival, await linkFromMail('rival@example.com'));
    const refused = await connectNorthwind(rival);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('held by b•••r@n•••.example');

    // Deleting the account while its trial runs is refused: the tenant's users depend on it.
    const kept = await buyer.post('/register/account/delete', { csrf, lang: 'en', confirm: 'yes' });
    expect(kept.headers.get('location')).toContain('notice=subscription_still_live');
    // Cancelling the trial shuts the add-in for the tenant.
    const cancelled = await buyer.post('/register/trial/cancel', { csrf, lang: 'en' });
    expect(cancelled.headers.get('location')).toContain('notice=trial_cancelled');
    const me = await apiMe(NORTHWIND_USER_UPN);
    expect(me.status).toBe(403);
    expect(((await me.json()) as { error: { code: string } }).error.code).toBe('no_subscription');
  });

  it('lets the account download its data (JSON, readable page) and delete itself', async () => {
    const buyer = new Browser();
    const email = 'rita.rights@example.com';
    await signUp(buyer, email, 'Rita Rights');
    await useLink(buyer, await linkFromMail(email));
    const page = await accountPage(buyer);
    expect(page).toContain('Your data');

    const json = await buyer.get('/register/account/data');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toContain('attachment');
    const data = (await json.json()) as { tables: { table: string; rows: { email?: string }[] }[] };
    expect(data.tables.find((table) => table.table === 'registration_accounts')?.rows[0]?.email).toBe(email);
    const readable = await buyer.get('/register/account/data.html?lang=de');
    expect(readable.status).toBe(200);
    expect(await readable.text()).toContain('registration_accounts');

    // Without the tick nothing happens; with it the account is gone and the session with it.
    const csrf = hiddenField(page, 'csrf');
    const unconfirmed = await buyer.post('/register/account/delete', { csrf, lang: 'en' });
    expect(unconfirmed.headers.get('location')).toContain('notice=delete_unconfirmed');
    await accountId(email);
    const deleted = await buyer.post('/register/account/delete', { csrf, lang: 'en', confirm: 'yes' });
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('Your data has been deleted');
    const left = await server.database.db.query('select 1 from registration_accounts where email = $1', [
      email,
    ]);
    expect(left.rowCount).toBe(0);
    expect((await buyer.get('/register/account?lang=en')).status).toBe(303);
    // The request is on record as answered, for the proof the law asks for.
    const recorded = await server.database.db.query<{ kind: string; status: string }>(
      `select kind, status from rights_requests where subject_email = $1 order by received_at`,
      [email],
    );
    expect(recorded.rows).toEqual([
      { kind: 'access', status: 'completed' },
      { kind: 'access', status: 'completed' },
      { kind: 'erasure', status: 'completed' },
    ]);
  });

  it('refuses an account-page POST without the session’s CSRF token', async () => {
    const buyer = new Browser();
    await signUp(buyer, 'csrf@example.com', 'Carl Csrf');
    await useLink(buyer, await linkFromMail('csrf@example.com'));
    const response = await buyer.post('/register/trial', { csrf: 'forged.token', lang: 'en', plan: 'team' });
    expect(response.status).toBe(403);
  });

  it('gives a tenant at most one subscription when two accounts start a trial at the same moment', async () => {
    const { db } = server.database;
    const microsoftTenantId = '0f0e0d0c-0b0a-4909-8807-060504030201';
    const now = clock.now();
    const accounts: string[] = [];
    for (const email of ['first@fabrikam-like.example', 'second@fabrikam-like.example']) {
      await db.query(
        `insert into registration_accounts (email, full_name, language, created_at, email_confirmed_at, company_name,
                                            street, postal_code, city, country, invoice_email)
         values ($1, 'Someone', 'en', $2, $2, 'Race Ltd', 'Street 1', '1000', 'Vienna', 'AT', $1)`,
        [email, now],
      );
      const id = await accountId(email);
      expect((await connectTenant(db, id, { microsoftTenantId, email }, now)).outcome).toBe('connected');
      accounts.push(id);
    }
    const results = await Promise.allSettled(accounts.map((id) => startTrial(db, id, 'suite', now)));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected');
    const reason: unknown = rejected?.status === 'rejected' ? rejected.reason : null;
    expect(isAppError(reason) && reason.code).toBe('subscription_exists');
    const count = await db.query<{ n: number }>(
      `select count(*)::int as n from subscriptions s join tenants t on t.id = s.tenant_id
        where t.microsoft_tenant_id = $1`,
      [microsoftTenantId],
    );
    expect(count.rows[0]?.n).toBe(1);
  });
});
