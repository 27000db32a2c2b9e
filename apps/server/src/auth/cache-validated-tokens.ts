import { hash } from 'node:crypto';
import type { EntraAccessClaims, ValidateAccessToken } from './entra-token-validator.js';

const MAX_TOKENS = 100_000;

/**
 * Remembers validated access tokens until they expire, keyed by the token's SHA-256 (the token itself
 * is never kept as a key), so a token is verified once rather than on every add-in request
 * (decision 018). Failures are not cached: a bad token costs a full check every time.
 */
export function cacheValidatedTokens(validate: ValidateAccessToken, now: () => Date): ValidateAccessToken {
  const cache = new Map<string, EntraAccessClaims>();
  return async function validateCached(token) {
    if (!token) return validate(token);
    // The one-shot hash: no Hash object per request.
    const key = hash('sha256', token, 'base64url');
    const cached = cache.get(key);
    const nowMs = now().getTime();
    if (cached && cached.expiresAt > nowMs) return cached;
    if (cached) cache.delete(key);
    const claims = await validate(token);
    if (claims.expiresAt > nowMs) {
      if (cache.size >= MAX_TOKENS) {
        for (const [k, c] of cache) if (c.expiresAt <= nowMs) cache.delete(k);
        if (cache.size >= MAX_TOKENS) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      cache.set(key, claims);
    }
    return claims;
  };
}
