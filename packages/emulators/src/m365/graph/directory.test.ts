import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeJwt, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import { clientCredentialsWithEmulator, signInWithEmulator } from '../emulator-sign-in.js';
import {
  DEMO_GROUP_IDS,
  DEMO_SECOND_USER_UPN,
  DEMO_USER_OID,
  DEMO_USER_UPN,
  SECOND_TENANT_USER_UPN,
} from '../seed/directory-seed.js';
import { DEMO_TENANT_ID, SECOND_TENANT_ID } from '../seed/tenant-ids.js';

let server: TestEmulatorServer;
let graph: string;
let userToken: string;
let appToken: string;

beforeAll(async () => {
  server = await startEmulatorServer();
  graph = `${server.baseUrl}/emulator/graph/v1.0`;
  const clientId = server.config.entra.clientId;
  userToken = (
    await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'https://graph.microsoft.com/.default',
      clientId,
    })
  ).accessToken;
  appToken = (
    await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret: server.config.entra.clientSecret,
    })
  ).accessToken;
});
afterAll(async () => server?.close());

async function get(path: string, token: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(path.startsWith('http') ? path : `${graph}${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

describe('emulator Graph: authentication', () => {
  it('answers 401 InvalidAuthenticationToken with WWW-Authenticate without a token', async () => {
    const response = await get('/me', undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="", authorization_uri=/);
    const error = response.body.error as { code: string; innerError: Record<string, string> };
    expect(error.code).toBe('InvalidAuthenticationToken');
    expect(error.innerError['request-id']).toBeTruthy();
    expect(error.innerError.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('answers 401 for a token issued for another audience (our API)', async () => {
    const clientId = server.config.entra.clientId;
    const api = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${clientId}/access_as_user`,
      clientId,
    });
    expect(decodeJwt(api.accessToken).aud).toBe(clientId);
    const response = await get('/me', api.accessToken);
    expect(response.status).toBe(401);
    expect((response.body.error as { code: string }).code).toBe('InvalidAuthenticationToken');
    // An ID token is no access token for Graph either (its audience is the client).
    const idToken = await get('/me', api.idToken);
    expect(idToken.status).toBe(401);
    expect((idToken.body.error as { code: string }).code).toBe('InvalidAuthenticationToken');
  });

  it('answers 401 for an expired token, a foreign signature and a wrong issuer', async () => {
    const stored = JSON.parse(
      await readFile(path.join(server.dataDir, 'emulator', 'signing-keys.json'), 'utf8'),
    ) as {
      keys: Array<JWK & { kid: string }>;
    };
    const jwk = stored.keys[0] as JWK & { kid: string };
    const ownKey = await importJWK(jwk, 'RS256');
    const { privateKey: foreignKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      aud: 'https://graph.microsoft.com',
      iss: `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/v2.0`,
      tid: DEMO_TENANT_ID,
      oid: DEMO_USER_OID,
      scp: 'User.Read',
      ver: '2.0',
    };
    const sign = (
      payload: Record<string, unknown>,
      key: typeof ownKey,
      times: { iat: number; exp: number },
    ) =>
      new SignJWT({ ...payload, iat: times.iat, nbf: times.iat, exp: times.exp })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: jwk.kid })
        .sign(key);
    const valid = await sign(claims, ownKey, { iat: now, exp: now + 600 });
    expect((await get('/me', valid)).status).toBe(200);
    const expired = await sign(claims, ownKey, { iat: now - 7200, exp: now - 3600 });
    const expiredResponse = await get('/me', expired);
    expect(expiredResponse.status).toBe(401);
    expect((expiredResponse.body.error as { message: string }).message).toMatch(/expired/);
    expect((await get('/me', await sign(claims, foreignKey, { iat: now, exp: now + 600 }))).status).toBe(401);
    const wrongIssuer = { ...claims, iss: `${server.baseUrl}/emulator/${SECOND_TENANT_ID}/v2.0` };
    expect((await get('/me', await sign(wrongIssuer, ownKey, { iat: now, exp: now + 600 }))).status).toBe(
      401,
    );
    // Graph's rule: a token must say what it may do, delegated in `scp` or app-only in `roles`.
    const { scp: _scp, ...grantsNothing } = claims;
    const bare = await get('/me', await sign(grantsNothing, ownKey, { iat: now, exp: now + 600 }));
    expect(bare.status).toBe(401);
    expect((bare.body.error as { message: string }).message).toBe(
      'Either scp or roles claim need to be present in the token.',
    );
  });

  it('answers 403 Authorization_RequestDenied when a scope is missing', async () => {
    const clientId = server.config.entra.clientId;
    const narrow = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'User.Read',
      clientId,
    });
    expect((await get('/me', narrow.accessToken)).status).toBe(200);
    const users = await get('/users', narrow.accessToken);
    expect(users.status).toBe(403);
    expect((users.body.error as { code: string }).code).toBe('Authorization_RequestDenied');
  });
});

describe('emulator Graph: users and groups', () => {
  it('returns /me with the default property set', async () => {
    const me = await get('/me', userToken);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: DEMO_USER_OID,
      userPrincipalName: DEMO_USER_UPN,
      mail: DEMO_USER_UPN,
      businessPhones: expect.any(Array),
    });
    expect(me.body['@odata.context']).toBe(`${graph}/$metadata#users/$entity`);
    expect(me.headers.get('content-type')).toContain('application/json;odata.metadata=minimal');
  });

  it('pages /users with $top and absolute nextLinks until the end', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${graph}/users?$top=7&$select=id,displayName`;
    let pages = 0;
    while (url) {
      const page = await get(url, appToken);
      expect(page.status).toBe(200);
      const value = page.body.value as Array<{ id: string; displayName: string; mail?: string }>;
      expect(value.length).toBeLessThanOrEqual(7);
      expect(value[0]?.mail).toBeUndefined();
      seen.push(...value.map((u) => u.id));
      url = page.body['@odata.nextLink'] as string | undefined;
      if (url) expect(url.startsWith(`${graph}/users?`)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(3);
    // Twenty people and the shared mailbox, which Graph lists as a user too.
    expect(new Set(seen).size).toBe(21);
  });

  it('filters users by mail and startswith(displayName)', async () => {
    const byMail = await get(
      `/users?$filter=${encodeURIComponent(`mail eq '${DEMO_SECOND_USER_UPN}'`)}`,
      appToken,
    );
    expect((byMail.body.value as unknown[]).length).toBe(1);
    const byName = await get(`/users?$filter=${encodeURIComponent("startswith(displayName,'l')")}`, appToken);
    expect((byName.body.value as Array<{ displayName: string }>).map((u) => u.displayName).sort()).toEqual([
      'Laura Schwarz',
      'Lena Fischer',
      'Leon Wolf',
      'Lukas Becker',
    ]);
  });

  it('requires ConsistencyLevel: eventual for $search and honours $count with it', async () => {
    const search = `/users?$search=${encodeURIComponent('"displayName:lena"')}&$count=true`;
    const without = await get(search, appToken);
    expect(without.status).toBe(400);
    expect((without.body.error as { code: string }).code).toBe('Request_UnsupportedQuery');
    const withHeader = await get(search, appToken, { ConsistencyLevel: 'eventual' });
    expect(withHeader.status).toBe(200);
    expect(withHeader.body['@odata.count']).toBe(1);
    const endsWith = `/users?$filter=${encodeURIComponent("endswith(mail,'@contoso.example')")}`;
    expect((await get(endsWith, appToken)).status).toBe(400);
    const endsWithOk = await get(`${endsWith}&$count=true`, appToken, { ConsistencyLevel: 'eventual' });
    expect(endsWithOk.body['@odata.count']).toBe(21);
    const groupsCount = await get('/groups?$count=true', appToken);
    expect(groupsCount.body['@odata.count']).toBeUndefined();
  });

  it('keeps tenants apart', async () => {
    const other = await get(`/users/${SECOND_TENANT_USER_UPN}`, appToken);
    expect(other.status).toBe(404);
    expect((other.body.error as { code: string }).code).toBe('Request_ResourceNotFound');
    const clientId = server.config.entra.clientId;
    const secondApp = await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: SECOND_TENANT_ID,
      clientId,
      clientSecret: server.config.entra.clientSecret,
    });
    const users = await get('/users', secondApp.accessToken);
    expect((users.body.value as unknown[]).length).toBe(3);
  });

  it('resolves nested group membership transitively', async () => {
    const platformEngineer = 'elias.zimmermann@contoso.example';
    const transitive = await get(`/users/${platformEngineer}/transitiveMemberOf`, appToken);
    const names = (transitive.body.value as Array<{ displayName: string; '@odata.type': string }>)
      .map((g) => g.displayName)
      .sort();
    expect(names).toEqual(['All Staff', 'Engineering', 'Platform Team']);
    const check = await fetch(`${graph}/users/${platformEngineer}/checkMemberGroups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ groupIds: [DEMO_GROUP_IDS['all-staff'], DEMO_GROUP_IDS.sales] }),
    });
    expect(((await check.json()) as { value: string[] }).value).toEqual([DEMO_GROUP_IDS['all-staff']]);
    const members = await get(`/groups/${DEMO_GROUP_IDS.engineering}/members`, appToken);
    const types = (members.body.value as Array<{ '@odata.type': string }>).map((m) => m['@odata.type']);
    expect(types).toContain('#microsoft.graph.group');
    expect(types).toContain('#microsoft.graph.user');
  });
});

describe('emulator Graph: JSON batching', () => {
  it('runs sub-requests with the outer token and honours dependsOn', async () => {
    const response = await fetch(`${graph}/$batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        requests: [
          { id: '1', method: 'GET', url: `/users/${DEMO_USER_UPN}?$select=displayName` },
          { id: '2', method: 'GET', url: '/users/nobody@contoso.example' },
          { id: '3', method: 'GET', url: '/groups?$top=1', dependsOn: ['2'] },
        ],
      }),
    });
    expect(response.status).toBe(200);
    const { responses } = (await response.json()) as {
      responses: Array<{ id: string; status: number; body: Record<string, unknown> }>;
    };
    const byId = Object.fromEntries(responses.map((r) => [r.id, r]));
    expect(byId['1']?.status).toBe(200);
    expect(byId['1']?.body.displayName).toBe('Anna Berger');
    expect(byId['2']?.status).toBe(404);
    expect(byId['3']?.status).toBe(424);
  });
});

describe('emulator Graph: fault injection', () => {
  it('answers the next matching requests with the injected status and Retry-After', async () => {
    server.app.emulator.faults.inject({
      method: 'GET',
      pathPattern: /\/users$/,
      status: 429,
      retryAfterSeconds: 2,
      times: 2,
    });
    const first = await get('/users', appToken);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((first.body.error as { code: string }).code).toBe('TooManyRequests');
    expect((await get('/users', appToken)).status).toBe(429);
    expect((await get('/users', appToken)).status).toBe(200);
    server.app.emulator.faults.inject({ pathPattern: /\/me$/, status: 503, times: 5 });
    server.app.emulator.faults.clear();
    expect((await get('/me', userToken)).status).toBe(200);
  });
});
