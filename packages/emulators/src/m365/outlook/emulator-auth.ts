/**
 * Signs a demo user in to the Microsoft 365 emulator the way a single-page app signs in to Entra ID:
 * OpenID Connect authorization code flow with PKCE against the tenant's issuer (discovery, authorize
 * with the emulator's user picker, token), then refresh tokens for further resources. Demo mode only,
 * so the tokens live in sessionStorage for the tab's lifetime.
 */

export interface EmulatorTenant {
  id: string;
  name: string;
  issuer: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
  end_session_endpoint?: string;
}

interface TokenEndpointResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
  expires_in: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export interface CachedToken {
  accessToken: string;
  idToken: string;
  expiresAt: number;
  scope: string;
}

export interface EmulatorSession {
  tenant: EmulatorTenant;
  tokenEndpoint: string;
  refreshToken: string | null;
  idToken: string;
  claims: IdClaims;
  tokens: Record<string, CachedToken>;
}

export interface IdClaims {
  oid: string;
  tid: string;
  name: string;
  preferred_username: string;
  [claim: string]: unknown;
}

/** Graph scopes the emulated Outlook needs to show a mailbox. */
export const GRAPH_SCOPES =
  'https://graph.microsoft.com/Mail.Read https://graph.microsoft.com/Mail.Read.Shared https://graph.microsoft.com/User.Read';
const OIDC_SCOPES = 'openid profile email offline_access';

const SESSION_KEY = 'mailissa.emulator.outlook.session';
const PENDING_KEY = 'mailissa.emulator.outlook.pending';

export function redirectUri(): string {
  return `${window.location.origin}/emulator/outlook/`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `GET /emulator/tenants`: the seeded tenants with their issuers. */
export async function listTenants(): Promise<EmulatorTenant[]> {
  const response = await fetch('/emulator/tenants', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`The emulator lists no tenants (HTTP ${response.status}).`);
  const body: unknown = await response.json();
  const list: unknown[] = Array.isArray(body)
    ? body
    : isRecord(body) && Array.isArray(body.tenants)
      ? body.tenants
      : isRecord(body) && Array.isArray(body.value)
        ? body.value
        : [];
  return list.flatMap((entry) => {
    if (!isRecord(entry)) return [];
    const id = entry.id ?? entry.tenantId ?? entry.tid;
    const name = entry.name ?? entry.displayName ?? id;
    const issuer = entry.issuer;
    return typeof id === 'string' && typeof name === 'string' && typeof issuer === 'string'
      ? [{ id, name, issuer }]
      : [];
  });
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`No OpenID configuration at ${issuer} (HTTP ${response.status}).`);
  return (await response.json()) as Discovery;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function codeChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

export function decodeJwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const padded = payload.replaceAll('-', '+').replaceAll('_', '/');
  const json = decodeURIComponent(
    Array.from(atob(padded), (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  );
  const claims: unknown = JSON.parse(json);
  return isRecord(claims) ? claims : {};
}

interface PendingSignIn {
  tenant: EmulatorTenant;
  tokenEndpoint: string;
  state: string;
  nonce: string;
  verifier: string;
  clientId: string;
}

/** Starts the authorization code flow: navigates to the tenant's authorize endpoint. */
export async function startSignIn(tenant: EmulatorTenant, clientId: string): Promise<void> {
  const discovery = await discover(tenant.issuer);
  const pending: PendingSignIn = {
    tenant,
    tokenEndpoint: discovery.token_endpoint,
    state: randomString(16),
    nonce: randomString(16),
    verifier: randomString(48),
    clientId,
  };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    response_mode: 'query',
    scope: `${OIDC_SCOPES} ${GRAPH_SCOPES}`,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    prompt: 'select_account',
  }).toString();
  window.location.assign(url.toString());
}

async function tokenRequest(
  tokenEndpoint: string,
  form: Record<string, string>,
): Promise<TokenEndpointResponse> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await response.json()) as TokenEndpointResponse;
  if (!response.ok || body.error) {
    throw new Error(
      body.error_description ?? body.error ?? `Token request failed (HTTP ${response.status}).`,
    );
  }
  return body;
}

function toCached(body: TokenEndpointResponse, fallbackIdToken: string, scope: string): CachedToken {
  return {
    accessToken: body.access_token,
    idToken: body.id_token ?? fallbackIdToken,
    expiresAt: Date.now() + body.expires_in * 1000,
    scope: body.scope ?? scope,
  };
}

/**
 * Finishes a sign-in when the page is the redirect target (`?code=…&state=…`): redeems the code with
 * the PKCE verifier and cleans the URL. Returns null when the page was not opened by a redirect.
 */
export async function completeSignIn(): Promise<EmulatorSession | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return null;
  window.history.replaceState(null, '', window.location.pathname);
  const pendingText = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (error) throw new Error(params.get('error_description') ?? error);
  if (!pendingText) throw new Error('The sign-in was not started from this tab.');
  const pending = JSON.parse(pendingText) as PendingSignIn;
  if (params.get('state') !== pending.state)
    throw new Error('The sign-in response does not match its request.');
  const body = await tokenRequest(pending.tokenEndpoint, {
    grant_type: 'authorization_code',
    client_id: pending.clientId,
    code: code ?? '',
    redirect_uri: redirectUri(),
    code_verifier: pending.verifier,
    scope: `${OIDC_SCOPES} ${GRAPH_SCOPES}`,
  });
  if (!body.id_token) throw new Error('The emulator returned no ID token.');
  const claims = decodeJwtClaims(body.id_token) as IdClaims;
  if (claims.nonce !== pending.nonce) throw new Error('The ID token does not belong to this sign-in.');
  const session: EmulatorSession = {
    tenant: pending.tenant,
    tokenEndpoint: pending.tokenEndpoint,
    refreshToken: body.refresh_token ?? null,
    idToken: body.id_token,
    claims,
    tokens: { [GRAPH_SCOPES]: toCached(body, body.id_token, GRAPH_SCOPES) },
  };
  saveSession(session);
  return session;
}

export function loadSession(): EmulatorSession | null {
  const text = sessionStorage.getItem(SESSION_KEY);
  if (!text) return null;
  try {
    return JSON.parse(text) as EmulatorSession;
  } catch {
    return null;
  }
}

function saveSession(session: EmulatorSession): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function signOut(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/**
 * A token for `scope` (space-separated), from the cache or by the refresh-token grant, which Entra ID
 * also uses to get tokens for a second resource after one sign-in.
 */
export function acquireToken(
  session: EmulatorSession,
  clientId: string,
  scope: string,
): Promise<CachedToken> {
  // Refresh tokens are single-use (rotated with every grant): one refresh at a time.
  const next = refreshQueue.then(() => acquireTokenNow(session, clientId, scope));
  refreshQueue = next.catch(() => undefined);
  return next;
}

let refreshQueue: Promise<unknown> = Promise.resolve();

async function acquireTokenNow(
  session: EmulatorSession,
  clientId: string,
  scope: string,
): Promise<CachedToken> {
  const cached = session.tokens[scope];
  if (cached && cached.expiresAt - 60_000 > Date.now()) return cached;
  if (!session.refreshToken) throw new Error('The emulator issued no refresh token; sign in again.');
  const body = await tokenRequest(session.tokenEndpoint, {
    grant_type: 'refresh_token',
    client_id: clientId,
    refresh_token: session.refreshToken,
    scope: scope.includes('openid') ? scope : `${scope} ${OIDC_SCOPES}`,
  });
  const token = toCached(body, session.idToken, scope);
  session.tokens[scope] = token;
  if (body.refresh_token) session.refreshToken = body.refresh_token;
  if (body.id_token) session.idToken = body.id_token;
  saveSession(session);
  return token;
}
