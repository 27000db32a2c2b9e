import { ApiError, apiFetch } from './api-client.js';

/**
 * The browser sessions of the portal and the operator console (apps/server/src/web-session/): both
 * sign in with OIDC at `/auth/login`, hold a session cookie per app and share these endpoints, which
 * take the app as `?app=`.
 */
export type WebApp = 'portal' | 'operator';

/** What every session looks like; the portal's adds roles and the tenant. */
export interface WebSession {
  user: { id: string; displayName: string; email: string };
  idleTimeoutSeconds: number;
  /** When the server's idle timer runs out unless a keep-alive comes first. */
  idleExpiresAt?: string;
  expiresAt: string;
}

/** Cookie-authenticated state changes carry this header; the server refuses them without it (CSRF). */
export const CSRF_HEADER = { 'x-requested-with': 'mailissa' };

export function loginUrl(app: WebApp): string {
  return `/auth/login?${new URLSearchParams({ app, returnTo: `/${app}/` }).toString()}`;
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession<S extends WebSession>(app: WebApp): Promise<S | null> {
  try {
    return await apiFetch<S>('/auth/session', { query: { app } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Resets the server's idle timer ("stay signed in"). */
export function keepSessionAlive(app: WebApp): Promise<unknown> {
  return apiFetch('/auth/session/keepalive', { method: 'POST', query: { app }, headers: CSRF_HEADER });
}

export async function logout(app: WebApp): Promise<void> {
  try {
    await apiFetch('/auth/logout', { method: 'POST', query: { app }, headers: CSRF_HEADER });
  } catch (error) {
    // Already signed out on the server (expired, or another tab): the goal is reached.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}
