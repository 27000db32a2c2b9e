import { ApiError, apiFetch } from '../ui/api-client.js';

export interface PortalSession {
  user: { id: string; displayName: string; email: string; roles: string[] };
  tenant: { id: string; name: string } | null;
  idleTimeoutSeconds: number;
  /** When the server's idle timer runs out unless a keep-alive comes first. */
  idleExpiresAt?: string;
  expiresAt: string;
}

export interface PortalUser {
  id: string;
  displayName: string;
  email: string;
  roles: string[];
  licences: string[];
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface PortalTransfer {
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  target: { id: string; title: string; category: string };
  subject: string | null;
  createdAt: string;
  finishedAt: string | null;
  createdBy: { id: string; displayName: string; isYou: boolean } | null;
  folderUrl: string | null;
  files: { name: string; size: number }[];
  failureReason: string | null;
}

/** Cookie-authenticated state changes carry this header; the server rejects them without it (CSRF). */
const CSRF_HEADER = { 'x-requested-with': 'mailissa' };

export function loginUrl(): string {
  return `/auth/login?${new URLSearchParams({ app: 'portal', returnTo: '/portal/' }).toString()}`;
}

/** The current session, or null when nobody is signed in. */
export async function fetchSession(): Promise<PortalSession | null> {
  try {
    return await apiFetch<PortalSession>('/auth/session', { query: { app: 'portal' } });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function keepSessionAlive(): Promise<unknown> {
  return apiFetch('/auth/session/keepalive', { method: 'POST', headers: CSRF_HEADER });
}

export async function logout(): Promise<void> {
  try {
    await apiFetch('/auth/logout', { method: 'POST', headers: CSRF_HEADER });
  } catch (error) {
    // Already signed out on the server (expired, or another tab): the goal is reached.
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

export async function fetchUsers(): Promise<PortalUser[]> {
  return (await apiFetch<{ users: PortalUser[] }>('/portal/api/users')).users;
}

export async function fetchTransfers(days: number): Promise<PortalTransfer[]> {
  return (await apiFetch<{ transfers: PortalTransfer[] }>('/portal/api/transfers', { query: { days } }))
    .transfers;
}
