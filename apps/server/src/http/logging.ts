import {
  type FastifyBaseLogger,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
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

/**
 * One line per request, written when it is answered: its method, path and route with the status and
 * the time taken. Fastify writes two, one on arrival and one on completion, each through the
 * redacting logger. A completed request's line holds only what the serializers above keep (never a
 * header, a query or a token in a path), so it is written by a logger without redaction: at the
 * default level, redaction's wildcard paths cost a line about 5 µs, as much as the rest of its
 * writing (decision 168). A failed request's line carries its error and keeps redaction. A request
 * that never completes leaves no line.
 */
export class OneLinePerRequest extends LogController {
  private plain: FastifyBaseLogger | null = null;

  /** Takes the app's logger once it exists; until then lines go through the request's own logger. */
  useLogger(logger: FastifyBaseLogger): void {
    this.plain = logger.child({}, { redact: { paths: [] } });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    if (error) {
      reply.log.error(
        { req: request, res: reply, err: error, responseTime: reply.elapsedTime },
        'request errored',
      );
    } else if (this.plain) {
      this.plain.info(
        { [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime },
        'request completed',
      );
    } else {
      reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    }
  }
}

/** What a child logger is made with (pino's types, as Fastify's logger interface names them). */
type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;

/** A log call's arguments, as pino takes them: an object or a message first. */
type LogArguments = [objectOrMessage: unknown, message?: string, ...values: unknown[]];

/**
 * A request's logger that becomes a pino child only when a line is written through it. Fastify makes
 * a child per request, and pino serialises its bindings (the request id) through the redacting
 * stringifier when it is made: about 4 KB and 1 µs per request, for a logger that almost no
 * request writes to — the request's own line goes through `OneLinePerRequest` (decision 184).
 */
class LazyChildLogger implements FastifyBaseLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get logger(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }

  get level(): string {
    return this.made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  fatal(...args: LogArguments): void {
    this.logger.fatal(...args);
  }

  error(...args: LogArguments): void {
    this.logger.error(...args);
  }

  warn(...args: LogArguments): void {
    this.logger.warn(...args);
  }

  info(...args: LogArguments): void {
    this.logger.info(...args);
  }

  debug(...args: LogArguments): void {
    this.logger.debug(...args);
  }

  trace(...args: LogArguments): void {
    this.logger.trace(...args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: each request's logger is made on its first line (LazyChildLogger). */
export const lazyRequestLoggers: NonNullable<FastifyServerOptions['childLoggerFactory']> = (
  logger,
  bindings,
  options,
) => new LazyChildLogger(logger, bindings, options);
