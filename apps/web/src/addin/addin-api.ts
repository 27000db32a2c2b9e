import type { ClientConfig, CreateTransferBody } from '@mailissa/contracts';
import { type ApiRequestOptions, apiFetch, type ContractSchemaName } from '../ui/api-client.js';

/** The add-in's shapes, all from the contract (packages/contracts). */
export type {
  AdministratorContact as Administrator,
  Bootstrap,
  ClientConfig,
  Me,
  TargetSummary as Target,
  Transfer,
  TransferState,
} from '@mailissa/contracts';

export function fetchClientConfig(): Promise<ClientConfig> {
  return apiFetch('/api/client-config', 'clientConfigSchema');
}

/** The API calls of the add-in, each with a fresh (usually cached) access token. */
export function createAddinApi(getAccessToken: () => Promise<string>) {
  async function call<N extends ContractSchemaName>(
    path: string,
    schema: N,
    options: ApiRequestOptions = {},
  ) {
    return apiFetch(path, schema, { ...options, accessToken: await getAccessToken() });
  }
  return {
    /** For "Your data", whose downloads need the token on a plain fetch. */
    accessToken: getAccessToken,
    me: () => call('/api/me', 'meSchema'),
    /** The add-in's start in one request (GET /api/bootstrap). */
    bootstrap: (lang: 'en' | 'de' | undefined) =>
      call('/api/bootstrap', 'bootstrapResponseSchema', lang ? { query: { lang } } : {}),
    targets: async () => (await call('/api/targets', 'listTargetsResponseSchema')).targets,
    startTransfer: async (body: CreateTransferBody) =>
      (await call('/api/transfers', 'transferResponseSchema', { method: 'POST', body })).transfer,
    transfer: async (id: string, signal?: AbortSignal) =>
      (await call(`/api/transfers/${encodeURIComponent(id)}`, 'transferResponseSchema', { signal })).transfer,
    /** Whether the user's own account for the target's system is connected, and its form. */
    account: (targetId: string, lang: 'en' | 'de') =>
      call(`/api/targets/${encodeURIComponent(targetId)}/account`, 'targetAccountResponseSchema', {
        query: { lang },
      }),
    /** Tested by the server with the system before it is stored. */
    connectAccount: (targetId: string, credential: Record<string, string>) =>
      call(`/api/targets/${encodeURIComponent(targetId)}/account`, 'connectTargetAccountResponseSchema', {
        method: 'PUT',
        body: { credential },
      }),
    transfersOfMessage: async (internetMessageId: string) =>
      (await call('/api/transfers', 'transferListResponseSchema', { query: { internetMessageId } }))
        .transfers,
    /** Starts a transfer; `skipped` when the user chose "skip" for a mail already there. */
    sendTransfer: (body: CreateTransferBody) =>
      call('/api/transfers', 'transferResponseSchema', { method: 'POST', body }),
    prepareTransfer: (query: { messageId: string; internetMessageId: string; targetId: string }) =>
      call('/api/transfers/prepare', 'prepareTransferResponseSchema', { query }),
    cancelTransfer: async (id: string) =>
      (
        await call(`/api/transfers/${encodeURIComponent(id)}/cancel`, 'transferResponseSchema', {
          method: 'POST',
        })
      ).transfer,
    retryTransfer: async (id: string) =>
      (
        await call(`/api/transfers/${encodeURIComponent(id)}/retry`, 'transferResponseSchema', {
          method: 'POST',
        })
      ).transfer,
    /** The mails of the open mail's conversation, to transfer each of them. */
    conversation: (messageId: string) =>
      call('/api/transfers/conversation', 'conversationResponseSchema', { query: { messageId } }),
    /** Existing records of the target's system (issues, cards, documents) to add the mail to. */
    records: async (targetId: string, q: string, signal?: AbortSignal) =>
      (
        await call(`/api/targets/${encodeURIComponent(targetId)}/records`, 'targetRecordsResponseSchema', {
          query: { q },
          signal,
        })
      ).records,
    suggestions: async (query: { sender?: string; conversationId?: string }) =>
      (await call('/api/targets/suggestions', 'targetSuggestionsResponseSchema', { query })).suggestions,
    folders: async (targetId: string, path: string) =>
      (
        await call(`/api/targets/${encodeURIComponent(targetId)}/folders`, 'targetFoldersResponseSchema', {
          query: { path },
        })
      ).folders,
    createFolder: async (targetId: string, path: string) =>
      (
        await call(`/api/targets/${encodeURIComponent(targetId)}/folders`, 'targetFoldersResponseSchema', {
          method: 'POST',
          body: { path },
        })
      ).folders,
  };
}

export type AddinApi = ReturnType<typeof createAddinApi>;
