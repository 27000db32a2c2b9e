import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { JobQueue } from '../jobs/job-queue.js';

/**
 * OpenTelemetry traces (docs/operations.md "What to watch"). Every request, job and Graph call is a
 * span; the log lines written while one is active carry its trace id (http/logging.ts), so a log
 * search and a trace view meet. Spans are always made, because the log lines need their ids; they
 * leave the process only when OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT names a collector. Without one
 * they are not recorded: ids and their propagation only, no attributes or timings kept for nobody
 * to read (decision 162).
 *
 * Attributes are route templates, methods, statuses, queue names and hosts: never a URL with its
 * values, an address, a user, a tenant or a file name, as for the metrics.
 *
 * One provider per app rather than OpenTelemetry's global one: tests run several apps in one process.
 * The context manager and the propagator are process-wide by nature and set once.
 */
export interface Tracing {
  tracer: Tracer;
  /** Whether spans are recorded (a collector or a test exporter takes them), or carry only their ids. */
  recording: boolean;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

let processWideSetUp = false;

function setUpProcessWide(): void {
  if (processWideSetUp) return;
  processWideSetUp = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
}

export function createTracing(
  settings: Config['tracing'],
  /** Replaces the OTLP exporter, e.g. with an in-memory one in a test. */
  exporter?: SpanExporter,
): Tracing {
  setUpProcessWide();
  const processors: SpanProcessor[] = [];
  // A test's exporter sees each span when it ends; the collector gets them in batches.
  if (exporter) processors.push(new SimpleSpanProcessor({ exporter }));
  else if (settings.otlpTracesUrl)
    processors.push(
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: settings.otlpTracesUrl }) }),
    );
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
    spanProcessors: processors,
    // Nothing would read a recorded span: the tracer hands out non-recording ones, which still carry
    // a trace and span id (a caller's trace id when it sent one) into log lines and jobs.
    ...(processors.length === 0 ? { sampler: new AlwaysOffSampler() } : {}),
  });
  return {
    tracer: provider.getTracer('mailissa'),
    recording: processors.length > 0,
    shutdown: () => provider.shutdown(),
  };
}

/** The trace and span id of the active span, for a log line; empty outside any span. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  if (!trace.isSpanContextValid({ traceId, spanId, traceFlags })) return {};
  return { trace_id: traceId, span_id: spanId };
}

/** The W3C `traceparent` of the active span, to carry a trace into a job. */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Runs `work` in a span, a child of `traceparent` when given (a job continuing its request's trace). */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  options: { kind?: SpanKind; attributes?: Record<string, string | number>; traceparent?: string },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent: Context = options.traceparent
    ? propagation.extract(ROOT_CONTEXT, { traceparent: options.traceparent })
    : context.active();
  const span = tracer.startSpan(
    name,
    {
      kind: options.kind ?? SpanKind.INTERNAL,
      ...(options.attributes ? { attributes: options.attributes } : {}),
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), () => work(span));
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    throw error;
  } finally {
    span.end();
  }
}

/** Wraps a fetch so each call is a client span named by method and host (never the path's ids). */
export function traceFetch(tracer: Tracer, fetchImpl: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    return inSpan(
      tracer,
      `${method} ${url.host}`,
      {
        kind: SpanKind.CLIENT,
        attributes: { 'http.request.method': method, 'server.address': url.hostname },
      },
      async (span) => {
        const response = await fetchImpl(input, init);
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      },
    );
  };
}

/** A recorded request's span, on the request itself rather than in a WeakMap (decision 183). */
const REQUEST_SPAN = Symbol('requestSpan');
type RequestWithSpan = FastifyRequest & { [REQUEST_SPAN]?: Span | undefined };
/** The name of a span nobody records: never seen, so not worth a string per request. */
const UNRECORDED_SPAN_NAME = 'request';

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Each request a server span, continuing a caller's `traceparent`, and active while Fastify works on
 * it: hooks, body parsing (its stream events are bound to the span's context) and the handler.
 * Without a collector the span is not recorded, so nothing is built for it but its ids: no name,
 * attributes or end (decision 162), and no hooks after the request's start.
 */
export function installRequestTracing(
  app: FastifyInstance,
  tracing: Pick<Tracing, 'tracer' | 'recording'>,
): void {
  const { tracer, recording } = tracing;
  app.addHook('onRequest', (request, _reply, done) => {
    // Most requests carry no trace of a caller: nothing to parse.
    const parent =
      request.headers.traceparent === undefined
        ? ROOT_CONTEXT
        : propagation.extract(ROOT_CONTEXT, request.headers);
    let span: Span;
    if (recording) {
      const route = request.routeOptions.url ?? 'unmatched';
      span = tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': request.method, 'http.route': route },
        },
        parent,
      );
      (request as RequestWithSpan)[REQUEST_SPAN] = span;
    } else {
      span = tracer.startSpan(UNRECORDED_SPAN_NAME, { kind: SpanKind.SERVER }, parent);
    }
    const active = trace.setSpan(parent, span);
    // Binding an emitter wraps its listener methods, a cost worth paying only where events come
    // later from the socket: a body's stream. A bodyless request needs none.
    if (hasBody(request)) context.bind(active, request.raw);
    context.with(active, done);
  });
  if (!recording) return;
  const end = (request: RequestWithSpan, status: number | undefined) => {
    const span = request[REQUEST_SPAN];
    if (!span) return;
    request[REQUEST_SPAN] = undefined;
    if (status !== undefined) span.setAttribute('http.response.status_code', status);
    if (status === undefined || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}

/** Where a job carries the trace of the request that queued it; taken off before its handler sees the data. */
const TRACE_KEY = 'traceparent';

/**
 * The queue with traces: a job sent during a request carries the request's trace, and each run of a
 * job is a span in it (its Graph calls are children of that span), so a trace shows request → job →
 * Microsoft.
 */
export function traceJobs(queue: JobQueue, tracer: Tracer): JobQueue {
  return {
    createQueue: (name, options) => queue.createQueue(name, options),
    fail: (name, id) => queue.fail(name, id),
    schedule: (name, cron, data) => queue.schedule(name, cron, data),
    stop: (options) => queue.stop(options),
    send(name, data, options) {
      const traceparent = activeTraceparent();
      return queue.send(name, traceparent ? { ...data, [TRACE_KEY]: traceparent } : data, options);
    },
    work(name, handler) {
      return queue.work<Record<string, unknown>>(name, (job) => {
        const { [TRACE_KEY]: traceparent, ...data } = job.data;
        return inSpan(
          tracer,
          `job ${name}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: { 'messaging.destination.name': name, 'messaging.operation.type': 'process' },
            ...(typeof traceparent === 'string' ? { traceparent } : {}),
          },
          () => handler({ ...job, data: data as Parameters<typeof handler>[0]['data'] }),
        );
      });
    },
  };
}
