import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorServer, type TestEmulatorServer } from '../../test-support/start-emulator-server.js';
import {
  clientCredentialsWithEmulator,
  onBehalfOfWithEmulator,
  refreshWithEmulator,
  signInWithEmulator,
} from '../emulator-sign-in.js';
import { DEMO_USER_OID, DEMO_USER_UPN, SECOND_TENANT_USER_UPN } from '../seed/directory-seed.js';
import {
  DEMO_TENANT_ID,
  NORTHWIND_TENANT_ID,
  OPERATOR_TENANT_ID,
  SECOND_TENANT_ID,
} from '../seed/tenant-ids.js';

let server: TestEmulatorServer;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  server = await startEmulatorServer();
  clientId = server.config.entra.clientId;
  clientSecret = server.config.entra.clientSecret;
});
afterAll(async () => server?.close());

const form = (values: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(values).toString(),
});

/** Runs authorize + picker and returns the code, for tests that redeem it themselves. */
async function authorizeCode(challenge: string, redirectUri: string, scope: string): Promise<string> {
  const url = new URL(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
  const params = {
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    state: 's1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_hint: DEMO_USER_UPN,
    prompt: 'none',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') ?? '');
  return location.searchParams.get('code') ?? '';
}

describe('emulator identity: discovery and keys', () => {
  it('lists the seeded tenants with their issuers', async () => {
    const response = await fetch(`${server.baseUrl}/emulator/tenants`);
    const tenants = (await response.json()) as Array<{
      tenantId: string;
      displayName: string;
      issuer: string;
    }>;
    expect(tenants.map((t) => t.tenantId)).toEqual([
      DEMO_TENANT_ID,
      SECOND_TENANT_ID,
      NORTHWIND_TENANT_ID,
      OPERATOR_TENANT_ID,
    ]);
    expect(tenants[0]?.issuer).toBe(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/v2.0`);
  });

  it('serves an Entra-shaped discovery document per tenant and for organizations', async () => {
    for (const tenantId of [DEMO_TENANT_ID, SECOND_TENANT_ID]) {
      const doc = (await (
        await fetch(`${server.baseUrl}/emulator/${tenantId}/v2.0/.well-known/openid-configuration`)
      ).json()) as Record<string, unknown>;
      expect(doc.issuer).toBe(`${server.config.entra.authorityBase}/${tenantId}/v2.0`);
      expect(doc.token_endpoint).toBe(`${server.baseUrl}/emulator/${tenantId}/oauth2/v2.0/token`);
      expect(doc.jwks_uri).toBe(`${server.baseUrl}/emulator/${tenantId}/discovery/v2.0/keys`);
      expect(doc.response_modes_supported).toEqual(['query', 'fragment', 'form_post']);
    }
    const common = (await (
      await fetch(`${server.baseUrl}/emulator/organizations/v2.0/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(common.issuer).toBe(`${server.baseUrl}/emulator/{tenantid}/v2.0`);
    const unknown = await fetch(
      `${server.baseUrl}/emulator/00000000-0000-4000-8000-000000000000/v2.0/.well-known/openid-configuration`,
    );
    expect(unknown.status).toBe(404);
  });

  it('publishes the same RSA keys per tenant and on common', async () => {
    const common = (await (await fetch(`${server.baseUrl}/emulator/common/discovery/v2.0/keys`)).json()) as {
      keys: Array<{ kid: string; kty: string; n: string }>;
    };
    const tenant = (await (
      await fetch(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/discovery/v2.0/keys`)
    ).json()) as {
      keys: Array<{ kid: string; kty: string; n: string }>;
    };
    expect(common.keys.length).toBeGreaterThanOrEqual(1);
    expect(common.keys.every((k) => k.kty === 'RSA' && k.kid && k.n)).toBe(true);
    expect(tenant.keys.map((k) => k.kid)).toEqual(common.keys.map((k) => k.kid));
  });

  it('keeps its signing keys across restarts (same data directory)', { timeout: 180_000 }, async () => {
    const again = await startEmulatorServer({ dataDir: server.dataDir });
    try {
      const a = (await (await fetch(`${server.baseUrl}/emulator/common/discovery/v2.0/keys`)).json()) as {
        keys: Array<{ kid: string }>;
      };
      const b = (await (await fetch(`${again.baseUrl}/emulator/common/discovery/v2.0/keys`)).json()) as {
        keys: Array<{ kid: string }>;
      };
      expect(b.keys.map((k) => k.kid)).toEqual(a.keys.map((k) => k.kid));
    } finally {
      await again.close();
    }
  });
});

describe('emulator identity: authorization code with PKCE', () => {
  it('signs a demo user in over HTTP and issues v2 tokens for our API', async () => {
    const tokens = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${clientId}/access_as_user`,
      clientId,
    });
    const jwks = createRemoteJWKSet(new URL(`${server.baseUrl}/emulator/common/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(tokens.accessToken, jwks, {
      issuer: `${server.config.entra.authorityBase}/${DEMO_TENANT_ID}/v2.0`,
      audience: clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      tid: DEMO_TENANT_ID,
      oid: DEMO_USER_OID,
      scp: 'access_as_user',
      ver: '2.0',
      preferred_username: DEMO_USER_UPN,
    });
    const id = decodeJwt(tokens.idToken);
    expect(id.aud).toBe(clientId);
    expect(typeof id.nonce).toBe('string');
    // An ID token grants nothing: no scp, no azp (docs/microsoft-365.md §3.3).
    expect(id.scp).toBeUndefined();
    expect(id.azp).toBeUndefined();
    expect(id.ver).toBe('2.0');
    expect(tokens.refreshToken).not.toBe('');
  });

  it('refreshes with rotation: the old refresh token is spent', async () => {
    const first = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: 'User.Read Mail.Read',
      clientId,
    });
    expect(decodeJwt(first.accessToken).aud).toBe('https://graph.microsoft.com');
    const second = await refreshWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      refreshToken: first.refreshToken,
    });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.accessToken).scp).toBe('User.Read Mail.Read');
    const replay = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      form({ grant_type: 'refresh_token', client_id: clientId, refresh_token: first.refreshToken }),
    );
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('rejects a wrong code_verifier and a replayed code', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = `${server.baseUrl}/auth/callback`;
    const code = await authorizeCode(challenge, redirectUri, 'openid User.Read');
    const wrong = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: `${verifier}x`,
      }),
    );
    expect(wrong.status).toBe(400);
    const wrongBody = (await wrong.json()) as {
      error: string;
      error_codes: number[];
      error_description: string;
    };
    expect(wrongBody.error).toBe('invalid_grant');
    expect(wrongBody.error_description).toMatch(/^AADSTS501481:/);

    const code2 = await authorizeCode(challenge, redirectUri, 'openid User.Read');
    const ok = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: code2,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    expect(ok.status).toBe(200);
    const replay = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      form({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: code2,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error_codes: number[] }).error_codes).toEqual([54005]);
  });

  it('answers prompt=none without a login_hint with login_required on the redirect URI', async () => {
    const url = new URL(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
    const challenge = createHash('sha256').update('v'.repeat(43)).digest('base64url');
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: `${server.baseUrl}/auth/callback`,
      scope: 'openid',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      prompt: 'none',
      response_mode: 'fragment',
    })) {
      url.searchParams.set(k, v);
    }
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const fragment = new URLSearchParams(new URL(response.headers.get('location') ?? '').hash.slice(1));
    expect(fragment.get('error')).toBe('login_required');
    expect(fragment.get('state')).toBe('xyz');
  });

  it('answers a silent sign-in (prompt=none with login_hint) through form_post', async () => {
    const url = new URL(`${server.baseUrl}/emulator/organizations/oauth2/v2.0/authorize`);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: `${server.baseUrl}/auth/callback`,
      scope: 'openid',
      state: 'st',
      code_challenge: createHash('sha256').update('u'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
      prompt: 'none',
      login_hint: SECOND_TENANT_USER_UPN,
      response_mode: 'form_post',
    })) {
      url.searchParams.set(k, v);
    }
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`action="${server.baseUrl}/auth/callback"`);
    expect(html).toMatch(/<input type="hidden" name="code" value="[^"]+">/);
    expect(html).toContain('<script src="/emulator/assets/form-post.js"></script>');
  });

  it('shows an HTML error page (400) for a redirect URI on another origin, and a German picker', async () => {
    const url = new URL(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/authorize`);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('redirect_uri', 'https://evil.example/callback');
    url.searchParams.set('response_type', 'code');
    const bad = await fetch(url, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('AADSTS50011');

    const picker = new URL(`${server.baseUrl}/emulator/organizations/oauth2/v2.0/authorize`);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: `${server.baseUrl}/auth/callback`,
      scope: 'openid',
      code_challenge: createHash('sha256').update('w'.repeat(43)).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      picker.searchParams.set(k, v);
    }
    const page = await fetch(picker, { headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.8' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('Konto auswählen');
    expect(html).toContain(SECOND_TENANT_USER_UPN);
  });
});

describe('emulator identity: logout', () => {
  it('returns to a same-origin post_logout_redirect_uri', async () => {
    const target = `${server.baseUrl}/portal/`;
    const response = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(target)}`,
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(target);
    const elsewhere = await fetch(
      `${server.baseUrl}/emulator/common/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(200);
  });
});

describe('emulator identity: app-only and on-behalf-of', () => {
  it('issues app-only Graph tokens with roles, and refuses a wrong secret', async () => {
    const { accessToken } = await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret,
    });
    const claims = decodeJwt(accessToken);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.roles).toEqual(
      expect.arrayContaining(['User.Read.All', 'Mail.Read', 'Files.ReadWrite.All']),
    );
    expect(claims.scp).toBeUndefined();
    const wrong = await fetch(
      `${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`,
      form({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: 'nope',
        scope: 'https://graph.microsoft.com/.default',
      }),
    );
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_client');
    const basic = await fetch(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${clientId}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    expect(basic.status).toBe(200);
  });

  it('answers a malformed Basic authorization header with 401 invalid_client, never a 500', async () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const malformed = [
      `Basic ${b64(`%zz:${clientSecret}`)}`, // not form-encoded: a stray %
      `Basic ${b64(`${clientId}:%E0%A4%A`)}`, // truncated escape in the secret
      `Basic ${b64(clientId)}`, // no colon
      'Basic', // no credentials at all
      'Basic not*base64!',
      `Basic ${b64(`${clientId}:x`)} extra`,
    ];
    for (const authorization of malformed) {
      const response = await fetch(`${server.baseUrl}/emulator/${DEMO_TENANT_ID}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'https://graph.microsoft.com/.default',
        }).toString(),
      });
      expect(response.status, authorization).toBe(401);
      const body = (await response.json()) as {
        error: string;
        error_codes: number[];
        error_description: string;
      };
      expect(body.error, authorization).toBe('invalid_client');
      expect(body.error_codes).toEqual([7000216]);
      expect(body.error_description).toMatch(/^AADSTS7000216: /);
    }
  });

  it('issues app-only tokens for our API as Entra does: idtyp app, sub = oid, no scp and no empty roles', async () => {
    const { accessToken } = await clientCredentialsWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret,
      scope: `api://${clientId}/.default`,
    });
    const claims = decodeJwt(accessToken);
    expect(claims).toMatchObject({ aud: clientId, tid: DEMO_TENANT_ID, idtyp: 'app', ver: '2.0' });
    expect(claims.sub).toBe(claims.oid);
    expect(claims.scp).toBeUndefined();
    expect(claims.roles).toBeUndefined();
    expect(claims.preferred_username).toBeUndefined();
  });

  it('trades an API token for a Graph token on behalf of the user, and rejects a Graph token as assertion', async () => {
    const api = await signInWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      user: DEMO_USER_UPN,
      scope: `api://${clientId}/access_as_user`,
      clientId,
    });
    const graph = await onBehalfOfWithEmulator({
      baseUrl: server.baseUrl,
      tenantId: DEMO_TENANT_ID,
      clientId,
      clientSecret,
      assertion: api.accessToken,
    });
    const claims = decodeJwt(graph.accessToken);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.oid).toBe(DEMO_USER_OID);
    await expect(
      onBehalfOfWithEmulator({
        baseUrl: server.baseUrl,
        tenantId: DEMO_TENANT_ID,
        clientId,
        clientSecret,
        assertion: graph.accessToken,
      }),
    ).rejects.toThrow(/invalid_grant AADSTS500131/);
  });
});
