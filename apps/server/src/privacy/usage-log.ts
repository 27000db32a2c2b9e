import type { ErrorBody } from '@mailissa/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { isAppError } from '../errors/app-error.js';
import { objectsToUsageLog } from '../rights/processing-objections.js';
import { abuseSignalOf, isInvalidTokenCode, reportAbuse } from './abuse-signal.js';
import { type AnonymisedAddress, type Anonymiser, createAnonymiser } from './anonymise-ip.js';
import { browserFamily } from './browser-family.js';
import { clientAddress, clientNetwork, isExemptLoopback } from './client-network.js';
import { statisticsAllowed } from './consent-cookie.js';
import { createSecurityGuard, type SecurityGuard } from './security-guard.js';
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
 * Logs every request (when enabled) and blocks networks after repeated failures that signal abuse
 * (abuse-signal.ts). Installed on the root instance, before any route, so it sees every request
 * including 404s. Blocks key on the anonymised network and are shared through the database.
 */
export function installUsageLog(app: FastifyInstance, context: AppContext): UsageLog {
  const { config, db, now } = context;
  const salts = createSaltStore(db);
  const writer = createUsageLogWriter(db, {
    onError: (error) => app.log.error({ err: error }, 'writing the usage log failed'),
  });
  const ipv6Prefix = config.privacy.ipv6Prefix;
  const guard = createSecurityGuard(db, {
    blockAfterFailures: config.security.blockAfterFailures,
    failureWindowSeconds: config.security.blockFailureWindowSeconds,
    blockDurationSeconds: config.security.blockDurationSeconds,
    cacheSeconds: config.security.blockCacheSeconds,
    onError: (error) => app.log.error({ err: error }, 'looking up a network block failed'),
  });
  const blockedRequests = new WeakSet<FastifyRequest>();

  // A callback hook: the machine's own requests (health checks, the demo) need no promise at all.
  app.addHook('onRequest', (request, reply, done) => {
    if (isExemptLoopback(request)) return done();
    guard.blockedUntil(clientNetwork(request, ipv6Prefix), now()).then((until) => {
      if (!until) return done();
      blockedRequests.add(request);
      const retryAfter = Math.max(1, Math.ceil((until.getTime() - now().getTime()) / 1000));
      reply
        .status(429)
        .header('retry-after', String(retryAfter))
        .send({
          error: {
            code: 'temporarily_blocked',
            message: 'Too many failed requests from your network. Please try again later.',
          },
        } satisfies ErrorBody);
    }, done);
  });

  // A token that fails validation is an abuse signal wherever it is checked (not an expired one).
  app.addHook('onError', async (request, _reply, error) => {
    if (isAppError(error) && isInvalidTokenCode(error.code)) reportAbuse(request, 'invalid_token');
  });

  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    inFlight.add(work);
    return work.finally(() => inFlight.delete(work));
  };

  // The day's anonymiser, made once per salt: its keyed hash keeps the salt's HMAC pads.
  let dayAnonymiser: { salt: Uint8Array; anonymise: Anonymiser } | null = null;
  function anonymiserFor(salt: Uint8Array): Anonymiser {
    if (dayAnonymiser?.salt !== salt) dayAnonymiser = { salt, anonymise: createAnonymiser(salt, ipv6Prefix) };
    return dayAnonymiser.anonymise;
  }

  // A callback hook, not an async one: once the day's salt is loaded, logging a request is
  // synchronous work on memory only (the buffer is written in batches).
  app.addHook('onResponse', (request, reply, done) => {
    const time = now();
    const address = clientAddress(request);
    if (
      request.method === 'GET' &&
      reply.statusCode === 200 &&
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      statisticsAllowed(request, config.privacy.policyRevision)
    ) {
      writer.countPageView(utcDay(time), loggedPath(request));
    }
    const countsAsFailure =
      !blockedRequests.has(request) &&
      abuseSignalOf(request, reply.statusCode) !== null &&
      !isExemptLoopback(request);
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
    const anonymise = anonymiserFor(salt);
    if (config.privacy.usageLogEnabled) {
      const family = browserFamily(request.headers['user-agent']);
      // The address is anonymised with its batch, not here (usage-log-writer.ts).
      writer.add(
        {
          occurredAt: time,
          method: request.method.slice(0, 16),
          path: loggedPath(request),
          referrer: referrerWithoutQuery(request.headers.referer),
          status: reply.statusCode,
          bytesSent: bytesSent(reply),
          browser: family.browser,
          os: family.os,
          address,
        },
        anonymise,
      );
    }
    if (!countsAsFailure) return;
    void track(
      recordFailure(request, reply.statusCode, time, anonymise(address)).catch((error: unknown) =>
        request.log.error({ err: error }, 'counting a failure failed'),
      ),
    );
  }

  /** Counts the failure against the network; the one that starts a block is kept for the operator. */
  async function recordFailure(
    request: FastifyRequest,
    status: number,
    time: Date,
    source: AnonymisedAddress,
  ): Promise<void> {
    const outcome = await guard.recordFailure(source.ipTruncated, time);
    if (!outcome.blockedUntil) return;
    request.log.warn(
      {
        network: source.ipTruncated,
        until: outcome.blockedUntil.toISOString(),
        signal: abuseSignalOf(request, status),
      },
      'temporarily blocking a network after repeated failures',
    );
    await db.query(
      `insert into security_blocks (ip_truncated, ip_hash, reason, failures, blocked_at, blocked_until)
       values ($1, $2, 'repeated_failures', $3, $4, $5)`,
      [
        source.ipTruncated,
        source.ipHash,
        outcome.failures,
        time.toISOString(),
        outcome.blockedUntil.toISOString(),
      ],
    );
  }

  app.addHook('onClose', async () => {
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
