import type { Transfer } from '@mailissa/contracts';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loggerOptions } from '../http/logging.js';
import { collectLogLines } from '../test-support/log-lines.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';
import {
  accessTokenFor,
  apiClient,
  findMail,
  seedTargets,
  waitForTransfer,
} from '../transfer/transfer-test-helpers.js';
import { createTracing } from './tracing.js';

/** OpenTelemetry traces: what a collector would receive, and the log lines that name the same trace. */
let server: TestServer;
const exporter = new InMemorySpanExporter();
const { stream, lines: logLines } = collectLogLines();

beforeAll(async () => {
  const logger = loggerOptions('info');
  server = await startTestServer({
    logger: typeof logger === 'object' && logger !== null ? { ...logger, stream } : { level: 'info', stream },
    tracing: createTracing({ otlpTracesUrl: null, serviceName: 'mailissa-test' }, exporter),
  });
});
afterAll(async () => server?.close());

const spanNamed = (name: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.name === name);

describe('traces', () => {
  it("make each request a span whose trace id its log lines carry, continuing a caller's trace", async () => {
    const answer = await fetch(`${server.baseUrl}/healthz`);
    expect(answer.status).toBe(200);
    const [span] = spanNamed('GET /healthz');
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.attributes['http.response.status_code']).toBe(200);
    const traceId = span?.spanContext().traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // Fastify writes the line when the response has left, which can be just after the client has it.
    const completed = await vi.waitFor(() => {
      const line = logLines.find((each) => each.msg === 'request completed' && each.trace_id === traceId);
      if (!line) throw new Error('no log line of the request yet');
      return line;
    });
    expect(completed).toMatchObject({ res: { statusCode: 200 }, span_id: span?.spanContext().spanId });

    // A caller that sends a W3C traceparent (a gateway, the add-in's telemetry) gets its trace continued.
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(`${server.baseUrl}/healthz`, {
      headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
    });
    const continued = spanNamed('GET /healthz').find((each) => each.spanContext().traceId === callerTrace);
    expect(continued?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    await vi.waitFor(() =>
      expect(logLines.some((line) => line.msg === 'request completed' && line.trace_id === callerTrace)).toBe(
        true,
      ),
    );
  });

  it('follow a transfer from its request through the job to the Graph calls, naming no one', async () => {
    const targets = await seedTargets(server);
    const ids = server.app.emulator.ids;
    const anna = await accessTokenFor(server, ids.demoTenantId, ids.demoUserUpn);
    const mail = await findMail(server, 'Offer 2026-117 for Northwind with price list');
    const created = await apiClient(server)<{ transfer: Transfer }>(anna, 'POST', '/api/transfers', {
      messageId: mail.id,
      internetMessageId: mail.internetMessageId,
      targetId: targets.contracts,
    });
    expect(created.status).toBe(202);
    expect((await waitForTransfer(server, anna, created.body.transfer.id)).state).toBe('done');

    const [request] = spanNamed('POST /api/transfers');
    const traceId = request?.spanContext().traceId;
    const job = spanNamed('job transfer').find((span) => span.spanContext().traceId === traceId);
    expect(job?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    const graphCalls = exporter
      .getFinishedSpans()
      .filter(
        (span) =>
          span.kind === SpanKind.CLIENT && span.parentSpanContext?.spanId === job?.spanContext().spanId,
      );
    expect(graphCalls.map((span) => span.attributes['http.request.method'])).toEqual(
      expect.arrayContaining(['GET', 'PUT']),
    );
    // The job's own log lines (if any) and the request's name the same trace.
    expect(logLines.some((line) => line.trace_id === traceId && line.msg === 'request completed')).toBe(true);

    // Names and attributes are templates, methods, statuses and hosts: no id, address or person.
    const exported = JSON.stringify(
      exporter.getFinishedSpans().map((span) => ({ name: span.name, attributes: span.attributes })),
    );
    expect(exported).not.toContain(created.body.transfer.id);
    expect(exported).not.toContain(mail.id);
    expect(exported).not.toContain(ids.demoUserUpn);
    expect(exported).not.toContain(anna);
  });
});
