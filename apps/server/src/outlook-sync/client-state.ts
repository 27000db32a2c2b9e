import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Graph echoes a subscription's `clientState` in every notification; it is the only proof a POST to
 * our public endpoint comes from Graph (docs/microsoft-365.md §4.9). A fresh random secret per
 * subscription, sent to Graph once and kept only as its SHA-256 hash — never logged.
 */
export function newClientState(): { secret: string; hash: Buffer } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: hashClientState(secret) };
}

export function hashClientState(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant time: compares fixed-length hashes, whatever the length of what arrived. */
export function clientStateMatches(received: unknown, storedHash: Buffer): boolean {
  if (typeof received !== 'string' || storedHash.length !== 32) return false;
  return timingSafeEqual(hashClientState(received), storedHash);
}
