import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { isLoopback } from '../privacy/usage-log.js';

/**
 * Requests per minute per client address, decided in memory on the real address (behind a trusted
 * proxy, the one it reports). Loopback is exempt: it is the machine itself, or a local proxy that is
 * not configured as trusted, whose users would otherwise share one budget.
 */
export async function installRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  if (config.security.rateLimitPerMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.security.rateLimitPerMinute,
    timeWindow: 60_000,
    allowList: (request) => isLoopback(request.ip),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', `Too many requests. Try again in ${context.after}.`),
  });
}
