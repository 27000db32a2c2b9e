import type { ErrorCode } from '@mailissa/contracts';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { AppError } from '../errors/app-error.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The delegated scope our API exposes; a user's token for us carries it in `scp`. */
export const API_SCOPE = 'access_as_user';

export interface EntraAccessClaims {
  tenantId: string;
  objectId: string;
  username: string;
  name: string;
  scopes: string[];
  roles: string[];
  /** `exp` in milliseconds: how long a validated token may be remembered. */
  expiresAt: number;
}

export interface EntraTokenValidatorOptions {
  /** `https://login.microsoftonline.com` in production, the emulator's `/emulator` in demo mode. */
  authorityBase: string;
  /** Our API's client id: the only `aud` we accept. */
  audience: string;
  clockToleranceSeconds?: number;
  now?: () => Date;
}

function unauthorized(code: ErrorCode, message: string, cause?: unknown): AppError {
  return new AppError(401, code, message, { cause });
}

/**
 * Validates Entra ID v2 access tokens for our API. Multi-tenant: the issuer must be the one built
 * from the token's own `tid`, the key is looked up by `kid` in the authority's JWKS (cached by jose,
 * fetched again when an unknown `kid` appears), only RS256 is accepted.
 */
export function createEntraTokenValidator(options: EntraTokenValidatorOptions) {
  const jwks = createRemoteJWKSet(new URL(`${options.authorityBase}/common/discovery/v2.0/keys`), {
    cooldownDuration: 30_000,
    cacheMaxAge: 24 * 60 * 60 * 1000,
  });
  const clockTolerance = options.clockToleranceSeconds ?? 120;

  return async function validateAccessToken(token: string | undefined): Promise<EntraAccessClaims> {
    if (!token) throw unauthorized('missing_token', 'Sign in first: the request carries no access token.');
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (error) {
      throw unauthorized('malformed_token', 'The access token is not a well-formed JWT.', error);
    }
    if (header.alg !== 'RS256') {
      throw unauthorized(
        'unsupported_algorithm',
        `Access tokens must be signed with RS256, not ${String(header.alg)}.`,
      );
    }
    if (typeof header.kid !== 'string' || header.kid.length === 0) {
      throw unauthorized('unknown_key', 'The access token names no signing key (kid).');
    }
    const tid = unverified.tid;
    if (typeof tid !== 'string' || !GUID.test(tid)) {
      throw unauthorized('invalid_tenant', 'The access token carries no valid tenant ID (tid).');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['RS256'],
        issuer: `${options.authorityBase}/${tid.toLowerCase()}/v2.0`,
        audience: options.audience,
        clockTolerance,
        requiredClaims: ['exp', 'iat', 'nbf', 'oid', 'tid'],
        ...(options.now ? { currentDate: options.now() } : {}),
      }));
    } catch (error) {
      throw mapVerificationError(error);
    }
    const oid = payload.oid;
    if (typeof oid !== 'string' || !GUID.test(oid)) {
      throw unauthorized('invalid_token', 'The access token carries no valid object ID (oid).');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is string => typeof r === 'string')
      : [];
    refuseAllButDelegatedAccessTokens(payload, scopes, roles);
    return {
      tenantId: tid.toLowerCase(),
      objectId: oid.toLowerCase(),
      username: typeof payload.preferred_username === 'string' ? payload.preferred_username : '',
      name: typeof payload.name === 'string' ? payload.name : '',
      scopes,
      roles,
      expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : 0,
    };
  };
}

export type ValidateAccessToken = ReturnType<typeof createEntraTokenValidator>;

/**
 * Only a user's access token for our API is a user (docs/microsoft-365.md §3.2, §3.3; decision 014).
 * Runs after the signature check, so a forged token is refused as forged. An ID token has our client
 * id as `aud` too, so audience alone cannot tell it apart: a v2 access token says `ver: "2.0"` and
 * carries `scp` (delegated) or `roles` (app-only); an ID token has neither `scp` nor `azp`, and has
 * `nonce` or `at_hash`/`c_hash` when the flow asked for them. App-only tokens (client credentials)
 * say `idtyp: "app"` when that optional claim is configured, and always lack `scp`; their `sub` is
 * the service principal's `oid`, whereas a user's `sub` is pairwise and never equals `oid`.
 */
function refuseAllButDelegatedAccessTokens(payload: JWTPayload, scopes: string[], roles: string[]): void {
  const hasScp = typeof payload.scp === 'string';
  if (payload.idtyp === 'app' || (!hasScp && (roles.length > 0 || payload.sub === payload.oid))) {
    throw unauthorized(
      'app_only_token',
      'App-only tokens are not accepted: this API serves signed-in users (a delegated token with scp).',
    );
  }
  const looksLikeIdToken =
    'nonce' in payload || 'at_hash' in payload || 'c_hash' in payload || !('azp' in payload);
  if (!hasScp && looksLikeIdToken) {
    throw unauthorized(
      'id_token_not_accepted',
      'An ID token is not an access token: request an access token for this API.',
    );
  }
  if (payload.ver !== '2.0') {
    throw unauthorized('invalid_token', 'Only v2.0 access tokens are accepted.');
  }
  if (!scopes.includes(API_SCOPE)) {
    throw unauthorized('missing_scope', `The access token does not grant this API's scope ${API_SCOPE}.`);
  }
}

function mapVerificationError(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) {
    return unauthorized('token_expired', 'The access token has expired; sign in again.', error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'nbf':
      case 'iat':
        return unauthorized('token_not_yet_valid', 'The access token is not valid yet.', error);
      case 'iss':
        return unauthorized('invalid_issuer', "The access token's issuer does not match its tenant.", error);
      case 'aud':
        return unauthorized('invalid_audience', 'The access token was not issued for this API.', error);
      default:
        return unauthorized('invalid_token', `The access token's ${error.claim} claim is invalid.`, error);
    }
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthorized(
      'unknown_key',
      'The access token was signed with a key the issuer does not publish.',
      error,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthorized('invalid_signature', "The access token's signature is invalid.", error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthorized('unsupported_algorithm', 'Access tokens must be signed with RS256.', error);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new AppError(
      503,
      'identity_provider_unavailable',
      'The sign-in service cannot be reached; try again.',
      {
        cause: error,
      },
    );
  }
  if (error instanceof errors.JOSEError) {
    return unauthorized('invalid_token', 'The access token is invalid.', error);
  }
  return new AppError(
    503,
    'identity_provider_unavailable',
    'The sign-in service cannot be reached; try again.',
    {
      cause: error,
    },
  );
}
