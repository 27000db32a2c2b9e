import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { Metrics } from './metrics.js';

/**
 * GET /metrics for Prometheus, behind a bearer token of its own (METRICS_TOKEN): the figures tell an
 * outsider how busy the service is. Without a token configured the route does not exist. It stays out
 * of the OpenAPI document: it is for the operator's monitoring, not for API clients.
 */
export const metricsRoutes: FastifyPluginAsync<{ metrics: Metrics; token: string }> = async (
  app,
  options,
) => {
  const expected = Buffer.from(`Bearer ${options.token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const authorization = request.headers.authorization;
    if (!authorization) {
      throw new AppError(
        401,
        'missing_token',
        'The metrics need the bearer token configured as METRICS_TOKEN.',
      );
    }
    const given = Buffer.from(authorization);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError(401, 'invalid_token', 'This is not the bearer token configured as METRICS_TOKEN.');
    }
    return reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
};
