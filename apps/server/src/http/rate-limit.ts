import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import { AppError } from '../errors/app-error.js';
import { clientNetwork, isExemptLoopback } from '../privacy/client-network.js';

/**
 * Requests per minute per client network (IPv4 /24, IPv6 /48 or /64: what the usage log stores, so
 * a new address of the same network gets no new budget), decided in memory on the client address
 * (behind a proxy listed in TRUST_PROXY, the one it reports). Only the machine itself, as the real
 * socket peer, is exempt (see privacy/client-network.ts).
 */
export async function installRateLimit(app: FastifyInstance, config: Config): Promise<void> {
  if (config.security.rateLimitPerMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.security.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => clientNetwork(request, config.privacy.ipv6Prefix),
    allowList: (request) => isExemptLoopback(request),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', `Too many requests. Try again in ${context.after}.`),
  });
}
