import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';
import type { Queryable } from '../db/database.js';
import { AppError } from '../errors/app-error.js';
import { clientNetwork, isExemptLoopback } from '../privacy/client-network.js';
import { sharedRateLimitStore } from './shared-rate-limit-store.js';

/**
 * Requests per minute per client network (IPv4 /24, IPv6 /48 or /64: what the usage log stores, so
 * a new address of the same network gets no new budget), keyed on the client address (behind a proxy
 * listed in TRUST_PROXY, the one it reports) and counted in the database, so every server process
 * shares one budget per network (shared-rate-limit-store.ts). Only the machine itself, as the real
 * socket peer, is exempt (see privacy/client-network.ts).
 */
export async function installRateLimit(
  app: FastifyInstance,
  config: Config,
  shared: { db: Queryable; now: () => Date },
): Promise<void> {
  if (config.security.rateLimitPerMinute === 0) return;
  await app.register(rateLimit, {
    global: true,
    max: config.security.rateLimitPerMinute,
    timeWindow: 60_000,
    store: sharedRateLimitStore(shared.db, shared.now),
    // A database that cannot answer lets the request through rather than failing the site.
    skipOnError: true,
    keyGenerator: (request) => clientNetwork(request, config.privacy.ipv6Prefix),
    allowList: (request) => isExemptLoopback(request),
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', `Too many requests. Try again in ${context.after}.`),
  });
}
