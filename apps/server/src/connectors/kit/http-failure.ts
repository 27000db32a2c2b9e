import type { AppError } from '../../errors/app-error.js';
import { retryAfterMs, targetFailure } from '../rest-target/target-http.js';

/**
 * A target system's failed HTTP answer in our own words, for connectors that call `context.fetch`
 * themselves (WebDAV streams its PUTs) rather than through `targetRequest`. It is the same
 * classification (rest-target/target-http.ts `targetFailure`, issue 11 item 10), so every connector
 * fails alike: 401 → connect the account again, 403, 404, 409, 413, 429 with its Retry-After, 5xx.
 * The system's own body is never shown.
 */
export async function targetFailureOf(
  response: Response,
  system: string,
  what: string,
  now: () => Date = () => new Date(),
): Promise<AppError> {
  await response.body?.cancel().catch(() => undefined);
  return targetFailure(
    { name: system, describeError: () => '' },
    response.status,
    what,
    '',
    response.status === 429 ? retryAfterMs(response.headers.get('retry-after'), now()) : undefined,
  );
}
