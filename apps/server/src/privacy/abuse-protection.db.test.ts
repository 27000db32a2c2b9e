import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_SECOND_USER_UPN,
  DEMO_TENANT_ID,
  DEMO_USER_UPN,
  signInWithEmulator,
} from '../demo/emulators.js';
import { createTestDatabase, type TestDatabase } from '../test-support/test-database.js';
import { clockStoppedMidMinute, startTestServer, type TestServer } from '../test-support/test-server.js';
import { createWebSession } from '../web-session/web-session.store.js';

/**
 * Rate limits and blocks as a client sees them, through a trusted proxy (the test itself on
 * 127.0.0.1), so every client below is a forwarded address and none is the exempt machine itself.
 */
const GUARD_ENV = {
  TRUST_PROXY: '127.0.0.1/32,::1',
  BLOCK_AFTER_FAILURES: '4',
  BLOCK_FAILURE_WINDOW_SECONDS: '60',
  BLOCK_DURATION_SECONDS: '600',
  IPV6_NETWORK_PREFIX: '64',
};

async function get(
  server: TestServer,
  path: string,
  from: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; code: string | undefined }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    headers: { 'x-forwarded-for': from, ...headers },
    redirect: 'manual',
  });
  const text = await response.text();
  let code: string | undefined;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  // The failure is counted after the response is sent; wait for it before the next request.
  await server.app.usageLog.settle();
  return { status: response.status, code };
}

/** Scans unknown API paths from `from` until the guard blocks it; returns the statuses seen. */
async function scan(server: TestServer, from: string, times = 4): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt < times; attempt += 1) {
    statuses.push((await get(server, `/api/admin/config-${attempt}.php`, from)).status);
  }
  return statuses;
}

describe('abuse protection', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: GUARD_ENV });
  });
  afterAll(async () => {
    await server.close();
  });

  it('does not block an office for missing assets, signed-out pages or expired sessions', async () => {
    const office = '203.0.113.10';
    // A browser asking for the icon on every page load: the server answers it.
    const icon = await fetch(`${server.baseUrl}/favicon.ico`, { headers: { 'x-forwarded-for': office } });
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    await icon.arrayBuffer();
    // 200 requests for a missing icon (404 each), far past the 4 failures that block a network.
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const missing = await fetch(`${server.baseUrl}/apple-touch-icon.png`, {
        headers: { 'x-forwarded-for': office },
      });
      expect(missing.status).toBe(404);
      await missing.arrayBuffer();
    }
    // Signed-out loads of the portal and the operator console, and an add-in call without a token.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await get(server, '/auth/session?app=portal', office)).toEqual({
        status: 401,
        code: 'not_signed_in',
      });
      expect(await get(server, '/portal/api/users', office)).toMatchObject({ status: 401 });
      expect(await get(server, '/operator/api/enquiries', office)).toMatchObject({ status: 401 });
      expect(await get(server, '/api/me', office)).toEqual({ status: 401, code: 'missing_token' });
    }
    await server.app.usageLog.settle();
    expect((await get(server, '/', office)).status).toBe(200);
    const counted = await server.database.db.query('select 1 from abuse_networks');
    expect(counted.rowCount).toBe(0);
  });

  it("does not count a signed-in user's 403 (no licence, not an administrator)", async () => {
    const office = '203.0.114.20';
    // Two people of one tenant sign in (from the machine itself): the first becomes its administrator.
    const { clientId } = server.config.entra;
    let colleagueOid = '';
    for (const user of [DEMO_USER_UPN, DEMO_SECOND_USER_UPN]) {
      const tokens = await signInWithEmulator({
        baseUrl: server.baseUrl,
        tenantId: DEMO_TENANT_ID,
        user,
        scope: `api://${clientId}/access_as_user`,
        clientId,
      });
      const me = await fetch(`${server.baseUrl}/api/me`, {
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      });
      expect(me.status).toBe(200);
      await me.text();
      colleagueOid = String(decodeJwt(tokens.accessToken).oid);
    }
    const { rows } = await server.database.db.query<{ id: string; tenant_id: string }>(
      'select id, tenant_id from users where entra_object_id = $1',
      [colleagueOid],
    );
    const colleague = rows[0];
    if (!colleague) throw new Error('the colleague was not recorded');
    const session = await createWebSession(
      server.database.db,
      { app: 'portal', tenantId: colleague.tenant_id, userId: colleague.id, displayName: 'Colleague' },
      new Date(),
    );
    // The colleague opens the administrators' pages again and again, far past the 4 that block.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      expect(
        await get(server, '/portal/api/users', office, { cookie: `mailissa_portal=${session.token}` }),
      ).toEqual({ status: 403, code: 'administrators_only' });
    }
    expect((await get(server, '/', office)).status).toBe(200);
    const counted = await server.database.db.query('select 1 from abuse_networks where network = $1', [
      '203.0.114.0/24',
    ]);
    expect(counted.rowCount).toBe(0);
  });

  it('blocks a network after scans of unknown API paths, for all its addresses', async () => {
    expect(await scan(server, '192.0.2.10')).toEqual([404, 404, 404, 404]);
    expect(await get(server, '/', '192.0.2.10')).toEqual({ status: 429, code: 'temporarily_blocked' });
    // Another address of the same /24 is the same network.
    expect(await get(server, '/pricing', '192.0.2.200')).toEqual({
      status: 429,
      code: 'temporarily_blocked',
    });
    expect((await get(server, '/', '192.0.3.10')).status).toBe(200);
    // What is kept is the network, never the address.
    const rows = await server.database.db.query<{ network: string; blocked_until: Date | null }>(
      'select network, blocked_until from abuse_networks',
    );
    expect(rows.rows.map((row) => row.network)).toEqual(['192.0.2.0/24']);
  });

  it('counts invalid access tokens, not missing ones', async () => {
    const from = '198.18.7.1';
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const answer = await get(server, '/api/me', from, { authorization: 'Bearer not.a.token' });
      expect(answer.status).toBe(401);
    }
    expect(await get(server, '/api/me', from)).toEqual({ status: 429, code: 'temporarily_blocked' });
  });

  it('counts sign-in answers that fail verification', async () => {
    const from = '198.18.9.1';
    for (let attempt = 0; attempt < 4; attempt += 1) {
      // A sign-in started here, and an answer that does not belong to it (a wrong state).
      const login = await fetch(`${server.baseUrl}/auth/login?app=portal`, {
        headers: { 'x-forwarded-for': from },
        redirect: 'manual',
      });
      expect(login.status).toBe(302);
      await login.text();
      const cookie = login.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      const callback = await fetch(`${server.baseUrl}/auth/callback?code=stolen&state=not-ours`, {
        headers: { 'x-forwarded-for': from, cookie },
        redirect: 'manual',
      });
      expect(callback.status).toBe(303);
      expect(callback.headers.get('location')).toContain('signin_error=sign_in_failed');
      await callback.text();
      await server.app.usageLog.settle();
    }
    expect(await get(server, '/', from)).toEqual({ status: 429, code: 'temporarily_blocked' });
  });

  it('counts form spam: a filled trap field, a forged form token', async () => {
    const from = '198.18.10.1';
    const post = async (fields: Record<string, string>) => {
      const response = await fetch(`${server.baseUrl}/contact`, {
        method: 'POST',
        headers: { 'x-forwarded-for': from, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          lang: 'en',
          name: 'Bot',
          email: 'bot@example.com',
          message: 'Buy now.',
          ...fields,
        }),
        redirect: 'manual',
      });
      await response.text();
      await server.app.usageLog.settle();
      return response.status;
    };
    expect(await post({ form_token: 'forged.token' })).toBe(400);
    expect(await post({ form_token: 'forged.token' })).toBe(400);
    // The hidden trap field (site-form.ts) filled in: a bot is told "thank you".
    expect(await post({ form_token: 'forged.token', website: 'https://spam.example' })).toBe(303);
    expect(await post({ form_token: 'forged.token', website: 'https://spam.example' })).toBe(303);
    expect(await get(server, '/', from)).toEqual({ status: 429, code: 'temporarily_blocked' });
  });

  it('blocks an IPv6 /64 as one network, and a neighbouring /64 not', async () => {
    expect(await scan(server, '2001:db8:1:2::1')).toEqual([404, 404, 404, 404]);
    expect(await get(server, '/', '2001:db8:1:2:ffff:ffff:ffff:fffe')).toEqual({
      status: 429,
      code: 'temporarily_blocked',
    });
    expect((await get(server, '/', '2001:db8:1:3::1')).status).toBe(200);
  });

  it('folds the IPv4-mapped IPv6 form into the IPv4 network', async () => {
    expect(await scan(server, '198.51.100.7')).toEqual([404, 404, 404, 404]);
    expect(await get(server, '/', '::ffff:198.51.100.8')).toEqual({
      status: 429,
      code: 'temporarily_blocked',
    });
    expect(await scan(server, '::ffff:198.51.101.7')).toEqual([404, 404, 404, 404]);
    expect(await get(server, '/', '198.51.101.99')).toEqual({ status: 429, code: 'temporarily_blocked' });
  });

  it('limits a forwarded loopback address like anyone; only the real local peer is exempt', async () => {
    expect(await scan(server, '127.0.0.1')).toEqual([404, 404, 404, 404]);
    expect(await get(server, '/', '127.0.0.1')).toEqual({ status: 429, code: 'temporarily_blocked' });
    // A fresh forwarded address of the same network gets no fresh budget.
    expect(await get(server, '/', '127.0.0.2')).toEqual({ status: 429, code: 'temporarily_blocked' });
    // The machine itself, without a forwarded address, is not the client above.
    const local = await fetch(`${server.baseUrl}/`);
    expect(local.status).toBe(200);
    await local.text();
  });
});

describe('rate limit per network', () => {
  // A named proxy, and `true` (anyone's X-Forwarded-For is believed: refused in production, but where
  // it is set, a client claiming to be 127.0.0.1 must still not become the exempt machine).
  it.each(['127.0.0.1', 'true'])(
    'counts a forwarded loopback address and its network neighbours against one budget (TRUST_PROXY=%s)',
    async (trustProxy) => {
      const server = await startTestServer({
        env: { TRUST_PROXY: trustProxy, RATE_LIMIT_PER_MINUTE: '3' },
        now: clockStoppedMidMinute(),
      });
      try {
        const statuses: number[] = [];
        for (const from of ['127.0.0.1', '127.0.0.1', '127.0.0.5', '127.0.0.9']) {
          statuses.push((await get(server, '/healthz', from)).status);
        }
        expect(statuses).toEqual([200, 200, 200, 429]);
        expect((await get(server, '/healthz', '203.0.113.1')).status).toBe(200);
        // The machine itself stays exempt.
        for (let attempt = 0; attempt < 5; attempt += 1) {
          const local = await fetch(`${server.baseUrl}/healthz`);
          expect(local.status).toBe(200);
          await local.text();
        }
      } finally {
        await server.close();
      }
    },
  );
});

describe('blocks shared across server instances', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('gives a network one rate-limit budget across instances of the same database', async () => {
    const env = { TRUST_PROXY: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '4' };
    // Both instances on one clock, standing within one budget window.
    const now = clockStoppedMidMinute();
    const first = await startTestServer({ env, database, now });
    const second = await startTestServer({ env, database, now });
    try {
      // Four requests of one /24, spread over both instances, use the budget up; each instance alone
      // saw only two (an in-memory counter per process would let the next ones through).
      const statuses: number[] = [];
      for (const [server, from] of [
        [first, '198.51.100.1'],
        [second, '198.51.100.2'],
        [first, '198.51.100.3'],
        [second, '198.51.100.4'],
        [second, '198.51.100.5'],
        [first, '198.51.100.6'],
      ] as const) {
        statuses.push((await get(server, '/healthz', from)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(await get(first, '/healthz', '198.51.100.7')).toEqual({ status: 429, code: 'rate_limited' });
      // Another network has its own budget, on either instance.
      expect((await get(second, '/healthz', '192.0.2.1')).status).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('honours a block made by one instance on another instance of the same database', async () => {
    // Each instance reads the blocks in force every BLOCK_CACHE_SECONDS (5 s by default); at 0 it
    // reads them on every request, so another instance's block shows at once, without waiting.
    const shared = { ...GUARD_ENV, BLOCK_CACHE_SECONDS: '0' };
    const first = await startTestServer({ env: shared, database });
    const second = await startTestServer({ env: shared, database });
    try {
      expect((await get(second, '/', '2001:db8:77:1::5')).status).toBe(200);
      expect(await scan(first, '203.0.113.50')).toEqual([404, 404, 404, 404]);
      expect(await get(second, '/', '203.0.113.51')).toEqual({ status: 429, code: 'temporarily_blocked' });
      // Failures counted on both instances add up in one window.
      expect(await scan(first, '2001:db8:77:1::5', 2)).toEqual([404, 404]);
      expect(await scan(second, '2001:db8:77:1::6', 2)).toEqual([404, 404]);
      expect(await get(second, '/', '2001:db8:77:1::7')).toEqual({
        status: 429,
        code: 'temporarily_blocked',
      });
    } finally {
      await first.close();
      await second.close();
    }
  });
});
