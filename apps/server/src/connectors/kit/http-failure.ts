import { AppError } from '../../errors/app-error.js';

/**
 * A target system's HTTP failure in our own words, classified as the SharePoint connector's are
 * (issue #11 item 10): 401 → the user's account must be connected again, 403 forbidden, 404 the
 * target is gone, 409 conflict, 413 too large, 429 busy (with the Retry-After seconds in `extra`),
 * 5xx unavailable. 429 and 5xx are transient (`isTransientTargetFailure`); the rest are permanent.
 * The system's own body is never shown; its status goes to `detail` for the log.
 */
export async function targetFailureOf(response: Response, system: string, what: string): Promise<AppError> {
  await response.body?.cancel().catch(() => undefined);
  const detail = `${what}: HTTP ${response.status}`;
  const status = response.status;
  if (status === 401)
    return new AppError(
      401,
      'target_credentials_rejected',
      `${system} rejected the account's credentials; connect it again.`,
      { detail },
    );
  if (status === 403)
    return new AppError(403, 'target_forbidden', `${system} does not allow this account to ${what}.`, {
      detail,
    });
  if (status === 404 || status === 410)
    return new AppError(
      404,
      'target_gone',
      `The target was not found in ${system}; it may have been moved or deleted.`,
      { detail },
    );
  if (status === 409)
    return new AppError(409, 'target_conflict', `${system} refused to ${what} because of a conflict.`, {
      detail,
    });
  if (status === 413)
    return new AppError(413, 'target_too_large', `The file is too large for ${system}.`, { detail });
  if (status === 429) {
    return new AppError(429, 'target_busy', `${system} is busy; the transfer tries again later.`, {
      detail,
      extra: { retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')) },
    });
  }
  if (status >= 500)
    return new AppError(503, 'target_unavailable', `${system} is unavailable at the moment.`, { detail });
  return new AppError(502, 'target_protocol_error', `${system} gave an unexpected answer to "${what}".`, {
    detail,
  });
}

/** Seconds from a Retry-After header (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** Worth another attempt later: busy, unavailable, unreachable, timed out. */
export function isTransientTargetFailure(error: unknown): boolean {
  return (
    error instanceof AppError &&
    // `target_throttled`: the REST connectors' (rest-target/) name for a 429.
    [
      'target_busy',
      'target_throttled',
      'target_unavailable',
      'target_unreachable',
      'target_timeout',
    ].includes(error.code)
  );
}
