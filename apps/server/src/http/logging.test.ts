import Fastify from 'fastify';
import { describe, expect, it, vi } from 'vitest';
import { collectLogLines } from '../test-support/log-lines.js';
import { lazyRequestLoggers, loggerOptions, OneLinePerRequest } from './logging.js';

type RequestSerializer = (request: { method?: string; url?: string; routeOptions?: { url?: string } }) => {
  path?: string;
};

/** A Fastify app with the server's logging (options, one line per request, lazy request loggers). */
function appLoggingAsDeployed() {
  const { stream, lines } = collectLogLines();
  const requestLines = new OneLinePerRequest();
  let nextId = 0;
  const app = Fastify({
    logger: { ...(loggerOptions('info') as object), stream },
    logController: requestLines,
    childLoggerFactory: lazyRequestLoggers,
    genReqId: () => `request-${++nextId}`,
  });
  requestLines.useLogger(app.log);
  return { app, lines };
}

describe('request log lines', () => {
  const options = loggerOptions('info') as { serializers: { req: RequestSerializer } };

  it('keep the path without its query', () => {
    expect(options.serializers.req({ method: 'GET', url: '/api/transfers/abc?code=secret' }).path).toBe(
      '/api/transfers/abc',
    );
  });

  it('never carry a signed download link: its token is the authorisation', () => {
    const line = options.serializers.req({
      method: 'GET',
      url: '/api/transfer-downloads/WyJ0ZW5hbnQiXQ.c2lnbmF0dXJl',
      routeOptions: { url: '/api/transfer-downloads/:token' },
    });
    expect(line.path).toBe('/api/transfer-downloads/[redacted]');
    expect(JSON.stringify(line)).not.toContain('c2lnbmF0dXJl');
  });

  it('are one per answered request, with its id and route, and nothing a client sent in secret', async () => {
    const { app, lines } = appLoggingAsDeployed();
    app.get('/api/things/:id', async (request) => {
      request.log.info({ body: { password: 'secret-password' } }, 'inside');
      return { ok: true };
    });
    const answer = await app.inject({
      url: '/api/things/7?code=secret-code',
      headers: { authorization: 'Bearer secret-token', cookie: 'session=secret-cookie' },
    });
    expect(answer.statusCode).toBe(200);
    await app.inject('/api/things/8');
    await app.close();

    expect(lines.filter((line) => line.msg === 'incoming request')).toEqual([]);
    const completed = lines.filter((line) => line.msg === 'request completed');
    expect(completed).toHaveLength(2);
    expect(completed[0]).toMatchObject({
      reqId: 'request-1',
      req: { method: 'GET', path: '/api/things/7', route: '/api/things/:id' },
      res: { statusCode: 200 },
    });
    expect(completed[0]?.responseTime).toEqual(expect.any(Number));
    expect(completed[1]).toMatchObject({ reqId: 'request-2', req: { path: '/api/things/8' } });
    // Lines written inside the request keep redaction.
    expect(lines.find((line) => line.msg === 'inside')).toMatchObject({
      reqId: 'request-1',
      body: { password: '[redacted]' },
    });
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it("make a request's logger only when something is written through it, at the route's level", async () => {
    const { app, lines } = appLoggingAsDeployed();
    app.get('/quiet', async () => ({ ok: true }));
    app.get('/chatty', { logLevel: 'warn' }, async (request) => {
      expect(request.log.level).toBe('warn');
      request.log.info('below the route level');
      request.log.warn({ thing: 7 }, 'at the route level');
      request.log.child({ step: 'inner' }).warn('from a child');
      return { ok: true };
    });
    await app.ready();
    const childrenMade = vi.spyOn(app.log, 'child');

    expect((await app.inject('/quiet')).statusCode).toBe(200);
    expect(childrenMade).not.toHaveBeenCalled();
    expect((await app.inject('/chatty')).statusCode).toBe(200);
    // The request's logger, then the route's child of it (pino's children share the spied method).
    expect(childrenMade.mock.calls.map(([bindings]) => bindings)).toEqual([
      { reqId: 'request-2' },
      { step: 'inner' },
    ]);
    await app.close();

    expect(lines.map((line) => line.msg)).toEqual([
      'request completed',
      'at the route level',
      'from a child',
      'request completed',
    ]);
    expect(lines[1]).toMatchObject({ reqId: 'request-2', thing: 7 });
    expect(lines[2]).toMatchObject({ reqId: 'request-2', step: 'inner' });
  });
});
