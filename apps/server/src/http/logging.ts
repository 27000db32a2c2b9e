import type { FastifyServerOptions } from 'fastify';
import { activeTraceIds } from '../observability/tracing.js';

/**
 * Routes whose last path segment is a credential (a signed download link is its own authorisation):
 * logged as the route's pattern, never the token.
 */
const TOKEN_IN_PATH = ['/api/transfer-downloads/'];

/**
 * The server's pino options. A request is logged by method, path (never the query string, which can
 * carry authorization codes or tokens) and route; never the client's address, headers or body. Each line carries the active trace and span id.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    // Every line written inside a request's or job's span names its trace (observability/tracing.ts).
    mixin: activeTraceIds,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
        '*.access_token',
        '*.refresh_token',
        '*.id_token',
        '*.client_secret',
        '*.password',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req(request: { method?: string; url?: string; routeOptions?: { url?: string } }) {
        const path = request.url?.split('?')[0];
        const secret = TOKEN_IN_PATH.find((prefix) => path?.startsWith(prefix));
        return {
          method: request.method,
          path: secret ? `${secret}[redacted]` : path,
          route: request.routeOptions?.url,
        };
      },
      res(reply: { statusCode?: number }) {
        return { statusCode: reply.statusCode };
      },
    },
  };
}
