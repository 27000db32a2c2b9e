import type { WebApp, WebSession } from '@mailissa/contracts';
import { ApiError, apiFetch } from './api-client.js';

/**
 * The browser sessions of the portal and the operator console (apps/server/src/web-session/): both
 * sign in with OIDC at `/auth/login`, hold a session cookie per app and share these endpoints, which
 * take the app as `?app=`. The operator's session has no roles and no tenant.
 */
export type { WebApp, WebSession };

/** Cookie-authenticated state changes carry this header; the server refuses them without it (CSRF). */
export const CSRF_HEADER = { 'x-requested-with': 'mailissa' };

export function loginUrl(app: WebApp): string {
  return `/auth/login?${new URLSearchParams({ app, returnTo: `/${app}/` }).toString()}`;
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(app: WebApp): Promise<WebSession | null> {
  try {
    return await apiFetch('/auth/session', 'webSessionSchema', { query: { app } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Resets the server's idle timer ("stay signed in"). */
export function keepSessionAlive(app: WebApp): Promise<unknown> {
  return apiFetch('/auth/session/keepalive', 'keepAliveResponseSchema', {
    method: 'POST',
    query: { app },
    headers: CSRF_HEADER,
  });
}

export async function logout(app: WebApp): Promise<void> {
  try {
    await apiFetch('/auth/logout', null, { method: 'POST', query: { app }, headers: CSRF_HEADER });
  } catch (error) {
    // Already signed out on the server (expired, or another tab): the goal is reached.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}
