import { createHash, randomBytes } from 'node:crypto';

/**
 * Test helpers that sign in against the Microsoft 365 emulator over real HTTP, exactly as a browser
 * and a client library would: authorize → pick the user on the HTML page → redeem the code with PKCE.
 */

export interface EmulatorTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  scope: string;
  expiresIn: number;
}

export interface SignInOptions {
  /** The server's base URL, e.g. `server.baseUrl` of `startTestServer()`. */
  baseUrl: string;
  /** A tenant GUID, or `organizations` / `common`. */
  tenantId: string;
  /** The demo user's UPN, e.g. `anna.berger@contoso.example` (DEMO_USER_UPN). */
  user: string;
  /** e.g. `api://{clientId}/access_as_user` or `User.Read Mail.Read`; OIDC scopes are added. */
  scope: string;
  clientId: string;
  /** Must be on the server's origin; defaults to `${baseUrl}/auth/callback`. */
  redirectUri?: string;
  /** Send to act as a confidential client; without it the helper is a public client (SPA) with PKCE. */
  clientSecret?: string;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

function unescapeHtml(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

async function tokenRequest(
  baseUrl: string,
  tenantId: string,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${baseUrl}/emulator/${tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    throw new Error(
      `emulator token request failed (${response.status}): ${String(body.error)} ${String(body.error_description)}`,
    );
  }
  return body;
}

function tokensFrom(body: Record<string, unknown>): EmulatorTokens {
  return {
    accessToken: String(body.access_token ?? ''),
    idToken: String(body.id_token ?? ''),
    refreshToken: String(body.refresh_token ?? ''),
    scope: String(body.scope ?? ''),
    expiresIn: Number(body.expires_in ?? 0),
  };
}

/**
 * Opens the emulator's authorize URL like a browser, picks `user` on its page and returns where the
 * emulator redirects to (the client's redirect URI with `code` and `state`, or an `error`).
 */
export async function chooseUserOnEmulatorPicker(authorizeUrl: URL | string, user: string): Promise<URL> {
  const pickerResponse = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await pickerResponse.text();
  if (pickerResponse.status !== 200) {
    throw new Error(
      `emulator authorize failed (${pickerResponse.status}): ${pickerResponse.headers.get('location') ?? html.slice(0, 500)}`,
    );
  }
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error('emulator authorize: the picker page has no form');
  const form = new URLSearchParams();
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.append(unescapeHtml(match[1] ?? ''), unescapeHtml(match[2] ?? ''));
  }
  // The picker lists each user as a button; choose the one whose UPN is shown beside it.
  const wanted = user.toLowerCase();
  const button = [
    ...html.matchAll(/<button type="submit" name="emulator_user" value="([^"]+)"[^>]*>(.*?)<\/button>/gs),
  ].find(
    (match) =>
      unescapeHtml(/<span class="upn">([^<]*)<\/span>/.exec(match[2] ?? '')?.[1] ?? '').toLowerCase() ===
      wanted,
  );
  if (!button?.[1]) throw new Error(`emulator authorize: the picker does not offer ${user}`);
  form.append('emulator_user', unescapeHtml(button[1]));

  const choice = await fetch(new URL(unescapeHtml(action), authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = choice.headers.get('location');
  if (choice.status !== 302 || !location) {
    throw new Error(
      `emulator authorize: choosing the user answered ${choice.status}: ${(await choice.text()).slice(0, 500)}`,
    );
  }
  return new URL(location);
}

/** Authorization code + PKCE over HTTP; returns the tokens of the chosen demo user. */
export async function signInWithEmulator(options: SignInOptions): Promise<EmulatorTokens> {
  const redirectUri = options.redirectUri ?? `${options.baseUrl}/auth/callback`;
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(12).toString('base64url');
  const nonce = randomBytes(12).toString('base64url');
  const scopes = new Set(options.scope.split(/\s+/).filter(Boolean));
  for (const oidc of ['openid', 'profile', 'offline_access']) scopes.add(oidc);
  const scope = [...scopes].join(' ');

  const authorizeUrl = new URL(`${options.baseUrl}/emulator/${options.tenantId}/oauth2/v2.0/authorize`);
  for (const [name, value] of Object.entries({
    client_id: options.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    response_mode: 'query',
    scope,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    login_hint: options.user,
  })) {
    authorizeUrl.searchParams.set(name, value);
  }
  const redirect = await chooseUserOnEmulatorPicker(authorizeUrl, options.user);
  if (redirect.searchParams.get('state') !== state)
    throw new Error('emulator authorize: state was not echoed');
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error('emulator authorize: no code in the redirect');

  const body = await tokenRequest(options.baseUrl, options.tenantId, {
    grant_type: 'authorization_code',
    client_id: options.clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    scope,
    ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
  });
  return tokensFrom(body);
}

/** App-only token (client credentials); by default for Graph with the demo app's roles. */
export async function clientCredentialsWithEmulator(options: {
  baseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}): Promise<{ accessToken: string; expiresIn: number }> {
  const body = await tokenRequest(options.baseUrl, options.tenantId, {
    grant_type: 'client_credentials',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    scope: options.scope ?? 'https://graph.microsoft.com/.default',
  });
  return { accessToken: String(body.access_token ?? ''), expiresIn: Number(body.expires_in ?? 0) };
}

/** Redeems a refresh token (the emulator rotates them: use the returned one next time). */
export async function refreshWithEmulator(options: {
  baseUrl: string;
  tenantId: string;
  clientId: string;
  refreshToken: string;
  scope?: string;
  clientSecret?: string;
}): Promise<EmulatorTokens> {
  const body = await tokenRequest(options.baseUrl, options.tenantId, {
    grant_type: 'refresh_token',
    client_id: options.clientId,
    refresh_token: options.refreshToken,
    ...(options.scope ? { scope: options.scope } : {}),
    ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
  });
  return tokensFrom(body);
}

/** On-behalf-of: trades a token for our API into a Graph token for the same user. */
export async function onBehalfOfWithEmulator(options: {
  baseUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  assertion: string;
  scope?: string;
}): Promise<EmulatorTokens> {
  const body = await tokenRequest(options.baseUrl, options.tenantId, {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    requested_token_use: 'on_behalf_of',
    client_id: options.clientId,
    client_secret: options.clientSecret,
    assertion: options.assertion,
    scope: options.scope ?? 'https://graph.microsoft.com/.default',
  });
  return tokensFrom(body);
}
