import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { EmulatorContext } from '../emulator-context.js';
import { GUID } from '../emulator-context.js';

export type TokenProblem = 'malformed' | 'signature' | 'expired' | 'not_yet_valid' | 'issuer' | 'audience';

export class TokenVerificationError extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TokenVerificationError';
  }
}

/**
 * Verifies a token the emulator issued: RS256 signature by `kid`, issuer built from its own `tid`
 * (which must be a seeded tenant), the expected audience, and the time claims. Graph and the
 * on-behalf-of grant both rely on it, so they check tokens exactly alike.
 */
export async function verifyEmulatorToken(
  context: EmulatorContext,
  token: string,
  audiences: string[],
): Promise<JWTPayload & { tid: string }> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(token);
  } catch {
    throw new TokenVerificationError('malformed', 'The token is not a well-formed JWT.');
  }
  const tid = typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '';
  if (!GUID.test(tid) || !context.directory.tenant(tid)) {
    throw new TokenVerificationError('issuer', 'The token names no tenant this issuer knows.');
  }
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? await context.keys.publicKeyFor(header.kid) : undefined;
        if (!key) throw new errors.JWKSNoMatchingKey();
        return key;
      },
      {
        algorithms: ['RS256'],
        issuer: context.tokens.issuerFor(tid),
        audience: audiences,
        currentDate: context.now(),
        requiredClaims: ['exp', 'nbf', 'iat', 'tid', 'oid'],
      },
    );
    return { ...payload, tid };
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new TokenVerificationError('expired', 'The token has expired.');
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'aud')
        throw new TokenVerificationError('audience', 'The token has the wrong audience.');
      if (error.claim === 'iss')
        throw new TokenVerificationError('issuer', 'The token has the wrong issuer.');
      if (error.claim === 'nbf' || error.claim === 'iat') {
        throw new TokenVerificationError('not_yet_valid', 'The token is not valid yet.');
      }
      throw new TokenVerificationError('malformed', `The token's ${error.claim} claim is invalid.`);
    }
    throw new TokenVerificationError('signature', 'The token signature is invalid.');
  }
}
