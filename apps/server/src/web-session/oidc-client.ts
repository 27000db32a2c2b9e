import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';

/**
 * The confidential OpenID Connect client behind the portal's and operator console's sign-in:
 * authorization code with PKCE against Entra ID, or the emulator, which configuration alone decides.
 */
/** Where Microsoft sends the browser back after a sign-in: the code and state, or an error. */
export const signInCallbackQuery = z.object({
  code: z.string().max(4000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

/** Microsoft's answer to admin consent: `admin_consent=True&tenant=…&state=…`, or an error. */
export const adminConsentCallbackQuery = z.object({
  admin_consent: z.string().max(10).optional(),
  tenant: z.string().max(64).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
});

export interface OidcClientOptions {
  authorityBase: string;
  clientId: string;
  clientSecret: string | null;
  redirectUri: string;
  fetch?: typeof fetch;
  /** The server's clock: ID tokens are checked against it (nbf, exp), as the rest of the server is. */
  now?: () => Date;
}

export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface IdentityClaims {
  tenantId: string;
  objectId: string;
  /** Display and contact only: `preferred_username` can change (docs/microsoft-365.md §3.2). */
  email: string;
  name: string;
  /** App roles assigned to the user in the tenant that signed in (the ID token's `roles`). */
  roles: string[];
}

const tokenResponseSchema = z.object({ id_token: z.string().min(1) });
const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

function base64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

export function newPendingLogin(): PendingLogin {
  return {
    state: base64url(randomBytes(24)),
    nonce: base64url(randomBytes(24)),
    codeVerifier: base64url(randomBytes(48)),
  };
}

export function createOidcClient(options: OidcClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const jwks = createRemoteJWKSet(new URL(`${options.authorityBase}/common/discovery/v2.0/keys`));

  return {
    /** `tenant` is a tenant ID, or `organizations` for any work account. */
    authorizeUrl(tenant: string, pending: PendingLogin, loginHint?: string): string {
      const url = new URL(`${options.authorityBase}/${tenant}/oauth2/v2.0/authorize`);
      url.search = new URLSearchParams({
        client_id: options.clientId,
        response_type: 'code',
        redirect_uri: options.redirectUri,
        response_mode: 'query',
        scope: 'openid profile email',
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: base64url(createHash('sha256').update(pending.codeVerifier).digest()),
        code_challenge_method: 'S256',
        prompt: 'select_account',
        ...(loginHint ? { login_hint: loginHint } : {}),
      }).toString();
      return url.toString();
    },

    /** Redeems the code and returns the verified identity from the ID token. */
    async redeemCode(tenant: string, code: string, pending: PendingLogin): Promise<IdentityClaims> {
      const body = new URLSearchParams({
        client_id: options.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: options.redirectUri,
        code_verifier: pending.codeVerifier,
        scope: 'openid profile email',
        ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
      });
      let response: Response;
      try {
        response = await doFetch(`${options.authorityBase}/${tenant}/oauth2/v2.0/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
      } catch (error) {
        throw new AppError(502, 'identity_provider_unavailable', 'The sign-in service cannot be reached.', {
          cause: error,
        });
      }
      const json: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        const failure = tokenErrorSchema.safeParse(json);
        throw new AppError(401, 'sign_in_failed', 'Signing in did not succeed; please try again.', {
          detail: failure.success
            ? `${failure.data.error}: ${failure.data.error_description ?? ''}`
            : `status ${response.status}`,
        });
      }
      const parsed = tokenResponseSchema.safeParse(json);
      if (!parsed.success) {
        throw new AppError(502, 'identity_provider_error', 'The sign-in service sent an unexpected answer.');
      }
      return verifyIdToken(parsed.data.id_token, pending.nonce);
    },
  };

  async function verifyIdToken(idToken: string, nonce: string): Promise<IdentityClaims> {
    try {
      const { payload } = await jwtVerify(idToken, jwks, {
        algorithms: ['RS256'],
        audience: options.clientId,
        clockTolerance: 120,
        ...(options.now ? { currentDate: options.now() } : {}),
      });
      const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
      if (!/^[0-9a-f-]{36}$/.test(tid) || payload.iss !== `${options.authorityBase}/${tid}/v2.0`) {
        throw new AppError(401, 'sign_in_failed', "The sign-in answer's issuer does not match its tenant.");
      }
      if (payload.nonce !== nonce)
        throw new AppError(401, 'sign_in_failed', 'The sign-in answer was not for this sign-in.');
      const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
      const email =
        (typeof payload.preferred_username === 'string' && payload.preferred_username) ||
        (typeof payload.email === 'string' && payload.email) ||
        '';
      if (!oid || !email)
        throw new AppError(401, 'sign_in_failed', 'The sign-in answer lacks the user’s identity.');
      return {
        tenantId: tid,
        objectId: oid,
        email,
        name: typeof payload.name === 'string' ? payload.name : email,
        roles: Array.isArray(payload.roles)
          ? payload.roles.filter((role): role is string => typeof role === 'string')
          : [],
      };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof errors.JOSEError) {
        throw new AppError(401, 'sign_in_failed', 'The sign-in answer could not be verified.', {
          cause: error,
        });
      }
      throw error;
    }
  }
}

export type OidcClient = ReturnType<typeof createOidcClient>;
