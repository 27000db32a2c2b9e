import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});

export interface AppTokenProviderOptions {
  authorityBase: string;
  clientId: string;
  clientSecret: string | null;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** App-only Graph tokens per Microsoft tenant (client-credentials grant, docs/microsoft-365.md §2.6). */
export type AppTokenProvider = (microsoftTenantId: string) => Promise<string>;

/**
 * Client-credentials tokens, cached per tenant until five minutes before they expire. The cache is
 * only an optimisation: another process simply fetches its own token.
 */
export function createAppTokenProvider(options: AppTokenProviderOptions): AppTokenProvider {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { token: string; refreshAt: number }>();
  const inFlight = new Map<string, Promise<string>>();

  async function fetchToken(tid: string): Promise<string> {
    if (!options.clientSecret) {
      throw new AppError(500, 'graph_not_configured', 'The server has no Microsoft 365 credentials.', {
        detail: 'ENTRA_CLIENT_SECRET is not set',
      });
    }
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: options.clientId,
      client_secret: options.clientSecret,
      scope: GRAPH_APP_SCOPE,
    });
    let response: Response;
    try {
      response = await doFetch(`${options.authorityBase}/${encodeURIComponent(tid)}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
    } catch (error) {
      throw new AppError(503, 'graph_network_error', 'Microsoft 365 could not be reached.', { cause: error });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const code =
        body && typeof body === 'object' && 'error' in body && typeof body.error === 'string'
          ? body.error
          : `http_${response.status}`;
      // Never echo error_description: it may quote parts of the request.
      throw new AppError(
        code === 'temporarily_unavailable' || response.status >= 500 ? 503 : 502,
        'graph_token_failed',
        'Mailissa could not get access to Microsoft 365 for your organisation. Has an administrator granted consent?',
        { detail: `client credentials for tenant ${tid}: ${response.status} ${code}` },
      );
    }
    const parsed = tokenResponseSchema.parse(body);
    cache.set(tid, {
      token: parsed.access_token,
      refreshAt: now().getTime() + Math.max(0, parsed.expires_in - 300) * 1000,
    });
    return parsed.access_token;
  }

  return async (tid) => {
    const cached = cache.get(tid);
    if (cached && cached.refreshAt > now().getTime()) return cached.token;
    const running = inFlight.get(tid);
    if (running) return running;
    const promise = fetchToken(tid).finally(() => inFlight.delete(tid));
    inFlight.set(tid, promise);
    return promise;
  };
}
