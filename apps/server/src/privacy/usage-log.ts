import type { ErrorBody } from '@mailissa/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { objectsToUsageLog } from '../rights/processing-objections.js';
import { type AnonymisedAddress, createAnonymiser } from './anonymise-ip.js';
import { browserFamily } from './browser-family.js';
import { statisticsAllowed } from './consent-cookie.js';
import { createSecurityGuard, isFailureStatus, type SecurityGuard } from './security-guard.js';
import { createSaltStore, type SaltStore, utcDay } from './usage-log-salts.js';
import { createUsageLogWriter, type UsageLogWriter } from './usage-log-writer.js';

const MAX_TEXT = 512;

/** The referring page as origin and path: no query, no fragment, no credentials. */
export function referrerWithoutQuery(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const url = new URL(referer);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.origin}${url.pathname}`.slice(0, MAX_TEXT);
  } catch {
    return null;
  }
}

/**
 * The path to log: the route's pattern when it has parameters (so a token in a path such as
 * `/newsletter/confirm/:token` never reaches the log), otherwise the path without its query.
 */
export function loggedPath(request: FastifyRequest): string {
  const route = request.routeOptions.url;
  if (route?.includes(':')) return route.slice(0, MAX_TEXT);
  return (request.url.split('?')[0] ?? '/').slice(0, MAX_TEXT);
}

/** Loopback is the machine itself or a local proxy that is not configured as trusted: never blocked. */
export function isLoopback(address: string): boolean {
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function bytesSent(reply: FastifyReply): number | null {
  const length = reply.getHeader('content-length');
  const value = typeof length === 'string' ? Number.parseInt(length, 10) : length;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export interface UsageLog {
  writer: UsageLogWriter;
  salts: SaltStore;
  guard: SecurityGuard;
  /** Waits for the logging of responses already sent, then writes the buffer (tests, shutdown). */
  settle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The usage log's writer, salts and guard; tests flush the writer through it. */
    usageLog: UsageLog;
  }
}

/**
 * Logs every request (when enabled) and blocks addresses after repeated failures. Installed on the
 * root instance, before any route, so it sees every request including 404s.
 */
export function installUsageLog(app: FastifyInstance, context: AppContext): UsageLog {
  const { config, db, now } = context;
  const salts = createSaltStore(db);
  const writer = createUsageLogWriter(db, {
    onError: (error) => app.log.error({ err: error }, 'writing the usage log failed'),
  });
  const guard = createSecurityGuard({
    blockAfterFailures: config.security.blockAfterFailures,
    failureWindowSeconds: config.security.blockFailureWindowSeconds,
    blockDurationSeconds: config.security.blockDurationSeconds,
  });
  const blockedRequests = new WeakSet<FastifyRequest>();

  const pruneTimer = setInterval(() => guard.prune(now()), 60_000);
  pruneTimer.unref();

  app.addHook('onRequest', async (request, reply) => {
    const until = guard.blockedUntil(request.ip, now());
    if (!until) return;
    blockedRequests.add(request);
    const retryAfter = Math.max(1, Math.ceil((until.getTime() - now().getTime()) / 1000));
    return reply
      .status(429)
      .header('retry-after', String(retryAfter))
      .send({
        error: {
          code: 'temporarily_blocked',
          message: 'Too many failed requests from your network. Please try again later.',
        },
      } satisfies ErrorBody);
  });

  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };

  // The hash of an address is the same all day; remembering the last few thousand saves an HMAC on
  // every asset request. Kept in memory only, and dropped with the day's salt.
  let hashCache: {
    salt: Uint8Array;
    anonymise: (address: string) => AnonymisedAddress;
    hashes: Map<string, AnonymisedAddress>;
  } | null = null;
  function anonymised(address: string, salt: Uint8Array): AnonymisedAddress {
    if (hashCache?.salt !== salt) hashCache = { salt, anonymise: createAnonymiser(salt), hashes: new Map() };
    if (hashCache.hashes.size >= 10_000) hashCache.hashes.clear();
    let value = hashCache.hashes.get(address);
    if (!value) {
      value = hashCache.anonymise(address);
      hashCache.hashes.set(address, value);
    }
    return value;
  }

  // A callback hook, not an async one: once the day's salt is loaded, logging a request is
  // synchronous work on memory only (the buffer is written in batches).
  app.addHook('onResponse', (request, reply, done) => {
    const time = now();
    const address = request.ip;
    if (
      request.method === 'GET' &&
      reply.statusCode === 200 &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      statisticsAllowed(request, config.privacy.policyRevision)
    ) {
      writer.countPageView(utcDay(time), loggedPath(request));
    }
    const countsAsFailure =
      isFailureStatus(reply.statusCode) && !blockedRequests.has(request) && !isLoopback(address);
    // A signed-in user's objection (Art. 21, rights/) is honoured; failures still count against attacks.
    const userId =
      request.principal?.userId ??
      (request.webSession?.app === 'portal' ? request.webSession.userId : undefined);
    const objected = objectsToUsageLog(db, userId);
    if ((objected || !config.privacy.usageLogEnabled) && !countsAsFailure) return done();
    const salt = salts.loadedSaltFor(time);
    if (salt) {
      record(request, reply, time, address, salt, countsAsFailure);
      return done();
    }
    void track(
      salts.saltFor(time).then(
        (loaded) => record(request, reply, time, address, loaded, countsAsFailure),
        (error: unknown) => request.log.error({ err: error }, 'no usage-log salt; request not logged'),
      ),
    ).then(() => done());
  });

  function record(
    request: FastifyRequest,
    reply: FastifyReply,
    time: Date,
    address: string,
    salt: Uint8Array,
    countsAsFailure: boolean,
  ): void {
    const source = anonymised(address, salt);
    if (config.privacy.usageLogEnabled) {
      const family = browserFamily(request.headers['user-agent']);
      writer.add({
        occurredAt: time,
        method: request.method.slice(0, 16),
        path: loggedPath(request),
        referrer: referrerWithoutQuery(request.headers.referer),
        status: reply.statusCode,
        bytesSent: bytesSent(reply),
        browser: family.browser,
        os: family.os,
        ...source,
      });
    }
    if (!countsAsFailure) return;
    const outcome = guard.recordFailure(address, time);
    if (!outcome.blockedUntil) return;
    request.log.warn(
      { network: source.ipTruncated, until: outcome.blockedUntil.toISOString() },
      'temporarily blocking a source after repeated failures',
    );
    void track(
      db
        .query(
          `insert into security_blocks (ip_truncated, ip_hash, reason, failures, blocked_at, blocked_until)
           values ($1, $2, 'repeated_failures', $3, $4, $5)`,
          [
            source.ipTruncated,
            source.ipHash,
            outcome.failures,
            time.toISOString(),
            outcome.blockedUntil.toISOString(),
          ],
        )
        .then(
          () => undefined,
          (error: unknown) => request.log.error({ err: error }, 'recording a security block failed'),
        ),
    );
  }

  app.addHook('onClose', async () => {
    clearInterval(pruneTimer);
    await writer.close();
  });

  const usageLog: UsageLog = {
    writer,
    salts,
    guard,
    async settle() {
      await Promise.all([...inFlight]);
      await writer.flush();
    },
  };
  app.decorate('usageLog', usageLog);
  return usageLog;
}
