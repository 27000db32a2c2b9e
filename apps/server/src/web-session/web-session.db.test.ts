import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_SECOND_USER_UPN,
  DEMO_USER_UPN,
  OPERATOR_TENANT_ID,
  OPERATOR_USER_OID,
  OPERATOR_USER_UPN,
} from '../demo/emulators.js';

/** A user of the operator tenant whose object id is not on OPERATOR_OBJECT_IDS. */
const OPERATOR_COLLEAGUE_UPN = 'security@mailissa-operator.example';

import { chooseUserOnEmulatorPicker } from '../demo/emulators.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

/** A browser's cookie jar, reduced to what these tests need: name=value per cookie. */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (!name) continue;
      const joined = value.join('=');
      if (joined === '' || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), joined);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

describe('portal and operator sessions', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: { SESSION_IDLE_MINUTES: '5', OPERATOR_OBJECT_IDS: OPERATOR_USER_OID },
    });
  });
  afterAll(async () => {
    await server.close();
  });

  /** Runs the browser's part of the sign-in: login → emulator picker → callback. */
  async function signIn(app: 'portal' | 'operator', user: string, returnTo?: string) {
    const jar = new CookieJar();
    const query = new URLSearchParams({ app, ...(returnTo ? { returnTo } : {}) });
    const login = await fetch(`${server.baseUrl}/auth/login?${query}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    jar.take(login);
    const authorizeUrl = login.headers.get('location') ?? '';
    const callback = await chooseUserOnEmulatorPicker(authorizeUrl, user);
    expect(`${callback.origin}${callback.pathname}`).toBe(`${server.baseUrl}/auth/callback`);
    const done = await fetch(callback, { headers: { cookie: jar.header() }, redirect: 'manual' });
    jar.take(done);
    return { jar, status: done.status, location: done.headers.get('location') ?? '', authorizeUrl };
  }

  async function session(app: 'portal' | 'operator', jar: CookieJar) {
    const response = await fetch(`${server.baseUrl}/auth/session?app=${app}`, {
      headers: { cookie: jar.header() },
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown> & { error?: { code: string } },
    };
  }

  it('signs a tenant user in to the portal with a code + PKCE flow and an HttpOnly session cookie', async () => {
    const { jar, status, location, authorizeUrl } = await signIn('portal', DEMO_USER_UPN, '/portal/users');
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${server.baseUrl}/auth/callback`);
    expect(status).toBe(303);
    expect(location).toBe('/portal/users');
    expect(jar.has('mailissa_portal')).toBe(true);

    const { status: sessionStatus, body } = await session('portal', jar);
    expect(sessionStatus).toBe(200);
    expect(body).toMatchObject({
      app: 'portal',
      user: { email: DEMO_USER_UPN, roles: ['user_administrator', 'tenant_administrator'] },
      tenant: { name: 'Contoso Demo' },
      idleTimeoutSeconds: 300,
    });
    const stored = await server.database.db.query<{ token_hash: string }>(
      'select token_hash from web_sessions',
    );
    const cookieValue = jar.header().match(/mailissa_portal=([^;]+)/)?.[1] ?? '';
    expect(stored.rows.map((row) => row.token_hash)).not.toContain(cookieValue);
  });

  it('never redirects anywhere but our own surface after sign-in', async () => {
    for (const hostile of [
      'https://evil.example/',
      '//evil.example/portal',
      '/operator/',
      '/\\evil.example',
    ]) {
      const { location } = await signIn('portal', DEMO_SECOND_USER_UPN, hostile);
      expect(location).toBe('/portal/');
    }
  });

  it('refuses a callback that this browser did not start, and one with a wrong state', async () => {
    const stray = await fetch(`${server.baseUrl}/auth/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(stray.status).toBe(400);
    expect(((await stray.json()) as { error: { code: string } }).error.code).toBe('sign_in_expired');

    const jar = new CookieJar();
    const login = await fetch(`${server.baseUrl}/auth/login?app=portal`, { redirect: 'manual' });
    jar.take(login);
    const callback = await chooseUserOnEmulatorPicker(login.headers.get('location') ?? '', DEMO_USER_UPN);
    callback.searchParams.set('state', 'forged');
    const forged = await fetch(callback, { headers: { cookie: jar.header() }, redirect: 'manual' });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('location')).toBe('/portal/?signin_error=sign_in_failed');
    expect(forged.headers.getSetCookie().some((cookie) => cookie.startsWith('mailissa_portal='))).toBe(false);
  });

  it('keeps a session alive only for requests from our pages, and ends it at sign-out', async () => {
    const { jar } = await signIn('portal', DEMO_USER_UPN);
    const withoutHeader = await fetch(`${server.baseUrl}/auth/session/keepalive?app=portal`, {
      method: 'POST',
      headers: { cookie: jar.header() },
    });
    expect(withoutHeader.status).toBe(403);
    const keepalive = await fetch(`${server.baseUrl}/auth/session/keepalive?app=portal`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-requested-with': 'mailissa' },
    });
    expect(keepalive.status).toBe(200);

    const logout = await fetch(`${server.baseUrl}/auth/logout?app=portal`, {
      method: 'POST',
      headers: { cookie: jar.header(), 'x-requested-with': 'mailissa' },
    });
    expect(logout.status).toBe(204);
    const after = await session('portal', jar);
    expect(after.status).toBe(401);
    expect(after.body.error?.code).toBe('session_ended');
  });

  it('ends a session after the configured inactivity', async () => {
    const { jar } = await signIn('portal', DEMO_USER_UPN);
    expect((await session('portal', jar)).status).toBe(200);
    await server.database.db.query(`update web_sessions set last_activity_at = now() - interval '6 minutes'`);
    const idle = await session('portal', jar);
    expect(idle.status).toBe(401);
    expect(idle.body.error?.code).toBe('session_ended');
  });

  it('admits only the configured operator staff to the operator console', async () => {
    const colleague = await signIn('operator', OPERATOR_COLLEAGUE_UPN);
    expect(colleague.location).toBe('/operator/?signin_error=not_an_operator');
    expect(colleague.jar.has('mailissa_operator')).toBe(false);
    expect(new URL(colleague.authorizeUrl).pathname).toBe(
      `/emulator/${OPERATOR_TENANT_ID}/oauth2/v2.0/authorize`,
    );

    const operator = await signIn('operator', OPERATOR_USER_UPN);
    expect(operator.location).toBe('/operator/');
    const { status, body } = await session('operator', operator.jar);
    expect(status).toBe(200);
    expect(body).toMatchObject({ app: 'operator', user: { email: OPERATOR_USER_UPN }, tenant: null });
    // An operator session is not a portal session.
    expect((await session('portal', operator.jar)).status).toBe(401);
  });
});
