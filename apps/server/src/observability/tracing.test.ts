import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { collectLogLines } from '../test-support/log-lines.js';
import { activeTraceIds, activeTraceparent, createTracing, installRequestTracing } from './tracing.js';

const settings = { otlpTracesUrl: null, serviceName: 'mailissa-test' };

describe('tracing without a collector', () => {
  it('records nothing, yet gives log lines and jobs trace ids, continuing a caller’s trace', () => {
    const { tracer } = createTracing(settings);
    const span = tracer.startSpan('GET /healthz', { attributes: { 'http.route': '/healthz' } });
    expect(span.isRecording()).toBe(false);
    const ids = context.with(trace.setSpan(ROOT_CONTEXT, span), () => activeTraceIds());
    expect(ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(ids.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(ids.trace_id).not.toMatch(/^0+$/);

    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = propagation.extract(ROOT_CONTEXT, {
      traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`,
    });
    const child = tracer.startSpan('GET /healthz', {}, parent);
    const carried = context.with(trace.setSpan(parent, child), () => ({
      ids: activeTraceIds(),
      traceparent: activeTraceparent(),
    }));
    expect(carried.ids.trace_id).toBe(callerTrace);
    // What a job sent in this request carries: the same trace, this span as its parent.
    expect(carried.traceparent).toBe(`00-${callerTrace}-${carried.ids.span_id}-00`);
  });

  it('gives the log lines of each request its trace id, and continues a caller’s trace', async () => {
    const { stream, lines } = collectLogLines();
    const app = Fastify({ logger: { level: 'info', mixin: activeTraceIds, stream } });
    const tracing = createTracing(settings);
    expect(tracing.recording).toBe(false);
    installRequestTracing(app, tracing);
    app.get('/', async (request) => {
      request.log.info('inside');
      return { traceparent: activeTraceparent() };
    });
    const first = await app.inject('/');
    const second = await app.inject('/');
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const continued = await app.inject({
      url: '/',
      headers: { traceparent: `00-${callerTrace}-00f067aa0ba902b7-01` },
    });
    await app.close();
    const inside = lines.filter((line) => line.msg === 'inside');
    expect(inside).toHaveLength(3);
    const [a, b, c] = inside;
    expect(a?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(b?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(a?.trace_id).not.toBe(b?.trace_id);
    expect(c?.trace_id).toBe(callerTrace);
    // A job sent in the request carries the same trace.
    expect(first.json()).toEqual({ traceparent: `00-${a?.trace_id}-${a?.span_id}-00` });
    expect(second.json()).toEqual({ traceparent: `00-${b?.trace_id}-${b?.span_id}-00` });
    expect(continued.json()).toEqual({ traceparent: `00-${callerTrace}-${c?.span_id}-00` });
  });

  it('records every span once something exports them', () => {
    const exporter = new InMemorySpanExporter();
    const { tracer } = createTracing(settings, exporter);
    const span = tracer.startSpan('GET /healthz');
    expect(span.isRecording()).toBe(true);
    span.end();
    expect(exporter.getFinishedSpans().map((each) => each.name)).toEqual(['GET /healthz']);
  });
});
