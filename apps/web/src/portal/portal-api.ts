import type { PortalUser, Transfer } from '@mailissa/contracts';
import { apiFetch } from '../ui/api-client.js';

/** Signing in and out, keep-alive: `ui/session-api.ts` with app 'portal'. */
export type { PortalUser };

/** The same transfers the add-in shows (one schema: packages/contracts/src/transfer.ts). */
export type PortalTransfer = Transfer;

export async function fetchUsers(): Promise<PortalUser[]> {
  return (await apiFetch('/portal/api/users', 'portalUsersResponseSchema')).users;
}

export async function fetchTransfers(days: number): Promise<PortalTransfer[]> {
  return (await apiFetch('/portal/api/transfers', 'transferListResponseSchema', { query: { days } }))
    .transfers;
}
