import type { ErrorCode } from '@mailissa/contracts';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.js';

/**
 * Where a state-changing browser request comes from, as the browser reports it:
 * - `same-origin`: `Sec-Fetch-Site: same-origin`, or an `Origin` that is ours;
 * - `cross-site`: any other `Sec-Fetch-Site` (`same-site`, `cross-site`, `none`) or `Origin`
 *   (including `null`, unless the browser itself says `Sec-Fetch-Site: same-origin`: a page of ours
 *   under `Referrer-Policy: no-referrer` — ours send `strict-origin` instead, but a visitor's browser
 *   settings or extensions may impose it — posts `Origin: null`, and a page cannot forge the browser's
 *   Sec-Fetch-Site);
 * - `unknown`: neither header. Every current browser sends `Origin` with a cross-site POST (and
 *   `Sec-Fetch-Site` with any request), so a request without both is not a browser's cross-site
 *   request: a script, a server, a very old browser. The routes add their own proof for those where
 *   it matters: `X-Requested-With` on cookie-authenticated API calls, the signed form token on the
 *   contact and newsletter forms.
 */
export type RequestSite = 'same-origin' | 'cross-site' | 'unknown';

export function requestSite(request: FastifyRequest, publicBaseUrl: string): RequestSite {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && fetchSite !== 'same-origin') return 'cross-site';
  const origin = request.headers.origin;
  if (origin !== undefined) {
    if (origin === 'null' && fetchSite === 'same-origin') return 'same-origin';
    const own = new Set([new URL(publicBaseUrl).origin, `${request.protocol}://${request.host}`]);
    return own.has(origin) ? 'same-origin' : 'cross-site';
  }
  return fetchSite === 'same-origin' ? 'same-origin' : 'unknown';
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  cross_site_form: 'This form can only be sent from our own pages.',
  csrf_check_failed: 'This request must come from a Mailissa page.',
};

/** Refuses a request another site made a browser send (403 with `code`); see `requestSite`. */
export function assertNotCrossSite(
  request: FastifyRequest,
  publicBaseUrl: string,
  code: 'cross_site_form' | 'csrf_check_failed',
): void {
  if (requestSite(request, publicBaseUrl) === 'cross-site') {
    throw new AppError(403, code, MESSAGES[code] ?? 'Cross-site request refused.');
  }
}
