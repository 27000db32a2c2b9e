import { apiFetch } from '../ui/api-client.js';

/** `GET /api/client-config`: what the add-in needs before it can sign in. */
export interface ClientConfig {
  clientId: string;
  authority: string;
  /** Authorities MSAL may trust without Microsoft's instance discovery (the emulator in demo mode). */
  knownAuthorities?: string[];
  apiScope: string;
  registrationUrl: string;
  demoMode: boolean;
}

export interface Me {
  user: { id: string; displayName: string; email: string; roles: string[] };
  /** The Mailissa tenant; `name` is the organisation's name. */
  tenant: { id: string; name: string };
  licences: string[];
}

export interface Target {
  id: string;
  title: string;
  category: string;
  connectorType?: string;
}

export type TransferState = 'queued' | 'running' | 'done' | 'failed';

export interface Transfer {
  id: string;
  state: TransferState;
  target: Target;
  messageId: string;
  internetMessageId: string;
  /** Always null today: Mailissa keeps no mail subjects. */
  subject: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Null once the user who sent it has left the tenant. */
  createdBy: { id: string; displayName: string; isYou: boolean } | null;
  folderUrl: string | null;
  files: { name: string; size: number }[];
  failureReason: string | null;
}

export interface Administrator {
  displayName: string;
  email: string;
}

export function fetchClientConfig(): Promise<ClientConfig> {
  return apiFetch<ClientConfig>('/api/client-config');
}

/** The API calls of the add-in, each with a fresh (usually cached) access token. */
export function createAddinApi(getAccessToken: () => Promise<string>) {
  async function call<T>(path: string, options: Parameters<typeof apiFetch>[1] = {}): Promise<T> {
    return apiFetch<T>(path, { ...options, accessToken: await getAccessToken() });
  }
  return {
    me: () => call<Me>('/api/me'),
    targets: async () => (await call<{ targets: Target[] }>('/api/targets')).targets,
    startTransfer: async (body: { messageId: string; internetMessageId: string; targetId: string }) =>
      (await call<{ transfer: Transfer }>('/api/transfers', { method: 'POST', body })).transfer,
    transfer: async (id: string, signal?: AbortSignal) =>
      (await call<{ transfer: Transfer }>(`/api/transfers/${encodeURIComponent(id)}`, { signal })).transfer,
    transfersOfMessage: async (internetMessageId: string) =>
      (
        await call<{ transfers: Transfer[] }>('/api/transfers', {
          query: { internetMessageId },
        })
      ).transfers,
  };
}

export type AddinApi = ReturnType<typeof createAddinApi>;
