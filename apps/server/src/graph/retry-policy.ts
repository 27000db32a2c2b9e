/**
 * When to try a Graph call again. Graph throttles with 429 and a `Retry-After` in seconds, and 503/504
 * may carry one too (docs/microsoft-365.md §4.7). We wait at least what the server asks, back off exponentially
 * when it does not say, and give up once a wait would exceed the cap or the attempts run out, so a
 * job never sleeps for hours inside one attempt.
 */
export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** First back-off step without Retry-After; doubled per attempt. */
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After above it ends the retries. */
  maxDelayMs: number;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503, 504]);

export function parseRetryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10) * 1000;
  // HTTP allows a date too; Graph sends seconds, but a proxy in between may not.
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/**
 * The wait before attempt `attempt + 1` (attempt counts from 1), or undefined to stop retrying.
 * `random` is injectable so tests can pin the jitter.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxDelayMs) return undefined;
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const jittered = backoff * (0.5 + random() / 2);
  // Retry-After is a floor: never retry sooner than the server asked.
  return Math.min(policy.maxDelayMs, Math.max(retryAfterMs ?? 0, jittered));
}
