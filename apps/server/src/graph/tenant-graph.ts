import type { Config } from '../config/config.js';
import { type AppTokenProvider, createAppTokenProvider } from './app-token-provider.js';
import { createGraphClient, type GraphClient, REQUEST_RETRY, WORKER_RETRY } from './graph-client.js';

export interface TenantGraphOptions {
  /** `request`: few quick retries while a user waits; `worker`: patient, honours long Retry-After. */
  profile: 'request' | 'worker';
  signal?: AbortSignal;
}

export type TenantGraphFactory = (microsoftTenantId: string, options: TenantGraphOptions) => GraphClient;

const factories = new WeakMap<Config, TenantGraphFactory>();

/**
 * App-only Graph clients per Microsoft tenant (client-credentials grant), sharing one token cache per
 * configuration. See docs/decisions for why the server uses app-only access rather than on-behalf-of.
 */
export function tenantGraphFactory(config: Config, fetchImpl: typeof fetch = fetch): TenantGraphFactory {
  const existing = factories.get(config);
  if (existing) return existing;
  const tokens: AppTokenProvider = createAppTokenProvider({
    authorityBase: config.entra.authorityBase,
    clientId: config.entra.clientId,
    clientSecret: config.entra.clientSecret,
    fetch: fetchImpl,
  });
  const factory: TenantGraphFactory = (microsoftTenantId, options) =>
    createGraphClient({
      baseUrl: config.graphBaseUrl,
      getAccessToken: () => tokens(microsoftTenantId),
      retry: options.profile === 'request' ? REQUEST_RETRY : WORKER_RETRY,
      fetch: fetchImpl,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  factories.set(config, factory);
  return factory;
}
