import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Where answers depend on who is signed in: the add-in's bearer API, the portal's and the operator
 * console's session APIs, the session routes themselves (sign-in, callback, session, logout), and the
 * registration portal's signed-in pages (the account with its company data, its invoices).
 */
const AUTHENTICATED_PREFIXES = [
  '/api/',
  '/portal/api/',
  '/operator/api/',
  '/auth/',
  '/register/account',
  '/register/invoices/',
];

/** The API's public documents, the same for everyone. */
const PUBLIC_API_PATHS = new Set(['/api/client-config', '/api/openapi.json']);

/** Whether a response to this request may carry someone's data (by path, or by a bearer token sent). */
export function isAuthenticatedRequest(request: Pick<FastifyRequest, 'url' | 'headers'>): boolean {
  if (request.headers.authorization !== undefined) return true;
  const path = request.url.split('?')[0] ?? '/';
  if (PUBLIC_API_PATHS.has(path)) return false;
  return AUTHENTICATED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * `Cache-Control: no-store` on every authenticated response, errors included, set last (onSend) so
 * no handler's own caching header survives: a shared computer's browser cache or a proxy must not
 * keep one user's data.
 */
export function installNoStore(app: FastifyInstance): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (isAuthenticatedRequest(request)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
