import type { Transfer } from '../addin/addin-api.js';
import { apiFetch } from '../ui/api-client.js';
import type { WebSession } from '../ui/session-api.js';

/** Signing in and out, keep-alive: `ui/session-api.ts` with app 'portal'. */
export interface PortalSession extends WebSession {
  user: WebSession['user'] & { roles: string[] };
  tenant: { id: string; name: string } | null;
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

/** The same transfers the add-in shows (one schema on the server: transfer/transfer.schemas.ts). */
export type PortalTransfer = Transfer;

export async function fetchUsers(): Promise<PortalUser[]> {
  return (await apiFetch<{ users: PortalUser[] }>('/portal/api/users')).users;
}

export async function fetchTransfers(days: number): Promise<PortalTransfer[]> {
  return (await apiFetch<{ transfers: PortalTransfer[] }>('/portal/api/transfers', { query: { days } }))
    .transfers;
}
