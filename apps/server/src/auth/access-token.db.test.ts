import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientCredentialsWithEmulator,
  DEMO_TENANT_ID,
  DEMO_USER_UPN,
  signInWithEmulator,
} from '../demo/emulators.js';
import {
  accessTokenClaims,
  appOnlyTokenClaims,
  idTokenClaims,
  startTestIssuer,
  type TestIssuer,
} from '../test-support/test-issuer.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

describe('access tokens at /api/me', () => {
  let issuer: TestIssuer;
  let server: TestServer;
  let claims: JWTPayload;
  let subject: Parameters<typeof accessTokenClaims>[1];

  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestServer({ env: { ENTRA_AUTHORITY_BASE: issuer.authorityBase } });
    subject = {
      tenantId: DEMO_TENANT_ID,
      objectId: randomUUID(),
      audience: server.config.entra.clientId,
      email: 'adele@contoso.example',
      name: 'Adele Vance',
    };
    claims = accessTokenClaims(issuer, subject);
  });
  afterAll(async () => {
    await server.close();
    await issuer.close();
  });

  async function callMe(authorization?: string) {
    const response = await fetch(`${server.baseUrl}/api/me`, {
      headers: authorization ? { authorization } : {},
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  }

  async function userCount(): Promise<number> {
    const result = await server.database.db.query<{ n: number }>('select count(*)::int as n from users');
    return result.rows[0]?.n ?? -1;
  }

  const now = () => Math.floor(Date.now() / 1000);

  const rejected: Array<[string, () => Promise<string | undefined>, string]> = [
    ['a missing token', async () => undefined, 'missing_token'],
    ['a malformed token', async () => 'Bearer not.a.jwt', 'malformed_token'],
    ['a header that is not Bearer', async () => 'Basic dXNlcjpwYXNz', 'malformed_token'],
    [
      'a bad signature',
      async () => {
        const token = await issuer.sign(claims);
        const [header] = token.split('.');
        const forged = base64url(JSON.stringify({ ...claims, name: 'Mallory' }));
        return `Bearer ${header}.${forged}.${token.split('.')[2]}`;
      },
      'invalid_signature',
    ],
    [
      'an unknown kid',
      async () =>
        `Bearer ${await issuer.sign(claims, { kid: 'not-published', key: await issuer.foreignKey() })}`,
      'unknown_key',
    ],
    [
      'alg none',
      async () =>
        `Bearer ${base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}.`,
      'unsupported_algorithm',
    ],
    [
      'an HS256 token signed with the public key',
      async () => {
        const pem = createPublicKey({ key: issuer.publicJwk, format: 'jwk' }).export({
          type: 'spki',
          format: 'pem',
        });
        const head = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: issuer.kid }));
        const body = base64url(JSON.stringify(claims));
        const signature = createHmac('sha256', pem).update(`${head}.${body}`).digest('base64url');
        return `Bearer ${head}.${body}.${signature}`;
      },
      'unsupported_algorithm',
    ],
    [
      'a wrong audience',
      async () => `Bearer ${await issuer.sign({ ...claims, aud: randomUUID() })}`,
      'invalid_audience',
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await issuer.sign({ ...claims, iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 })}`,
      'token_expired',
    ],
    [
      'a token not yet valid',
      async () => `Bearer ${await issuer.sign({ ...claims, nbf: now() + 3600, exp: now() + 7200 })}`,
      'token_not_yet_valid',
    ],
    [
      'an issuer that does not match tid',
      async () => `Bearer ${await issuer.sign({ ...claims, iss: issuer.issuerFor(randomUUID()) })}`,
      'invalid_issuer',
    ],
    [
      'a tid that is not a GUID',
      async () => `Bearer ${await issuer.sign({ ...claims, tid: 'contoso.example' })}`,
      'invalid_tenant',
    ],
    [
      'an app-only token with roles (client credentials)',
      async () =>
        `Bearer ${await issuer.sign(appOnlyTokenClaims(issuer, { tenantId: DEMO_TENANT_ID, audience: server.config.entra.clientId, roles: ['Transfers.ReadWrite.All'] }))}`,
      'app_only_token',
    ],
    [
      'an app-only token with idtyp app and no roles',
      async () =>
        `Bearer ${await issuer.sign(appOnlyTokenClaims(issuer, { tenantId: DEMO_TENANT_ID, audience: server.config.entra.clientId, withIdtyp: true }))}`,
      'app_only_token',
    ],
    [
      'an app-only token with neither roles nor idtyp',
      async () =>
        `Bearer ${await issuer.sign(appOnlyTokenClaims(issuer, { tenantId: DEMO_TENANT_ID, audience: server.config.entra.clientId }))}`,
      'app_only_token',
    ],
    [
      'a token saying idtyp app even with a scope',
      async () => `Bearer ${await issuer.sign({ ...claims, idtyp: 'app' })}`,
      'app_only_token',
    ],
    [
      'an ID token (audience our client id, nonce)',
      async () => `Bearer ${await issuer.sign(idTokenClaims(issuer, subject))}`,
      'id_token_not_accepted',
    ],
    [
      'an ID token without nonce but with at_hash',
      async () => {
        const { nonce: _nonce, ...rest } = idTokenClaims(issuer, subject);
        return `Bearer ${await issuer.sign({ ...rest, at_hash: 'x4V4r5lTz0e0pQ' })}`;
      },
      'id_token_not_accepted',
    ],
    [
      'a token with a foreign scope only (User.Read)',
      async () => `Bearer ${await issuer.sign({ ...claims, scp: 'User.Read' })}`,
      'missing_scope',
    ],
    [
      'a user token without any scope',
      async () => {
        const { scp: _scp, ...rest } = claims;
        return `Bearer ${await issuer.sign(rest)}`;
      },
      'missing_scope',
    ],
    ['a v1.0 token', async () => `Bearer ${await issuer.sign({ ...claims, ver: '1.0' })}`, 'invalid_token'],
  ];

  for (const [description, makeHeader, code] of rejected) {
    it(`rejects ${description} with 401 ${code} and writes nothing`, async () => {
      const { status, body } = await callMe(await makeHeader());
      expect(status).toBe(401);
      expect(body.error?.code).toBe(code);
      expect(await userCount()).toBe(0);
    });
  }

  it('answers a valid user of a tenant without subscription with 403 no_subscription and the registration URL', async () => {
    const stranger = { ...claims, tid: randomUUID(), oid: randomUUID() };
    stranger.iss = issuer.issuerFor(String(stranger.tid));
    const response = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${await issuer.sign(stranger)}` },
    });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { code: string; registrationUrl: string } };
    expect(body.error.code).toBe('no_subscription');
    expect(body.error.registrationUrl).toBe(`${server.baseUrl}/register`);
    expect(await userCount()).toBe(0);
  });

  it('accepts a valid token, records the user and returns user, tenant, roles and licences', async () => {
    const response = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${await issuer.sign(claims)}` },
    });
    expect(response.status).toBe(200);
    const me = (await response.json()) as {
      user: { email: string; displayName: string; roles: string[]; objectId: string };
      tenant: { microsoftTenantId: string; name: string };
      subscription: { plan: string };
      licences: string[];
    };
    expect(me.user).toMatchObject({
      email: 'adele@contoso.example',
      displayName: 'Adele Vance',
      objectId: claims.oid,
    });
    expect(me.user.roles).toEqual(['user_administrator', 'tenant_administrator']);
    expect(me.tenant.microsoftTenantId).toBe(DEMO_TENANT_ID);
    expect(me.subscription.plan).toBe('trial');
    expect(me.licences).toEqual(['team', 'transfer']);
    expect(await userCount()).toBe(1);
  });
});

describe('tokens the emulator issues over HTTP, at /api/me', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  async function callMe(token: string) {
    const response = await fetch(`${server.baseUrl}/api/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
  }
  async function userCount(): Promise<number> {
    const result = await server.database.db.query<{ n: number }>('select count(*)::int as n from users');
    return result.rows[0]?.n ?? -1;
  }

  it('refuses a client-credentials token for our API and an ID token, accepts the access token', async () => {
    const { clientId, clientSecret } = server.config.entra;
    const appOnly = await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret: clientSecret ?? '',
      scope: `api://${clientId}/.default`,
    });
    const signedIn = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${clientId}/access_as_user`,
      clientId,
    });
    const graphOnly = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'User.Read',
      clientId,
    });

    const before = await userCount();
    expect(await callMe(appOnly.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'app_only_token' } },
    });
    expect(await callMe(signedIn.idToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'id_token_not_accepted' } },
    });
    expect(await callMe(graphOnly.accessToken)).toMatchObject({
      status: 401,
      body: { error: { code: 'invalid_audience' } },
    });
    expect(await userCount()).toBe(before);

    expect((await callMe(signedIn.accessToken)).status).toBe(200);
    expect(await userCount()).toBe(before + 1);
  });
});
