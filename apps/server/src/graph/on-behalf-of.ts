import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * The delegated Graph permissions Mailissa asks for on the user's behalf, plus `offline_access` for a
 * refresh token (docs/microsoft-365.md §2.7): what the Microsoft targets need — files in OneDrive
 * and team libraries, channel messages, Planner and To Do tasks — and the user's own mail.
 */
export const DELEGATED_GRAPH_SCOPE = 'https://graph.microsoft.com/.default offline_access';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
});

export interface DelegatedTokens {
  accessToken: string;
  /** When the access token stops working (ms since the epoch). */
  expiresAt: number;
  refreshToken: string | undefined;
}

export interface DelegatedTokenClientOptions {
  authorityBase: string;
  clientId: string;
  clientSecret: string | null;
  fetch?: typeof fetch;
  now?: () => Date;
}

/** The OAuth error classes that mean "the user must sign in again" (docs/microsoft-365.md §2.8). */
const NEEDS_USER = new Set(['invalid_grant', 'interaction_required', 'consent_required', 'login_required']);

/**
 * On-behalf-of and refresh at Entra's token endpoint for the server as a confidential client. Errors
 * never carry `error_description` (it may quote the request); the OAuth class and AADSTS number go
 * into the developer detail only.
 */
export function createDelegatedTokenClient(options: DelegatedTokenClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());

  async function post(microsoftTenantId: string, form: Record<string, string>, what: string) {
    if (!options.clientSecret) {
      throw new AppError(500, 'graph_not_configured', 'The server has no Microsoft 365 credentials.', {
        detail: 'ENTRA_CLIENT_SECRET is not set',
      });
    }
    let response: Response;
    try {
      response = await doFetch(
        `${options.authorityBase}/${encodeURIComponent(microsoftTenantId)}/oauth2/v2.0/token`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            ...form,
            client_id: options.clientId,
            client_secret: options.clientSecret,
          }),
        },
      );
    } catch (error) {
      throw new AppError(503, 'graph_network_error', 'Microsoft 365 could not be reached.', { cause: error });
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
      const code = typeof record.error === 'string' ? record.error : `http_${response.status}`;
      const suberror = typeof record.suberror === 'string' ? record.suberror : '';
      const sts = Array.isArray(record.error_codes) ? record.error_codes.join(',') : '';
      const detail =
        `${what} for tenant ${microsoftTenantId}: ${response.status} ${code} ${suberror} ${sts}`.trim();
      if (code === 'temporarily_unavailable' || response.status >= 500) {
        throw new AppError(
          503,
          'graph_unavailable',
          'Microsoft 365 is busy or unavailable; please try again later.',
          {
            detail,
          },
        );
      }
      if (code === 'consent_required' || suberror === 'consent_required') {
        throw new AppError(
          403,
          'delegated_consent_required',
          'An administrator of your organisation must first allow Mailissa to act for users in Microsoft 365.',
          { detail },
        );
      }
      if (NEEDS_USER.has(code)) {
        throw new AppError(
          401,
          'delegated_sign_in_required',
          'Mailissa may no longer act for you in Microsoft 365. Open Mailissa in Outlook again and repeat the transfer.',
          { detail },
        );
      }
      throw new AppError(
        502,
        'graph_token_failed',
        'Mailissa could not get access to Microsoft 365 for you.',
        {
          detail,
        },
      );
    }
    const parsed = tokenResponseSchema.parse(body);
    return {
      accessToken: parsed.access_token,
      expiresAt: now().getTime() + parsed.expires_in * 1000,
      refreshToken: parsed.refresh_token,
    } satisfies DelegatedTokens;
  }

  return {
    /** Trades the user's token for our API (its `aud` is our client id) for a delegated Graph token. */
    onBehalfOf(microsoftTenantId: string, assertion: string): Promise<DelegatedTokens> {
      return post(
        microsoftTenantId,
        {
          grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
          requested_token_use: 'on_behalf_of',
          assertion,
          scope: DELEGATED_GRAPH_SCOPE,
        },
        'on-behalf-of',
      );
    },
    /** A new access token (and a new refresh token, which replaces the old) from a refresh token. */
    refresh(microsoftTenantId: string, refreshToken: string): Promise<DelegatedTokens> {
      return post(
        microsoftTenantId,
        { grant_type: 'refresh_token', refresh_token: refreshToken, scope: DELEGATED_GRAPH_SCOPE },
        'refresh delegated token',
      );
    },
  };
}

export type DelegatedTokenClient = ReturnType<typeof createDelegatedTokenClient>;
