import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Queryable } from '../db/database.js';

/**
 * The server's Prometheus metrics (docs/operations.md "What to watch"). Labels are route templates,
 * methods, statuses, queue names and states only: never a URL with its values, an address, a user,
 * a tenant or a file name, so a scrape holds no personal data.
 *
 * One registry per app rather than prom-client's global one: tests run several apps in one process.
 */
export interface Metrics {
  registry: Registry;
  /** A finished transfer: its bytes and how long the job ran. */
  recordTransfer(outcome: 'succeeded' | 'failed', bytes: number, seconds: number): void;
  /** Wraps the fetch the Graph clients use, to count Microsoft's throttling answers. */
  observeGraphFetch(fetchImpl: typeof fetch): typeof fetch;
  /** An answered request, under its route template. */
  recordRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Statuses by which Microsoft Graph throttles or sheds load (docs/microsoft-365.md on retries). */
const THROTTLING_STATUSES = new Set([429, 503, 504]);

export function createMetrics(db: Queryable): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mailissa_' });

  const requests = new Counter({
    name: 'mailissa_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mailissa_http_request_duration_seconds',
    help: 'Time from request to response, by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const transferBytes = new Counter({
    name: 'mailissa_transfer_bytes_total',
    help: 'Bytes written to target systems by transfers.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const transferDuration = new Histogram({
    name: 'mailissa_transfer_duration_seconds',
    help: 'How long a transfer job ran, by outcome.',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
    registers: [registry],
  });
  const graphThrottled = new Counter({
    name: 'mailissa_graph_throttled_total',
    help: 'Answers of Microsoft Graph that throttled or shed load (429, 503, 504), by status.',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'mailissa_jobs',
    help: 'Jobs held by the queue, by queue and state (read from the database at each scrape).',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      // pg-boss's own table: shared by every instance, so each scrape shows the whole cluster's queue.
      const result = await db.query<{ name: string; state: string; count: number }>(
        'select name, state::text as state, count(*)::int as count from pgboss.job group by name, state',
      );
      for (const row of result.rows) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });

  return {
    registry,
    recordRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
    recordTransfer(outcome, bytes, seconds) {
      transferBytes.inc({ outcome }, bytes);
      transferDuration.observe({ outcome }, seconds);
    },
    observeGraphFetch(fetchImpl) {
      return async (input, init) => {
        const response = await fetchImpl(input, init);
        if (THROTTLING_STATUSES.has(response.status)) graphThrottled.inc({ status: String(response.status) });
        return response;
      };
    },
  };
}

/** Counts every answered request under its route template (`/api/transfers/:id`, never the id). */
export function installRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched paths share one label: a scan of random URLs must not grow the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.recordRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}
